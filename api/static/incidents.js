/* Incidents for process admins: what failed, on which data; retry with a reason, corrected variables or a version. */
(function () {
  const { api, el, t, when, fill, showError, processNames } = window.mtc;
  const body = document.querySelector("#incidents tbody");
  const state = document.getElementById("state");
  const processKey = document.getElementById("process");
  const element = document.getElementById("element");
  const template = document.getElementById("retry-form");

  function retryForm(incident) {
    const form = template.content.firstElementChild.cloneNode(true);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const request = { reason: form.reason.value.trim() };
      const message = form.querySelector(".error");
      try {
        if (form.variables.value.trim()) request.variables = JSON.parse(form.variables.value);
      } catch (err) {
        message.textContent = t("incidents.bad_json");
        return;
      }
      if (form.version.value) request.version = Number(form.version.value);
      try {
        await api("POST", `/incidents/${incident.id}/retry`, request);
        load();
      } catch (err) {
        message.textContent = err.message;
      }
    });
    return form;
  }

  async function load() {
    const query = new URLSearchParams({ per_page: "100", state: state.value });
    if (processKey.value.trim()) query.set("process_key", processKey.value.trim());
    if (element.value.trim()) query.set("element_id", element.value.trim());
    try {
      const [page, processName] = await Promise.all([api("GET", "/incidents?" + query), processNames()]);
      fill(body, page.items.map((i) => el("tr", { "data-incident-id": i.id },
        el("td", {}, el("a", { href: "/instances/" + i.instance_id }, `${processName(i.process_key)} v${i.version}`)),
        el("td", {}, i.element_id || "—"),
        el("td", {}, i.kind),
        el("td", {}, el("code", {}, i.error)),
        el("td", {}, el("code", {}, i.data ? JSON.stringify(i.data) : "—")),
        el("td", {}, String(i.attempts)),
        el("td", {}, when(i.opened_at)),
        el("td", {}, t("incidents." + i.state)),
        el("td", {}, i.state === "open" ? retryForm(i) : when(i.resolved_at)))), 9);
    } catch (err) {
      showError(body, err);
    }
  }
  [state, processKey, element].forEach((input) => input.addEventListener("change", load));
  load();
})();
