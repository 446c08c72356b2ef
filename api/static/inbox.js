/* Reviewer inbox: my tasks and those I may claim, due dates first, overdue marked. */
(function () {
  const { api, el, t, when, fill, showError, processNames } = window.mtc;
  const body = document.querySelector("#inbox tbody");
  const overdueOnly = document.getElementById("overdue-only");

  async function load() {
    try {
      // "Overdue" is the server's judgement (its clock and calendar), not the browser's.
      const [page, overdue, processName] = await Promise.all([
        api("GET", "/tasks?per_page=100" + (overdueOnly.checked ? "&overdue=true" : "")),
        api("GET", "/tasks?per_page=200&overdue=true"),
        processNames(),
      ]);
      const lateIds = new Set(overdue.items.map((task) => task.id));
      fill(body, page.items.map((task) => {
        const late = lateIds.has(task.id);
        const scope = [task.scope.committee, task.scope.specification].filter(Boolean).join(" / ");
        return el("tr", { class: late ? "overdue" : null, "data-task-id": task.id },
          el("td", {}, el("a", { href: "/tasks/" + task.id }, task.name || task.element_id)),
          el("td", { title: task.process_key }, processName(task.process_key)), el("td", {}, scope || "—"),
          el("td", {}, t("state." + task.state)), el("td", {}, task.assignee || "—"),
          el("td", {}, when(task.due_at), late ? el("span", { class: "badge bad" }, t("overdue")) : null));
      }), 6);
    } catch (err) {
      showError(body, err);
    }
  }
  overdueOnly.addEventListener("change", load);
  load();
})();
