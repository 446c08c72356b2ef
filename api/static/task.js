/* Task page: where the instance stands, the form from the task's JSON Schema, claim and complete. */
(function () {
  const { api, el, t, when } = window.mtc;
  const root = document.getElementById("task");
  const taskId = root.dataset.taskId;
  const errorsBox = document.getElementById("errors");
  const message = document.getElementById("task-message");
  const buttons = { claim: byId("claim"), unclaim: byId("unclaim"), complete: byId("complete") };
  let editor = null;
  let viewer = null;

  function byId(id) { return document.getElementById(id); }

  function formSchema(schema) {
    const copy = JSON.parse(JSON.stringify(schema || { type: "object", properties: {} }));
    delete copy.$schema;
    return copy;
  }

  function buildForm(task) {
    if (editor) return;
    // The server validates and its messages are shown at the fields; optional fields are opt-in so an
    // untouched number is not sent as 0.
    JSONEditor.defaults.options.show_errors = "never";
    editor = new JSONEditor(byId("form"), {
      schema: formSchema(task.form), theme: "html", iconlib: null, disable_collapse: true,
      disable_edit_json: true, disable_properties: true, disable_array_reorder: true,
      remove_empty_properties: true, show_errors: "never", show_opt_in: true, no_additional_properties: true,
    });
  }

  // The server's JSON-Schema messages are English; the common ones are said in Chinese on the Chinese page.
  const ZH = [
    [/is a required property$/, () => "此项为必填项"],
    [/should be non-empty$|is too short$/, () => "内容不能为空或过短"],
    [/is too long$/, () => "内容过长"],
    [/is less than the minimum of (.+)$/, (m) => `不能小于 ${m[1]}`],
    [/is greater than the maximum of (.+)$/, (m) => `不能大于 ${m[1]}`],
    [/is not one of (.+)$/, (m) => `只能取以下值之一：${m[1]}`],
    [/is not of type '(.+)'$/, (m) => `类型应为 ${m[1]}`],
    [/does not match '(.+)'$/, () => "格式不正确"],
    [/is not a '(.+)'$/, (m) => `应为 ${m[1]} 格式`],
  ];

  function say(message) {
    if (window.LANG !== "zh" || !message) return message;
    for (const [pattern, render] of ZH) {
      const m = pattern.exec(message);
      if (m) return render(m);
    }
    return message;
  }

  function fieldOf(error) {
    if (error.field) return error.field.replaceAll("/", ".");
    const quoted = /'([^']+)' is a required property/.exec(error.message || "");
    return quoted ? quoted[1] : null;
  }

  function clearErrors() {
    errorsBox.hidden = true;
    errorsBox.replaceChildren();
    document.querySelectorAll(".server-error").forEach((n) => n.remove());
  }

  function showErrors(problem) {
    clearErrors();
    const loose = [];
    for (const error of problem.errors || [{ message: problem.detail }]) {
      const field = fieldOf(error);
      const fieldEditor = field && editor ? editor.getEditor("root." + field) : null;
      if (fieldEditor && fieldEditor.container) {
        fieldEditor.container.append(el("p", { class: "server-error", "data-field": field, title: error.message },
          say(error.message)));
      } else {
        loose.push(say(error.message));
      }
    }
    const headline = problem.status === 422 && problem.errors ? t("task.fix_errors") : problem.detail;
    errorsBox.append(el("p", { title: problem.detail || "" }, headline), ...loose.map((m) => el("p", {}, m)));
    errorsBox.hidden = false;
  }

  async function drawDiagram(task) {
    const replay = await api("GET", `/instances/${task.instance_id}/replay`);
    if (!viewer) viewer = await window.mtcDiagram.open(byId("diagram"), replay.process_key, replay.version);
    window.mtcDiagram.paint(viewer, replay);
    const registry = viewer.get("elementRegistry");
    if (registry.get(task.element_id) && task.state !== "completed") {
      viewer.get("canvas").addMarker(task.element_id, "current");
    }
  }

  async function load() {
    const [task, who] = await Promise.all([api("GET", "/tasks/" + taskId), window.mtc.me]);
    byId("task-name").textContent = task.name || task.element_id;
    byId("task-meta").textContent = [task.process_key, task.scope.committee, task.scope.specification,
      t("state." + task.state), task.assignee, task.due_at ? t("col.due") + " " + when(task.due_at) : null]
      .filter(Boolean).join(" · ");
    byId("instance-link").href = "/instances/" + task.instance_id;
    root.dataset.state = task.state;
    const mine = who && task.assignee === who.username;
    buttons.claim.hidden = task.state !== "ready";
    buttons.unclaim.hidden = !(task.state === "claimed" && mine);
    buttons.complete.hidden = !(task.state === "claimed" && mine);
    if (task.state !== "completed") buildForm(task);
    else byId("form").replaceChildren(el("p", { class: "meta" },
      `${t("state.completed")} · ${task.completed_by || ""} · ${when(task.completed_at)}`));
    await drawDiagram(task);
    return task;
  }

  async function act(action, body) {
    clearErrors();
    try {
      await api("POST", `/tasks/${taskId}/${action}`, body);
      if (action === "complete") {
        message.replaceChildren(el("p", { class: "ok" }, t("task.completed")));
        editor.destroy();
        editor = null;
      }
      await load();
    } catch (err) {
      if (err.problem) showErrors(err.problem);
      else throw err;
    }
  }

  buttons.claim.addEventListener("click", () => act("claim"));
  buttons.unclaim.addEventListener("click", () => act("unclaim"));
  buttons.complete.addEventListener("click", () => act("complete", { data: editor.getValue() }));
  load().catch((err) => message.replaceChildren(el("p", { class: "error" }, err.message)));
})();
