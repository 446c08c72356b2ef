/* The official holiday calendar by year: where each year comes from, and, for a process admin, the form to enter a
   year the calendar package does not know (days off and 调休 make-up days, with the State Council notice). */
(function () {
  const { api, el, t, when } = window.mtc;
  const body = document.querySelector("#years tbody");
  const form = document.getElementById("holiday-form");
  const message = document.getElementById("form-message");
  let years = [];

  const lines = (text) => text.split(/[\n,，、;；]+/).map((s) => s.trim().replace(/\s*(至|到|~|～|—|–)\s*/, "/")).filter(Boolean);

  async function load(selected) {
    const page = await api("GET", "/calendar/years");
    const thisYear = new Date().getFullYear();
    years = page.items.filter((y) => y.year >= thisYear - 2);
    body.replaceChildren(...years.map((y) => el("tr", { "data-year": y.year, "data-kind": y.kind, class: y.kind === "missing" ? "overdue" : null },
      el("td", {}, y.year), el("td", { class: "nowrap" }, el("span", { class: "badge" + (y.kind === "missing" ? " bad" : " good") }, t("hol.kind." + y.kind))),
      el("td", {}, y.source || "—", y.entered_by ? el("span", { class: "meta" }, ` · ${y.entered_by} · ${when(y.entered_at)}`) : null))));
    const missing = years.filter((y) => y.kind === "missing").map((y) => y.year);
    const box = document.getElementById("missing");
    box.hidden = !missing.length;
    box.textContent = t("hol.missing").replace("{years}", missing.join("、"));
    const editable = years.filter((y) => y.kind === "missing" || y.kind === "entered");
    form.elements.year.replaceChildren(...editable.map((y) => el("option", { value: y.year }, `${y.year}（${t("hol.kind." + y.kind)}）`)));
    form.elements.year.value = selected || (missing[0] || (editable[0] && editable[0].year) || "");
    fillForm();
  }

  function fillForm() {
    const y = years.find((item) => String(item.year) === form.elements.year.value);
    form.elements.holidays.value = y ? y.holidays.join("\n") : "";
    form.elements.workdays.value = y ? y.workdays.join("\n") : "";
    form.elements.source.value = y && y.kind === "entered" ? y.source : "";
  }

  form.elements.year.addEventListener("change", fillForm);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const year = form.elements.year.value;
    const request = { holidays: lines(form.elements.holidays.value), workdays: lines(form.elements.workdays.value),
      source: form.elements.source.value.trim() };
    if (!request.holidays.length || request.source.length < 4) {
      message.replaceChildren(el("p", { class: "error", role: "alert" }, t(request.holidays.length ? "hol.source_required" : "hol.holidays_required")));
      return;
    }
    try {
      const result = await api("PUT", `/calendar/years/${year}`, request);
      message.replaceChildren(el("p", { class: "ok" }, t("hol.saved").replace("{year}", year).replace("{n}", result.recomputed.length)));
      document.getElementById("recomputed").hidden = !result.recomputed.length;
      document.getElementById("recomputed-list").replaceChildren(...result.recomputed.map((timer) => el("li", { "data-timer-id": timer.id },
        timer.name || timer.element_id, " · ", t("col.due"), " ", when(timer.due_at), el("div", { class: "meta" }, timer.note || ""))));
      await load(year);
    } catch (err) {
      const detail = err.problem && err.problem.errors ? JSON.stringify(err.problem.errors) : "";
      message.replaceChildren(el("p", { class: "error", role: "alert" }, window.mtc.problemText(err), detail ? el("span", { class: "meta" }, " " + detail) : null));
    }
  });

  window.mtc.me.then((who) => {
    const admin = who && who.roles.some((r) => r.role === "process_admin");
    document.getElementById("entry").hidden = !admin;
  });
  load().catch((err) => window.mtc.showError(body, err));
})();
