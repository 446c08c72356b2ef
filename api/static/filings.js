/* 备案: filed ministry and provincial specifications. The national authority reads the text and the ranked
   consistency matches (with the shared terms that made each match), raises an objection or accepts; the issuing
   authority sees the objections and answers them in its inbox task. */
(function () {
  const { api, el, t, when, problemText, me } = window.mtc;
  const badge = (f) => el("span", { class: "badge " + ({ accepted: "good", objected: "bad" }[f.status] || "") }, f.status_label);

  const list = document.getElementById("filings");
  if (list) {
    api("GET", "/filings").then((page) => {
      list.replaceChildren(...(page.items.length ? page.items.map((f) => el("tr", { "data-filing-id": f.id, "data-status": f.status },
        el("td", {}, el("a", { href: "/filings/" + f.id }, f.number || f.spec_id)), el("td", {}, f.title),
        el("td", {}, f.issuing_authority, el("div", { class: "meta" }, [f.level && t("start.level." + f.level), f.jurisdiction].filter(Boolean).join(" · "))),
        el("td", {}, when(f.filed_at)), el("td", {}, badge(f))))
        : [el("tr", {}, el("td", { colspan: 5 }, t("filings.none")))]));
    }).catch((err) => list.replaceChildren(el("tr", {}, el("td", { colspan: 5, class: "error" }, problemText(err)))));
    return;
  }

  const root = document.getElementById("filing");
  const id = root.dataset.filingId;
  const message = document.getElementById("filing-message");
  const say = (cls, text) => message.replaceChildren(el("p", { class: cls, role: cls === "error" ? "alert" : null }, text));

  function reasons(m) {
    return el("ul", { class: "reasons" }, ...m.reasons.map((r) => el("li", { "data-field": r.field },
      el("strong", {}, r.label || r.field), "：", r.terms.join("、"))));
  }

  function objection(o, f) {
    const answered = o.answer
      ? el("div", { class: "answer" }, el("strong", {}, t("filings.answer")), `（${o.answered_by} · ${when(o.answered_at)}，${t("filings.resolution")}：${o.resolution}）`, el("p", {}, o.answer))
      : el("p", { class: "meta" }, t("filings.awaiting"), f.instance_id ? [" ", el("a", { href: "/inbox" }, t("filings.answer_in_inbox"))] : null);
    return el("li", { "data-objection-id": o.id, "data-answered": o.answer ? "true" : "false" },
      el("span", { class: "badge bad" }, t("filings.objection")), " ", o.conflicts_with ? `${t("filings.conflicts_with")}：${o.conflicts_with} · ` : "",
      `${o.raised_by || ""} · ${when(o.raised_at)}`, el("p", {}, o.opinion), answered);
  }

  async function load() {
    const [f, who] = await Promise.all([api("GET", "/filings/" + id), me]);
    document.getElementById("filing-heading").replaceChildren(`${f.number || f.spec_id} ${f.title} `, badge(f));
    document.getElementById("filing-meta").textContent = [f.issuing_authority, [f.level && t("start.level." + f.level), f.jurisdiction].filter(Boolean).join(" "),
      `${t("filings.filed_at")} ${when(f.filed_at)}`, f.filed_by].filter(Boolean).join(" · ");
    document.getElementById("filing-text").textContent = f.text;
    document.getElementById("filing-note").textContent = f.note ? `${t("filings.note")}：${f.note}` : "";
    const matches = (f.finding && f.finding.matches) || [];
    document.getElementById("matches").replaceChildren(...(matches.length ? matches.map((m, i) => el("tr", { "data-number": m.number || m.spec_id },
      el("td", {}, i + 1), el("td", {}, m.number || m.spec_id), el("td", {}, m.title),
      el("td", {}, [m.level && t("start.level." + m.level), m.jurisdiction].filter(Boolean).join(" · ")),
      el("td", {}, el("span", { class: "badge " + (m.status === "in_force" ? "good" : "") }, t("filings.match." + m.status))),
      el("td", {}, m.score.toFixed(2)), el("td", {}, reasons(m))))
      : [el("tr", {}, el("td", { colspan: 7 }, t("filings.no_matches")))]));
    document.getElementById("objections").replaceChildren(...(f.objections.length ? f.objections.map((o) => objection(o, f))
      : [el("li", { class: "meta" }, t("filings.no_objections"))]));
    const national = who && who.roles.some((r) => r.role === "authority" && r.scope === "level/national");
    const open = ["filed", "answered"].includes(f.status);
    document.getElementById("national-actions").hidden = !(national && open);
    const choice = document.getElementById("conflicts-with");
    choice.replaceChildren(el("option", { value: "" }, "—"), ...matches.filter((m) => m.number).map((m) =>
      el("option", { value: m.number }, `${m.number} ${m.title}`)));
    root.dataset.status = f.status;
  }

  document.getElementById("objection-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = new FormData(event.target);
    const body = { opinion: String(f.get("opinion")).trim() };
    if (f.get("conflicts_with")) body.conflicts_with = f.get("conflicts_with");
    try {
      await api("POST", `/filings/${id}/objections`, body);
      event.target.reset();
      say("ok", t("filings.raised"));
      await load();
    } catch (err) {
      say("error", problemText(err));
    }
  });
  document.getElementById("accept").addEventListener("click", async () => {
    try {
      await api("POST", `/filings/${id}/acceptance`);
      say("ok", t("filings.accepted"));
      await load();
    } catch (err) {
      say("error", problemText(err));
    }
  });
  load().catch((err) => {
    document.getElementById("filing-heading").replaceChildren(err.status === 404 ? t("problem.404") : problemText(err));
  });
})();
