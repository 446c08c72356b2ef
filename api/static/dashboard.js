/* Official's dashboard: counts by status and stage, overdue tasks, notices closing soon, cycle times. */
(function () {
  const { api, el, t, when } = window.mtc;
  const SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bars(target, rows) {
    if (!rows.length) { target.replaceChildren(el("p", {}, t("dash.none"))); return; }
    const max = Math.max(...rows.map((r) => r.value), 1);
    const height = rows.length * 26 + 4;
    // role=img hides the bars' texts from screen readers: the name says every bar
    const summary = rows.map((r) => `${r.label} ${r.value}`).join(window.LANG === "en" ? "; " : "；");
    const chart = svg("svg", { viewBox: `0 0 420 ${height}`, width: 420, height, role: "img",
      "aria-label": t("dash.chart").replace("{rows}", summary) });
    rows.forEach((r, i) => {
      const y = i * 26 + 2;
      const width = Math.max(2, (r.value / max) * 210);
      const text = svg("text", { x: 0, y: y + 16, class: "label" }, r.label.length > 12 ? r.label.slice(0, 11) + "…" : r.label);
      text.append(svg("title", {}, r.label));
      chart.append(text, svg("rect", { x: 170, y, width, height: 20, rx: 3, class: "bar" }),
        svg("text", { x: 176 + width, y: y + 15, class: "value" }, String(r.value)));
    });
    target.replaceChildren(chart);
  }

  /* The viewer's jurisdiction: a provincial authority (or any account whose business grants all lie in one
     province, or all at national level) sees its own; auditors, admins and mixed grants see everything. */
  function viewerScope(who) {
    const business = (who ? who.roles : []).filter((r) => !["auditor", "process_admin", "user_admin"].includes(r.role));
    if (!business.length) return null;
    const levels = new Set(business.map((r) => {
      const m = /^level\/(provincial|ministry)\/(.+)$/.exec(r.scope || "");
      if (m) return JSON.stringify({ level: m[1], jurisdiction: m[2] });
      return r.scope === "level/national" ? JSON.stringify({ level: "national" }) : "other";
    }));
    return levels.size === 1 && !levels.has("other") ? JSON.parse([...levels][0]) : null;
  }

  let scope = {};
  const scoped = (path) => path + (path.includes("?") ? "&" : "?") + new URLSearchParams(scope).toString();

  // Exact counts from each list's total (one small request per status or stage), not a sample of rows.
  async function totals(path, field, keys) {
    const counts = await Promise.all(Object.keys(keys).map((key) =>
      api("GET", scoped(`${path}?per_page=1&${field}=${encodeURIComponent(key)}`)).then((page) => page.total)));
    return Object.entries(keys).map(([key, label], i) => ({ label, value: counts[i] })).filter((r) => r.value > 0);
  }

  const root = document.getElementById("dashboard");
  const statuses = Object.fromEntries(JSON.parse(root.dataset.statuses).map((s) => [s, t("committee." + s)]));
  const stages = JSON.parse(root.dataset.stages);

  const guard = (target, promise) => promise.catch((err) => target.replaceChildren(  // a list holds only items
    el(target.tagName === "UL" ? "li" : "p", { class: "error" }, err.message)));
  const byId = (id) => document.getElementById(id);

  async function show() {
    const who = await window.mtc.me;
    scope = viewerScope(who) || {};
    const line = byId("dash-scope");
    line.textContent = scope.level ? t("dash.scope").replace("{scope}", scope.jurisdiction
      ? `${scope.jurisdiction}（${t("reg.level." + scope.level)}）` : t("reg.level." + scope.level)) : t("dash.scope_all");
    root.dataset.scope = scope.jurisdiction || scope.level || "all";
  guard(byId("committees"), totals("/committees", "status", statuses).then((rows) => bars(byId("committees"), rows)));
  guard(byId("specs"), totals("/specifications", "stage", stages).then((rows) => bars(byId("specs"), rows)));
  guard(byId("overdue"), api("GET", "/reports/overdue-tasks?per_page=20").then((p) => {
    byId("overdue").replaceChildren(...(p.items.length ? p.items.map((task) => el("li", {},
      el("a", { href: "/tasks/" + task.id }, task.name || task.element_id), " · ",
      task.scope.committee || "", " · ", el("span", { class: "badge bad" }, when(task.due_at)))) : [el("li", {}, t("dash.none"))]));
  }));
  guard(byId("closing"), api("GET", scoped("/notices?status=open&per_page=100"), undefined, { public: true }).then((p) => {
    const soon = p.items.filter((n) => n.closes_at).sort((a, b) => a.closes_at.localeCompare(b.closes_at)).slice(0, 10);
    byId("closing").replaceChildren(...(soon.length ? soon.map((n) => el("li", {},
      el("a", { href: "/notices/" + n.id }, n.subject), " · ", when(n.closes_at))) : [el("li", {}, t("dash.none"))]));
  }));
  guard(byId("cycle"), api("GET", "/reports/cycle-times").then((r) => bars(byId("cycle"),
    r.items.map((c) => ({ label: c.name || c.process_key, value: c.avg_hours })))));
  }
  show();
})();
