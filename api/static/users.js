/* User administration: accounts with their grants (role and scope), create, grant, revoke and deactivate, each with a
   reason the server keeps. Auditors read the same list; the forms are for user admins (the server decides). */
(function () {
  const { api, el, t, when, problemText } = window.mtc;
  const ROLES = JSON.parse(document.getElementById("role-titles").textContent);
  const PER_PAGE = 25;
  const body = document.querySelector("#users tbody");
  const filters = document.getElementById("filters");
  const message = document.getElementById("message");
  const state = { page: 1, role: "", active: "", selected: null };

  const grantText = (a) => `${ROLES[a.role] || a.role}${a.scope ? " @ " + a.scope : ""}`;
  const say = (text, ok) => message.replaceChildren(el("p", { class: ok ? "ok" : "error", role: ok ? null : "alert" }, text));

  async function load() {
    const query = new URLSearchParams({ per_page: PER_PAGE, page: state.page });
    if (state.role) query.set("role", state.role);
    if (state.active) query.set("active", state.active);
    try {
      const page = await api("GET", "/users?" + query);
      const pages = Math.max(1, Math.ceil(page.total / PER_PAGE));
      document.getElementById("page-info").textContent = t("inbox.page").replace("{page}", page.page).replace("{pages}", pages).replace("{total}", page.total);
      document.getElementById("prev").disabled = state.page <= 1;
      document.getElementById("next").disabled = state.page >= pages;
      body.replaceChildren(...page.items.map((u) => el("tr", { "data-username": u.username, class: u.active ? null : "inactive" },
        el("td", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); select(u.username); } }, u.username)),
        el("td", {}, u.display_name || "—"), el("td", {}, u.unit || "—"),
        el("td", { class: "nowrap" }, el("span", { class: "badge" + (u.active ? " good" : " bad") }, t(u.active ? "users.active" : "users.inactive"))),
        el("td", {}, u.assignments.filter((a) => !a.revoked_at).map(grantText).join("；") || "—"))));
    } catch (err) {
      window.mtc.showError(body, err);
    }
  }

  async function select(username) {
    state.selected = username;
    const user = await api("GET", "/users/" + encodeURIComponent(username));
    const detail = document.getElementById("detail");
    detail.hidden = false;
    detail.dataset.username = username;
    document.getElementById("detail-title").textContent = [user.username, user.display_name, user.unit,
      t(user.active ? "users.active" : "users.inactive")].filter(Boolean).join(" · ");
    document.querySelector("#assignments tbody").replaceChildren(...user.assignments.map((a) => el("tr", { "data-assignment": a.id, class: a.revoked_at ? "inactive" : null },
      el("td", {}, grantText(a)),
      el("td", {}, `${a.granted_by || "—"} · ${when(a.granted_at)}`, a.revoked_at ? el("div", { class: "meta" }, `${t("users.revoked")} ${a.revoked_by || ""} · ${when(a.revoked_at)} · ${a.revoked_reason || ""}`) : null),
      el("td", {}, a.reason || "—"),
      el("td", {}, a.revoked_at || !user.active ? null : el("button", { type: "button", class: "admin-only revoke", onclick: () => revoke(a) }, t("users.revoke"))))));
    document.getElementById("deactivate-form").hidden = !user.active;
    document.getElementById("grant-form").hidden = !user.active;
    applyRole();
  }

  async function revoke(a) {
    const reason = (window.prompt(t("users.revoke_reason"), "") || "").trim();
    if (!reason) return;
    try {
      await api("POST", `/users/${encodeURIComponent(state.selected)}/grants/${a.id}/revoke`, { reason });
      say(t("users.revoked_ok"), true);
      await Promise.all([select(state.selected), load()]);
    } catch (err) { say(problemText(err)); }
  }

  const grantOf = (form) => form.elements.role.value + (form.elements.scope.value.trim() ? ":" + form.elements.scope.value.trim() : "");

  document.getElementById("grant-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const reason = form.elements.reason.value.trim();
    if (!reason) return say(t("reason.required"));
    try {
      await api("POST", `/users/${encodeURIComponent(state.selected)}/grants`, { grant: grantOf(form), reason });
      form.reset();
      say(t("users.granted_ok"), true);
      await Promise.all([select(state.selected), load()]);
    } catch (err) { say(problemText(err)); }
  });

  document.getElementById("deactivate-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = event.target.elements.reason.value.trim();
    if (!reason) return say(t("reason.required"));
    try {
      const result = await api("POST", `/users/${encodeURIComponent(state.selected)}/deactivate`, { reason });
      event.target.reset();
      say(t("users.deactivated_ok").replace("{n}", result.claimed_tasks.length), true);
      await Promise.all([select(state.selected), load()]);
    } catch (err) { say(problemText(err)); }
  });

  document.getElementById("create-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const request = { username: form.elements.username.value.trim(), password: form.elements.password.value,
      display_name: form.elements.display_name.value.trim() || null, unit: form.elements.unit.value.trim() || null,
      grants: form.elements.role.value ? [grantOf(form)] : [], reason: form.elements.reason.value.trim() };
    if (!request.username || request.password.length < 8 || !request.reason) return say(t("users.create_missing"));
    try {
      await api("POST", "/users", request);
      form.reset();
      say(t("users.created_ok").replace("{name}", request.username), true);
      await load();
      await select(request.username);
    } catch (err) { say(problemText(err)); }
  });

  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    state.role = filters.elements.role.value;
    state.active = filters.elements.active.value;
    state.page = 1;
    load();
  });
  document.getElementById("prev").addEventListener("click", () => { state.page -= 1; load(); });
  document.getElementById("next").addEventListener("click", () => { state.page += 1; load(); });

  let admin = false;
  function applyRole() {
    document.querySelectorAll(".admin-only").forEach((node) => { if (!admin) node.hidden = true; });
  }
  window.mtc.me.then((who) => {
    admin = !!(who && who.roles.some((r) => r.role === "user_admin"));
    applyRole();
  });
  load();
})();
