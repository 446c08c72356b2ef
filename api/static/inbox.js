/* Inbox: what I can work now, in views (to do, mine, claimable, overdue, done by me), with search, committee and
   specification filters, sort, pages and saved filters. The filter lives in the URL, so it can be bookmarked. */
(function () {
  const { api, el, t, when, showError, processNames } = window.mtc;
  const PER_PAGE = 20;
  const VIEWS = {
    actionable: { actionable: "true" },
    mine: { mine: "true" },
    claimable: { claimable: "true", actionable: "true" },
    overdue: { actionable: "true", overdue: "true" },
    done: { mine: "true", state: "completed", sort: "-completed_at" },
  };
  const FIELDS = ["q", "committee", "specification", "sort"];
  const body = document.querySelector("#inbox tbody");
  const table = document.getElementById("inbox");
  const guide = document.getElementById("inbox-guide");
  const filters = document.getElementById("filters");
  const info = document.getElementById("page-info");
  const prev = document.getElementById("prev");
  const next = document.getElementById("next");
  const SAVED = "mtcflow.inbox.saved";

  function readState() {
    const params = new URLSearchParams(location.search);
    const state = { view: VIEWS[params.get("view")] ? params.get("view") : "actionable",
      page: Math.max(1, Number(params.get("page")) || 1) };
    for (const name of FIELDS) state[name] = params.get(name) || "";
    return state;
  }

  let state = readState();

  function stateQuery(s) {
    const params = new URLSearchParams();
    if (s.view !== "actionable") params.set("view", s.view);
    for (const name of FIELDS) if (s[name] && !(name === "sort" && s[name] === "due_at")) params.set(name, s[name]);
    if (s.page > 1) params.set("page", s.page);
    return params.toString();
  }

  function apiQuery(s, extra) {
    const params = new URLSearchParams({ per_page: PER_PAGE, page: s.page, ...VIEWS[s.view], ...(extra || {}) });
    for (const name of ["q", "committee", "specification"]) if (s[name]) params.set(name, s[name].trim());
    if (s.sort && s.view !== "done") params.set("sort", s.sort);
    return "/tasks?" + params.toString();
  }

  function showState() {
    document.querySelectorAll("#views button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.view === state.view)));
    for (const name of FIELDS) filters.elements[name].value = state[name] || (name === "sort" ? "due_at" : "");
    filters.elements.sort.disabled = state.view === "done";
    document.getElementById("when-col").textContent = t(state.view === "done" ? "col.completed" : "col.due");
  }

  async function showGuide() {
    const who = await window.mtc.me;
    const roles = who ? who.roles.map((r) => r.role + (r.scope ? " @ " + r.scope : "")) : [];
    const auditorOnly = who && who.roles.length && who.roles.every((r) => r.role === "auditor");
    guide.replaceChildren(el("h2", {}, t("inbox.guide.title")),
      el("p", {}, auditorOnly ? t("inbox.guide.auditor") : t("inbox.guide.text")),
      roles.length ? el("p", { class: "meta" }, t("inbox.guide.roles") + roles.join("，")) : null,
      el("p", { class: "actions" },
        auditorOnly ? null : el("a", { class: "button", href: "/start" }, t("inbox.guide.start")),
        el("a", { class: "button", href: "/instances" }, t("inbox.guide.instances")),
        el("a", { class: "button", href: "/inbox?view=done" }, t("inbox.guide.done"))));
    guide.hidden = false;
    table.hidden = true;
    document.querySelector(".pager").hidden = true;
  }

  async function load() {
    showState();
    history.replaceState(null, "", location.pathname + (stateQuery(state) ? "?" + stateQuery(state) : ""));
    guide.hidden = true;
    table.hidden = false;
    document.querySelector(".pager").hidden = false;
    try {
      // "Overdue" is the server's judgement (its clock and calendar), not the browser's.
      const open = state.view !== "done";
      const [page, overdue, processName] = await Promise.all([
        api("GET", apiQuery(state)),
        open ? api("GET", apiQuery({ ...state, page: 1 }, { overdue: "true", per_page: 200 })) : { items: [] },
        processNames(),
      ]);
      const pages = Math.max(1, Math.ceil(page.total / PER_PAGE));
      info.textContent = t("inbox.page").replace("{page}", page.page).replace("{pages}", pages).replace("{total}", page.total);
      prev.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
      const filtered = state.q || state.committee || state.specification;
      if (!page.total && state.view === "actionable" && !filtered) return showGuide();
      const lateIds = new Set(overdue.items.map((task) => task.id));
      const rows = page.items.map((task) => {
        const late = lateIds.has(task.id);
        const scope = [task.scope.committee, task.scope.specification].filter(Boolean).join(" / ");
        return el("tr", { class: late ? "overdue" : null, "data-task-id": task.id, "data-element": task.element_id },
          el("td", {}, el("a", { href: "/tasks/" + task.id }, task.name || task.element_id)),
          el("td", { title: task.process_key }, processName(task.process_key)), el("td", {}, scope || "—"),
          el("td", {}, t("state." + task.state)), el("td", {}, task.assignee || "—"),
          el("td", {}, open ? when(task.due_at) : when(task.completed_at),
            late ? el("span", { class: "badge bad" }, t("overdue")) : null));
      });
      body.replaceChildren(...(rows.length ? rows
        : [el("tr", {}, el("td", { colspan: 6 }, t(filtered ? "inbox.none_filtered" : "inbox.empty")))]));
    } catch (err) {
      showError(body, err);
    }
  }

  function savedList() {
    try { return JSON.parse(localStorage.getItem(SAVED)) || []; } catch (e) { return []; }
  }

  function showSaved() {
    const box = document.getElementById("saved");
    const list = savedList();
    box.hidden = !list.length;
    box.replaceChildren(el("span", { class: "meta" }, t("inbox.saved")), ...list.map((item, i) => el("span", {},
      el("a", { class: "button small-button", href: "/inbox?" + item.query }, item.name),
      el("button", { type: "button", class: "link-muted small-button", "aria-label": t("inbox.remove_saved") + " " + item.name,
        onclick: () => { const all = savedList(); all.splice(i, 1); localStorage.setItem(SAVED, JSON.stringify(all)); showSaved(); } }, "×"))));
  }

  document.getElementById("views").addEventListener("click", (event) => {
    const view = event.target.closest("button[data-view]");
    if (!view) return;
    state = { ...state, view: view.dataset.view, page: 1 };
    load();
  });
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const name of FIELDS) state[name] = filters.elements[name].value.trim();
    state.page = 1;
    load();
  });
  filters.elements.sort.addEventListener("change", () => filters.requestSubmit());
  document.getElementById("save-filter").addEventListener("click", () => {
    for (const name of FIELDS) state[name] = filters.elements[name].value.trim();
    const label = [t("inbox.view." + state.view), state.committee, state.specification, state.q].filter(Boolean).join(" · ");
    const name = (window.prompt(t("inbox.save_name"), label) || "").trim();
    if (!name) return;
    const list = savedList().filter((item) => item.name !== name);
    list.push({ name, query: stateQuery({ ...state, page: 1 }) });
    localStorage.setItem(SAVED, JSON.stringify(list));
    showSaved();
  });
  prev.addEventListener("click", () => { state.page -= 1; load(); });
  next.addEventListener("click", () => { state.page += 1; load(); });

  api("GET", "/committees?per_page=200", undefined, { public: true }).then((page) => {
    document.getElementById("committee-codes").replaceChildren(...page.items.map((c) => el("option", { value: c.code }, c.name)));
  }).catch(() => {});
  showSaved();
  load();
})();
