/* Instances the caller may see (auditors: all), newest first: search by name or key, filters by state, process,
   committee, specification and business key, and pages. The filter lives in the URL, so it can be bookmarked. */
(function () {
  const { api, el, t, when, fill, showError, processNames } = window.mtc;
  const PER_PAGE = 25;
  const FIELDS = ["q", "state", "process_key", "committee", "specification", "business_key"];
  const body = document.querySelector("#instances tbody");
  const filters = document.getElementById("filters");
  const info = document.getElementById("page-info");
  const prev = document.getElementById("prev");
  const next = document.getElementById("next");
  const params = new URLSearchParams(location.search);
  const state = { page: Math.max(1, Number(params.get("page")) || 1) };
  for (const name of FIELDS) state[name] = params.get(name) || "";

  function query(extra) {
    const q = new URLSearchParams();
    for (const name of FIELDS) if (state[name]) q.set(name, state[name]);
    if (state.page > 1) q.set("page", state.page);
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return q.toString();
  }

  async function load() {
    for (const name of FIELDS) filters.elements[name].value = state[name];
    history.replaceState(null, "", location.pathname + (query() ? "?" + query() : ""));
    try {
      const [page, processName] = await Promise.all([
        api("GET", "/instances?" + query({ per_page: PER_PAGE, page: state.page })), processNames()]);
      const pages = Math.max(1, Math.ceil(page.total / PER_PAGE));
      info.textContent = t("inbox.page").replace("{page}", page.page).replace("{pages}", pages).replace("{total}", page.total);
      prev.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
      fill(body, page.items.map((i) => el("tr", { "data-instance-id": i.id, "data-business-key": i.business_key || "" },
        el("td", {}, el("a", { href: "/instances/" + i.id }, `${processName(i.process_key)} v${i.version}`)),
        el("td", {}, i.business_key || "—"),
        el("td", {}, i.scope.committee ? el("a", { href: "/registry/committees/" + encodeURIComponent(i.scope.committee) }, i.scope.committee) : null,
          i.scope.committee && i.scope.specification ? " / " : null,
          i.scope.specification ? el("a", { href: "/registry/specifications/" + encodeURIComponent(i.scope.specification) }, i.scope.specification) : null,
          i.scope.committee || i.scope.specification ? null : "—"),
        el("td", { class: "nowrap" }, el("span", { class: "state state-" + i.state }, t("instance." + i.state))),
        el("td", {}, i.tasks.map((task) => task.name || task.element_id).join("、") || "—"),
        el("td", { class: "nowrap" }, when(i.created_at)))), 6);
    } catch (err) {
      showError(body, err);
    }
  }

  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const name of FIELDS) state[name] = filters.elements[name].value.trim();
    state.page = 1;
    load();
  });
  filters.elements.state.addEventListener("change", () => filters.requestSubmit());
  filters.elements.process_key.addEventListener("change", () => filters.requestSubmit());
  prev.addEventListener("click", () => { state.page -= 1; load(); });
  next.addEventListener("click", () => { state.page += 1; load(); });

  api("GET", "/definitions?per_page=200").then((page) => {
    filters.elements.process_key.append(...page.items.map((d) => el("option", { value: d.key }, d.name || d.key)));
    filters.elements.process_key.value = state.process_key;
  }).catch(() => {});
  api("GET", "/committees?per_page=200", undefined, { public: true }).then((page) => {
    document.getElementById("committee-codes").replaceChildren(...page.items.map((c) => el("option", { value: c.code }, c.name)));
  }).catch(() => {});
  load();
})();
