/* 需求征集 on the public board: each open call with a form anyone can use (no login; the server rate-limits). */
(function () {
  const { api, el, t, when } = window.mtc;
  const pub = { public: true };
  const box = document.getElementById("calls");
  const template = document.getElementById("need-form-template");

  function card(call) {
    const form = template.content.firstElementChild.cloneNode(true);
    const message = form.querySelector(".need-message");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
      try {
        const need = await api("POST", `/need-calls/${call.id}/needs`, body, pub);
        form.reset();
        message.replaceChildren(el("p", { class: "ok", "data-need-id": need.id },
          t("needs.thanks").replace("{id}", need.id)));
      } catch (err) {
        const text = err.status === 429 ? t("needs.too_many") : err.status === 409 ? t("needs.closed") : err.message;
        message.replaceChildren(el("p", { class: "error", role: "alert" }, text));
      }
    });
    return el("section", { class: "card", "data-call-id": call.id },
      el("h2", {}, call.title), el("p", { class: "meta" },
        `${call.committee || call.level || ""} · ${t("needs.closes")} ${when(call.closes_at)} · ${t("needs.count").replace("{n}", call.need_count)}`),
      call.description ? el("p", {}, call.description) : null, form);
  }

  api("GET", "/need-calls?status=open", undefined, pub).then((page) => {
    box.replaceChildren(...(page.items.length ? page.items.map(card) : [el("p", {}, t("needs.none"))]));
  }).catch((err) => box.replaceChildren(el("p", { class: "error" }, err.message)));
})();
