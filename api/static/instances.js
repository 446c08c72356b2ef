/* Instances the caller may see (auditors: all), newest first, filtered by state and process. */
(function () {
  const { api, el, t, when, fill, showError, processNames } = window.mtc;
  const body = document.querySelector("#instances tbody");
  const state = document.getElementById("state");
  const processKey = document.getElementById("process");

  async function load() {
    const query = new URLSearchParams({ per_page: "100" });
    if (state.value) query.set("state", state.value);
    if (processKey.value.trim()) query.set("process_key", processKey.value.trim());
    try {
      const [page, processName] = await Promise.all([api("GET", "/instances?" + query), processNames()]);
      fill(body, page.items.map((i) => el("tr", { "data-instance-id": i.id },
        el("td", {}, el("a", { href: "/instances/" + i.id }, `${processName(i.process_key)} v${i.version}`)),
        el("td", {}, i.business_key || "—"),
        el("td", {}, [i.scope.committee, i.scope.specification].filter(Boolean).join(" / ") || "—"),
        el("td", {}, t("instance." + i.state)),
        el("td", {}, i.tasks.map((task) => task.name || task.element_id).join("、") || "—"),
        el("td", {}, when(i.created_at)))), 6);
    } catch (err) {
      showError(body, err);
    }
  }
  state.addEventListener("change", load);
  processKey.addEventListener("change", load);
  load();
})();
