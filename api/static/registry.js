/* The registries, public (BR12): committees (members, term, status, reports, assessments, notices) and
   specifications (stage, number, documents, history). A signed-in caller whose roles cover a specification sees
   its full record; the server decides. A committee still in its 筹建/组建公示 is shown from its notices. */
(function () {
  const { api, el, t, when } = window.mtc;
  const root = document.getElementById("registry");
  const view = root.dataset.view;
  const key = root.dataset.key;
  const STAGES = JSON.parse(root.dataset.stages || "{}");
  const PER_PAGE = 25;
  const get = (path) => api("GET", path, undefined, { public: true });
  const day = (iso) => (iso ? String(iso).slice(0, 10) : "—");
  const committeeLink = (code) => (code ? el("a", { href: "/registry/committees/" + encodeURIComponent(code) }, code) : "—");
  const specLink = (id, text) => el("a", { href: "/registry/specifications/" + encodeURIComponent(id) }, text || id);
  const label = (prefix, value) => (value ? (t(prefix + value) === prefix + value ? value : t(prefix + value)) : "—");
  const facts = (rows) => el("dl", { class: "facts" }, ...rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  const section = (title, ...children) => el("section", { class: "card" }, el("h2", {}, title), ...children);
  const table = (id, heads, rows) => el("table", { class: "grid", id },
    el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...(rows.length ? rows : [el("tr", {}, el("td", { colspan: heads.length }, t("dash.none")))])));

  /* ----- lists ----- */
  async function list() {
    const form = document.getElementById("filters");
    const body = document.querySelector("#list tbody");
    const params = new URLSearchParams(location.search);
    let page = Math.max(1, Number(params.get("page")) || 1);
    for (const input of form.elements) if (input.name) input.value = params.get(input.name) || "";
    async function load() {
      const query = new URLSearchParams({ per_page: PER_PAGE, page });
      for (const input of form.elements) if (input.name && input.value.trim()) query.set(input.name, input.value.trim());
      history.replaceState(null, "", location.pathname + "?" + query);
      try {
        const result = await get(`/${view}?` + query);
        const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
        document.getElementById("page-info").textContent = t("inbox.page").replace("{page}", result.page).replace("{pages}", pages).replace("{total}", result.total);
        document.getElementById("prev").disabled = page <= 1;
        document.getElementById("next").disabled = page >= pages;
        const rows = view === "committees"
          ? result.items.map((c) => el("tr", { "data-code": c.code }, el("td", {}, committeeLink(c.code)), el("td", {}, c.name),
            el("td", {}, [label("reg.level.", c.level), c.jurisdiction].filter(Boolean).join(" · ")),
            el("td", { class: "nowrap" }, el("span", { class: "badge" }, label("committee.", c.status))),
            el("td", {}, c.term && c.term.number ? `${t("reg.term_n").replace("{n}", c.term.number)} ${day(c.term.start)}—${day(c.term.end)}` : "—"),
            el("td", {}, c.member_count)))
          : result.items.map((s) => el("tr", { "data-spec": s.id }, el("td", {}, specLink(s.id)), el("td", { class: "nowrap" }, s.number || "—"),
            el("td", {}, s.title), el("td", { class: "nowrap" }, s.stage_name || STAGES[s.stage] || s.stage),
            el("td", {}, committeeLink(s.committee)), el("td", { class: "nowrap" }, day(s.effective_date))));
        body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: 6 }, t("dash.none")))]));
      } catch (err) { window.mtc.showError(body, err); }
    }
    form.addEventListener("submit", (e) => { e.preventDefault(); page = 1; load(); });
    document.getElementById("prev").addEventListener("click", () => { page -= 1; load(); });
    document.getElementById("next").addEventListener("click", () => { page += 1; load(); });
    load();
  }

  /* ----- one committee ----- */
  function noticesCard(notices) {
    return section(t("reg.notices"), el("ul", { id: "notices" }, ...(notices.length ? notices.map((n) => el("li", { "data-kind": n.kind },
      el("a", { href: "/notices/" + n.id }, n.subject), " · ", label("reg.phase.", n.phase), " · ", `${day(n.opens_at)}—${day(n.closes_at)}`))
      : [el("li", {}, t("dash.none"))])));
  }

  const memberRows = (members) => members.map((m) => el("tr", {}, el("td", {}, m.name), el("td", {}, m.role_title || label("reg.role.", m.role)),
    el("td", {}, m.unit || "—"), el("td", {}, m.title || "—"), el("td", {}, m.stakeholder_title || m.stakeholder_category || "—")));

  async function committee() {
    const detail = document.getElementById("detail");
    let c;
    try { c = await get("/committees/" + encodeURIComponent(key)); } catch (err) {
      detail.replaceChildren(el("p", { class: "error", role: "alert", id: "not-found" }, err.status === 404 ? t("reg.committee_missing") : err.message));
      return;
    }
    document.getElementById("title").textContent = `${c.name}（${c.code}）`;
    root.dataset.status = c.status;
    const heads = [t("users.name"), t("reg.role"), t("users.unit"), t("reg.title_col"), t("reg.stakeholder")];
    const parts = [];
    if (c.announced) parts.push(el("p", { class: "notice-box", id: "announced" }, t("reg.announced")));
    parts.push(section(t("reg.facts"), facts([
      [t("reg.status"), el("span", { class: "badge", id: "status" }, label("committee.", c.status))],
      [t("reg.level"), [label("reg.level.", c.level), c.jurisdiction].filter(Boolean).join(" · ")],
      [t("reg.scope"), c.scope], [t("reg.host"), c.secretariat_host], [t("reg.authority"), c.authority],
      [t("reg.term"), c.term && c.term.number ? `${t("reg.term_n").replace("{n}", c.term.number)} ${day(c.term.start)}—${day(c.term.end)}${c.term.expired ? " · " + t("reg.expired") : ""}` : null],
      [t("reg.established"), c.established_at ? day(c.established_at) : null], [t("reg.approval_document"), c.approval_document],
      [t("reg.grade"), c.last_grade ? `${c.last_grade} · ${day(c.last_assessed_at)}` : null],
      [t("reg.parent"), c.parent_code ? committeeLink(c.parent_code) : null],
      [t("reg.subcommittees"), c.subcommittees && c.subcommittees.length ? el("span", {}, ...c.subcommittees.flatMap((s, i) => [i ? "、" : "", committeeLink(s)])) : null],
      ...Object.entries(c.plan || {}).map(([k, v]) => [label("reg.plan.", k), v]),
    ])));
    if (c.members.length) {
      parts.push(section(t("reg.members_n").replace("{n}", c.member_count), table("members", heads, memberRows(c.members))));
    } else if (c.proposed_members && c.proposed_members.length) {
      parts.push(section(t("reg.proposed_members").replace("{n}", c.proposed_members.length),
        el("p", { class: "meta" }, t("reg.proposed_hint")), table("members", heads, memberRows(c.proposed_members))));
    } else {
      parts.push(section(t("reg.members_n").replace("{n}", 0), el("p", { class: "meta" }, t("reg.no_members"))));
    }
    parts.push(section(t("reg.reports"), table("reports", [t("reg.report_kind"), t("reg.period"), t("reg.report_state"), t("reg.grade")],
      c.reports.map((r) => el("tr", {}, el("td", {}, label("reg.report.", r.kind)), el("td", {}, r.period),
        el("td", {}, r.missed ? el("span", { class: "badge bad" }, t("reg.missed")) : r.accepted_at ? t("reg.accepted") + " " + day(r.accepted_at) : "—"),
        el("td", {}, r.grade || "—"))))));
    parts.push(section(t("reg.assessments"), table("assessments", [t("reg.assessment_kind"), t("reg.grade"), t("reg.outcome"), t("reg.assessed_at")],
      c.assessments.map((a) => el("tr", {}, el("td", {}, label("reg.assessment.", a.kind)), el("td", {}, a.grade || "—"),
        el("td", {}, a.outcome || (a.passed === false ? t("reg.failed") : "—")), el("td", {}, day(a.assessed_at)))))));
    parts.push(noticesCard(c.notices || []));
    detail.replaceChildren(...parts);
  }

  /* ----- one specification ----- */
  async function specification() {
    const detail = document.getElementById("detail");
    let s;
    try { s = await get("/specifications/" + encodeURIComponent(key)); } catch (err) {
      detail.replaceChildren(el("p", { class: "error", role: "alert", id: "not-found" }, err.status === 404 ? t("reg.spec_missing") : err.message));
      return;
    }
    document.getElementById("title").textContent = [s.number, s.title].filter(Boolean).join(" ") || s.id;
    root.dataset.stage = s.stage;
    const docs = Object.entries(s.documents || {}).flatMap(([kind, value]) => (Array.isArray(value) ? value : [value]).map((v) => [kind, v]));
    detail.replaceChildren(...[
      section(t("reg.facts"), facts([
        [t("reg.spec_id"), s.id], [t("reg.number"), s.number], [t("reg.stage"), el("span", { class: "badge", id: "stage" }, s.stage_name || STAGES[s.stage] || s.stage)],
        [t("reg.type"), s.type], [t("reg.kind"), label("reg.kind.", s.kind)],
        [t("reg.replaces"), s.replaces ? specLink(s.replaces, s.replaces_number || s.replaces) : null],
        [t("reg.superseded_by"), s.superseded_by ? specLink(s.superseded_by) : null],
        [t("reg.responsible"), committeeLink(s.committee)], [t("reg.level"), [label("reg.level.", s.level), s.jurisdiction].filter(Boolean).join(" · ")],
        [t("reg.drafting_units"), (s.drafting_units || []).join("、")], [t("reg.publication"), s.publication_date ? day(s.publication_date) : null],
        [t("reg.effective"), s.effective_date ? day(s.effective_date) : null], [t("reg.drafting_due"), s.drafting_due ? day(s.drafting_due) : null],
        [t("reg.comment_notice"), s.comment_notice_id ? el("a", { href: "/notices/" + s.comment_notice_id }, t("reg.open_notice")) : null],
        [t("reg.livelihood"), s.livelihood ? t("reg.yes") : null],
      ])),
      s.full ? null : el("p", { class: "meta", id: "public-view" }, t("reg.public_view")),
      section(t("reg.documents"), el("ul", { id: "documents" }, ...(docs.length ? docs.map(([kind, v]) => el("li", {}, label("reg.doc.", kind), " · ",
        typeof v === "object" && v && v.id ? el("a", { href: `/api/v1/documents/${v.id}/content` }, v.filename || v.id)
          : Number.isInteger(v) ? el("a", { href: `/api/v1/documents/${v}/content` }, `#${v}`) : String(v))) : [el("li", {}, t("dash.none"))]))),
      section(t("reg.history"), table("changes", [t("col.time"), t("reg.change"), t("col.actor"), t("reg.stage")],
        (s.changes || []).map((c) => el("tr", {}, el("td", { class: "nowrap" }, when(c.at)), el("td", {}, label("reg.action.", c.action)),
          el("td", {}, c.actor || t("actor.system")), el("td", {}, STAGES[c.stage] || c.stage || "—")))))].filter(Boolean));
  }

  ({ committees: list, specifications: list, committee, specification })[view]();
})();
