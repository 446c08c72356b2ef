/* The secretariat's screening of the needs of a call: accept into the plan, or decline with a reason. */
(function () {
  const { api, el, t, when, problemText } = window.mtc;
  const select = document.getElementById("call-select");
  const body = document.getElementById("needs");
  const message = document.getElementById("screen-message");
  const say = (cls, text) => message.replaceChildren(el("p", { class: cls, role: cls === "error" ? "alert" : null }, text));

  async function screen(need, decision, reason) {
    try {
      await api("POST", `/needs/${need.id}/screen`, { decision, reason: reason || "" });
      say("ok", t("screen.done." + decision).replace("{title}", need.title));
      load();
    } catch (err) {
      say("error", problemText(err));
    }
  }

  function actions(need) {
    if (need.status !== "submitted") {
      return [need.screened_by ? `${need.screened_by} · ${when(need.screened_at)}` : "", need.screen_reason
        ? el("div", { class: "meta" }, need.screen_reason) : null];
    }
    const reason = el("input", { name: "reason", placeholder: t("screen.reason"), "aria-label": t("screen.reason") });
    return [el("button", { type: "button", class: "small-button accept", onclick: () => screen(need, "accept") },
      t("screen.accept")), " ", reason, " ",
    el("button", { type: "button", class: "small-button decline", onclick: () => {
      if (!reason.value.trim()) { say("error", t("reason.required")); reason.focus(); return; }
      screen(need, "decline", reason.value.trim());
    } }, t("screen.decline"))];
  }

  async function load() {
    if (!select.value) return;
    try {
      const page = await api("GET", `/need-calls/${select.value}/needs`);
      body.replaceChildren(...(page.items.length ? page.items.map((n) => el("tr", { "data-need-id": n.id, "data-status": n.status },
        el("td", {}, n.id), el("td", {}, n.title), el("td", {}, n.field), el("td", {}, n.reason), el("td", {}, n.unit),
        el("td", {}, n.contact || "—", n.submitted_by ? el("div", { class: "meta" }, n.submitted_by) : null),
        el("td", {}, el("span", { class: "badge " + ({ accepted: "good", declined: "bad" }[n.status] || "") }, n.status_title)),
        el("td", {}, actions(n))))
        : [el("tr", {}, el("td", { colspan: 8 }, t("screen.empty")))]));
    } catch (err) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 8, class: "error" }, problemText(err))));
    }
  }

  async function calls(chosen) {
    const page = await api("GET", "/need-calls");
    select.replaceChildren(...page.items.map((c) => el("option", { value: c.id },
      `${c.title}（${c.committee || c.level || ""}，${t("needs.count").replace("{n}", c.need_count)}）`)));
    if (chosen) select.value = chosen;
    if (!page.items.length) body.replaceChildren(el("tr", {}, el("td", { colspan: 8 }, t("needs.none"))));
    load();
  }

  select.addEventListener("change", load);
  document.getElementById("call-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = new FormData(event.target);
    const call = { title: f.get("title") };
    if (f.get("committee")) call.committee = f.get("committee");
    if (f.get("description")) call.description = f.get("description");
    if (f.get("closes_at")) call.closes_at = new Date(f.get("closes_at") + "T23:59:59+08:00").toISOString();
    try {
      const made = await api("POST", "/need-calls", call);
      event.target.reset();
      say("ok", t("screen.opened").replace("{title}", made.title));
      calls(String(made.id));
    } catch (err) {
      say("error", problemText(err));
    }
  });
  calls(new URLSearchParams(location.search).get("call")).catch((err) => say("error", err.message));
})();
