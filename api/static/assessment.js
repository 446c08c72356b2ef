/* 考核: a committee's scorecard for a year — each figure opens the events it was counted from, each a link into
   its instance's history — its members' participation, and the secretary-general's member assessment form. */
(function () {
  const { api, el, t, when, problemText } = window.mtc;
  const form = document.getElementById("pick");
  const message = document.getElementById("assess-message");
  const say = (cls, text) => message.replaceChildren(el("p", { class: cls, role: cls === "error" ? "alert" : null }, text));
  const FIGURES = ["ballots_cast", "opinions_given", "drafting_work", "review_work", "attendance"];
  const params = new URLSearchParams(location.search);
  form.elements.committee.value = params.get("committee") || "";
  form.elements.year.value = params.get("year") || new Date().getFullYear();

  /* The evidence of one figure: the history events (or instances) it was counted from, linked to the instance. */
  function showEvidence(title, items, instanceIds) {
    const box = document.getElementById("evidence");
    document.getElementById("evidence-title").textContent = `${t("assess.evidence")}：${title}`;
    const rows = items.length ? items.map((i) => el("li", { "data-event-id": i.event_id, "data-ok": String(i.ok) },
      el("a", { href: `/instances/${i.instance_id}#seq-${i.seq}`, class: "evidence-link" },
        `${t("assess.instance")} ${i.instance_id.slice(0, 8)} · #${i.seq} ${i.type}`),
      ` · ${when(i.at)}`, i.ok === undefined ? "" : el("span", { class: "badge " + (i.ok ? "good" : "bad") }, i.ok ? "✓" : "✗"),
      i.hash ? el("div", { class: "meta" }, `hash ${i.hash.slice(0, 16)}…`) : null))
      : instanceIds.map((iid) => el("li", {}, el("a", { href: `/instances/${iid}`, class: "evidence-link" }, `${t("assess.instance")} ${iid}`)));
    document.getElementById("evidence-list").replaceChildren(...(rows.length ? rows : [el("li", { class: "meta" }, t("assess.no_evidence"))]));
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  const figure = (value, total, open) => {
    const text = total ? `${value} / ${total}` : t("assess.not_due");
    return total ? el("a", { href: "#evidence", class: "figure", onclick: (ev) => { ev.preventDefault(); open(); } }, text) : text;
  };

  async function load() {
    const code = form.elements.committee.value.trim();
    const year = form.elements.year.value;
    if (!code) return;
    history.replaceState(null, "", `?committee=${encodeURIComponent(code)}&year=${year}`);
    message.replaceChildren();
    try {
      const [card, part, assessed] = await Promise.all([
        api("GET", `/committees/${encodeURIComponent(code)}/scorecard?year=${year}`),
        api("GET", `/committees/${encodeURIComponent(code)}/participation?year=${year}`),
        api("GET", `/committees/${encodeURIComponent(code)}/member-assessments?year=${year}`)]);
      document.getElementById("indicators").replaceChildren(...card.indicators.map((i) => el("tr", { "data-key": i.key },
        el("td", {}, i.name), el("td", {}, figure(i.value, i.total, () => showEvidence(i.name, i.items, i.instance_ids))),
        el("td", {}, i.rate === null ? "—" : `${Math.round(i.rate * 100)}%`))));
      document.getElementById("evidence").hidden = true;
      const grades = new Map(assessed.items.map((a) => [a.username, a]));
      document.getElementById("members").replaceChildren(...(part.members.length ? part.members.map((m) => el("tr", { "data-username": m.username || "" },
        el("td", {}, m.name), el("td", {}, m.role), el("td", {}, m.unit || "—"),
        ...FIGURES.map((key) => {
          const f = m.figures[key] || {};
          return el("td", { "data-figure": key }, figure(f.value || 0, f.total, () =>
            showEvidence(`${m.name} · ${t("assess." + key)}`, [], f.instance_ids || [])));
        }),
        el("td", {}, grades.has(m.username) ? el("span", { class: "badge" }, grades.get(m.username).grade) : "—")))
        : [el("tr", {}, el("td", { colspan: 9 }, t("assess.no_members")))]));
      document.getElementById("assess-member").replaceChildren(...part.members.filter((m) => m.username).map((m) =>
        el("option", { value: m.username }, `${m.name}（${m.username}）`)));
      document.getElementById("scorecard").hidden = false;
      document.getElementById("participation").hidden = false;
    } catch (err) {
      document.getElementById("scorecard").hidden = true;
      document.getElementById("participation").hidden = true;
      say("error", problemText(err));
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  document.getElementById("assess-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = new FormData(event.target);
    const code = form.elements.committee.value.trim();
    const body = { year: Number(form.elements.year.value), username: f.get("username"), grade: f.get("grade") };
    if (f.get("comment")) body.comment = f.get("comment");
    try {
      await api("POST", `/committees/${encodeURIComponent(code)}/member-assessments`, body);
      event.target.reset();
      await load();
      say("ok", t("assess.saved"));
    } catch (err) {
      say("error", problemText(err));
    }
  });
  load();
})();
