/* 项目计划: published plans for everyone (and one's own drafts when signed in), a plan's items and adjustments,
   and the secretariat's draft form; approval itself runs as the plan_approval process. */
(function () {
  const { api, el, t, when, problemText } = window.mtc;
  const pub = { public: true };
  const badge = (status, title) => el("span", { class: "badge " + ({ published: "good", returned: "bad" }[status] || "") }, title);

  const list = document.getElementById("plans");
  if (list) {
    api("GET", "/plans", undefined, pub).then((page) => {
      list.replaceChildren(...(page.items.length ? page.items.map((p) => el("tr", { "data-plan-id": p.id, "data-status": p.status },
        el("td", {}, el("a", { href: "/plans/" + p.id }, p.title)), el("td", {}, p.committee), el("td", {}, p.kind_title),
        el("td", {}, p.end_year && p.end_year !== p.start_year ? `${p.start_year}—${p.end_year}` : p.start_year),
        el("td", {}, badge(p.status, p.status_title)), el("td", {}, p.items.length)))
        : [el("tr", {}, el("td", { colspan: 6 }, t("plans.none")))]));
    }).catch((err) => list.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "error" }, err.message))));
    const form = document.getElementById("plan-form");
    if (form) draftForm(form);
    return;
  }

  function draftForm(form) {
    const rows = document.getElementById("item-rows");
    const types = ["JJF", "JJG", "测量方法", "测量程序", "标准参考数据", "算法溯源技术方法"];
    const addRow = () => rows.append(el("div", { class: "item-row filters" },
      el("label", {}, t("plans.item_title"), el("input", { name: "item_title", required: true, maxlength: 300 })),
      el("label", {}, t("pub.type"), el("select", { name: "item_type" }, ...types.map((v) => el("option", {}, v)))),
      el("label", {}, t("pub.field"), el("input", { name: "item_field", maxlength: 200 })),
      el("label", {}, t("plans.need"), el("input", { name: "item_need", type: "number", min: 1 }))));
    document.getElementById("add-item").addEventListener("click", addRow);
    addRow();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const f = new FormData(form);
      const items = [...rows.querySelectorAll(".item-row")].map((row) => {
        const v = (name) => row.querySelector(`[name=${name}]`).value.trim();
        return { title: v("item_title"), spec_type: v("item_type"), field: v("item_field"),
          need_id: v("item_need") ? Number(v("item_need")) : null };
      });
      const body = { committee: f.get("committee"), kind: f.get("kind"), title: f.get("title"),
        start_year: Number(f.get("start_year")), end_year: f.get("end_year") ? Number(f.get("end_year")) : null, items };
      const message = document.getElementById("plan-message");
      try {
        const plan = await api("POST", "/plans", body);
        location.href = "/plans/" + plan.id;
      } catch (err) {
        message.replaceChildren(el("p", { class: "error", role: "alert" }, problemText(err)));
      }
    });
  }

  const root = document.getElementById("plan");
  api("GET", "/plans/" + root.dataset.planId, undefined, pub).then((p) => {
    document.getElementById("plan-heading").replaceChildren(p.title, " ", badge(p.status, p.status_title));
    document.getElementById("plan-meta").textContent = [p.committee, p.kind_title,
      p.end_year ? `${p.start_year}—${p.end_year}` : p.start_year,
      p.published_at ? `${t("plans.published_at")} ${when(p.published_at)}` : "", p.decision || ""].filter(Boolean).join(" · ");
    const titles = new Map(p.items.map((i) => [i.id, i.title]));
    document.getElementById("items").replaceChildren(...(p.items.length ? p.items.map((i) => el("tr", { "data-item-id": i.id },
      el("td", {}, i.seq), el("td", {}, i.title), el("td", {}, i.spec_type), el("td", {}, i.field || "—"),
      el("td", {}, i.planned_year || "—"), el("td", {}, i.need_id ? "#" + i.need_id : "—"),
      el("td", {}, i.status_title, i.spec_id ? el("div", { class: "meta" }, i.spec_id) : null)))
      : [el("tr", {}, el("td", { colspan: 7 }, t("plans.no_items")))]));
    document.getElementById("adjustments").replaceChildren(...(p.adjustments.length ? p.adjustments.map((a) =>
      el("tr", { "data-adjustment-id": a.id, "data-status": a.status },
        el("td", {}, a.action_title), el("td", {}, titles.get(a.item_id) || (a.data && a.data.title) || "—"),
        el("td", {}, a.reason || "—"), el("td", {}, a.status_title),
        el("td", {}, a.opinion || "—", a.decided_by ? el("div", { class: "meta" }, `${a.decided_by} · ${when(a.decided_at)}`) : null),
        el("td", {}, `${a.requested_by || ""} · ${when(a.requested_at)}`)))
      : [el("tr", {}, el("td", { colspan: 6 }, t("plans.no_adjustments")))]));
    root.dataset.status = p.status;
  }).catch((err) => {
    document.getElementById("plan-heading").replaceChildren(err.status === 404 ? t("problem.404") : err.message);
  });
})();
