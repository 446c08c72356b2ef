/* Public notice board and one notice with its comment form (no login needed). */
(function () {
  const { api, el, t, when } = window.mtc;
  const pub = { public: true };

  function status(n) {
    return el("span", { class: "badge " + (n.status === "open" ? "good" : "") }, t("notices." + n.status));
  }

  const list = document.getElementById("notices");
  if (list) {
    api("GET", "/notices?per_page=100", undefined, pub).then((page) => {
      list.replaceChildren(...(page.items.length ? page.items.map((n) => el("li", { "data-status": n.status },
        el("a", { href: "/notices/" + n.id }, n.subject), " ", status(n),
        el("div", { class: "meta" }, `${n.kind_title} · ${t("notices.window")} ${when(n.opens_at)} — ${when(n.closes_at)}`)))
        : [el("li", {}, t("notices.empty"))]));
    }).catch((err) => list.replaceChildren(el("li", { class: "error" }, err.message)));
    return;
  }

  const root = document.getElementById("notice");
  const id = root.dataset.noticeId;
  const form = document.getElementById("comment-form");
  const message = document.getElementById("comment-message");

  /* What the public is asked to judge: labelled fields, lists joined, tables for rows (members, specifications). */
  function content(n) {
    const label = (key) => (n.content_labels || {})[key] || key;
    const cell = (v) => (Array.isArray(v) ? v.join("、") : v === true ? "✓" : String(v ?? ""));
    return Object.entries(n.content || {}).flatMap(([key, value]) => {
      let shown = cell(value);
      if (Array.isArray(value) && value.length && typeof value[0] === "object") {
        const columns = [...new Set(value.flatMap((row) => Object.keys(row)))];
        shown = el("table", {}, el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", {}, label(c))))),
          el("tbody", {}, ...value.map((row) => el("tr", {}, ...columns.map((c) => el("td", {}, cell(row[c])))))));
      }
      return [el("dt", {}, label(key)), el("dd", {}, shown)];
    });
  }

  api("GET", "/notices/" + id, undefined, pub).then((n) => {
    document.getElementById("notice-content").replaceChildren(...content(n));
    if (n.phase === "announced") document.getElementById("comment-card").hidden = true;  // a 公告 takes no comments
    else if (n.status !== "open") {  // the window has ended: say so instead of offering a form that would refuse
      form.hidden = true;
      message.replaceChildren(el("p", { class: "meta", id: "comments-closed" }, t("notice.closed_form")));
    }
    document.getElementById("notice-subject").replaceChildren(n.subject, " ", status(n));
    document.getElementById("notice-meta").textContent =
      `${n.kind_title} · ${n.ref || ""} · ${t("notices.window")} ${when(n.opens_at)} — ${when(n.closes_at)}`;
    document.getElementById("notice-documents").replaceChildren(...n.documents.map((d) =>
      el("li", {}, el("a", { href: d.url }, d.filename))));
    root.dataset.status = n.status;
  }).catch((err) => message.replaceChildren(el("p", { class: "error" }, err.message)));

  /* Staff view: every comment and objection, with contacts for those who answer them (the server decides). */
  if (document.getElementById("me")) {
    api("GET", `/notices/${id}/comments`, undefined, pub).then((result) => {
      const card = document.getElementById("staff-comments");
      card.hidden = false;
      document.getElementById("staff-list").replaceChildren(...(result.items.length ? result.items.map((c) => el("li",
        { "data-kind": c.kind },
        el("span", { class: "badge " + (c.kind === "objection" ? "bad" : "") }, t("notice.staff.kind." + c.kind)), " ",
        el("strong", {}, c.author), c.unit ? "（" + c.unit + "）" : "", " · ", when(c.at),
        c.contact ? el("span", { class: "meta" }, ` · ${t("notice.staff.contact")}：${c.contact}`) : null,
        el("div", {}, c.text)))
        : [el("li", { class: "meta" }, t("notice.staff.none"))]));
    }).catch(() => {});  // not among the caller's notices: the public view only
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = new FormData(form);
    const body = { author: f.get("author"), text: f.get("text"), kind: f.get("objection") ? "objection" : "comment" };
    if (f.get("contact")) body.contact = f.get("contact");
    try {
      await api("POST", `/notices/${id}/comments`, body, pub);
      form.reset();
      message.replaceChildren(el("p", { class: "ok" }, t("comment.thanks")));
    } catch (err) {
      const closed = err.status === 409;
      message.replaceChildren(el("p", { class: "error", role: "alert" }, closed ? t("comment.closed") : err.message));
    }
  });
})();
