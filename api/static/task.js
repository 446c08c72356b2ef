/* Task page: where the instance stands, the task's form, its documents, claim and complete, and the way on. */
(function () {
  const { api, el, t, when } = window.mtc;
  const root = document.getElementById("task");
  const taskId = root.dataset.taskId;
  const errorsBox = document.getElementById("errors");
  const message = document.getElementById("task-message");
  const buttons = { claim: byId("claim"), unclaim: byId("unclaim"), complete: byId("complete") };
  let form = null;
  let viewer = null;
  let current = null;

  function byId(id) { return document.getElementById(id); }

  // The server's JSON-Schema messages are English; the common ones are said in Chinese on the Chinese page.
  const ZH = [
    [/is a required property$/, () => "此项为必填项"],
    [/should be non-empty$|is too short$/, () => "内容不能为空或过短"],
    [/is too long$/, () => "内容过长"],
    [/is less than the minimum of (.+)$/, (m) => `不能小于 ${m[1]}`],
    [/is greater than the maximum of (.+)$/, (m) => `不能大于 ${m[1]}`],
    [/is not one of (.+)$|is not valid under any of the given schemas$/, () => "请从给定选项中选择"],
    [/is not of type '(.+)'$/, (m) => `类型应为 ${m[1]}`],
    [/does not match '(.+)'$/, () => "格式不正确"],
    [/is not a '(.+)'$/, (m) => `应为 ${m[1]} 格式`],
    [/should not be valid under/, () => "按所选项，此项不应填写"],
  ];

  function say(text) {
    if (window.LANG !== "zh" || !text) return text;
    for (const [pattern, render] of ZH) {
      const m = pattern.exec(text);
      if (m) return render(m);
    }
    return text;
  }

  /* The path of the field an error is about: a missing property is named in the message, under its parent. */
  function pathOf(error) {
    const parent = error.field ? String(error.field).split("/") : [];
    const quoted = /'([^']+)' is a required property/.exec(error.message || "");
    return quoted ? parent.concat(quoted[1]) : parent;
  }

  function clearErrors() {
    errorsBox.hidden = true;
    errorsBox.replaceChildren();
    if (form) form.clear();
  }

  /* Each message at its field (aria-invalid, aria-describedby) and listed in the alert, linked to the field. */
  function listErrors(headline, placed, loose) {
    const items = placed.map(({ node, message: text }) =>
      el("li", {}, el("a", { href: "#" + node.id, onclick: (ev) => { ev.preventDefault(); focusNode(node); } },
        `${form.label(node)}：${text}`)));
    errorsBox.replaceChildren(el("p", {}, headline), ...(items.length ? [el("ul", {}, items)] : []),
      ...loose.map((m) => el("p", {}, m)));
    errorsBox.hidden = false;
  }

  function focusNode(node) {
    const target = node.focusable() || node.box;
    if (target === node.box) target.tabIndex = -1;
    target.scrollIntoView({ block: "center" });
    target.focus();
  }

  function showProblem(problem) {
    clearErrors();
    const placed = [];
    const loose = [];
    for (const error of problem.errors || []) {  // without field errors the headline says it once
      const text = say(error.message);
      const node = form && error.field !== undefined ? form.place(pathOf(error), text) : null;
      if (node) placed.push({ node, message: text });
      else loose.push(text);
    }
    const headline = problem.status === 422 && problem.errors ? t("task.fix_errors")
      : window.mtc.problemText({ problem, status: problem.status, message: say(problem.detail) });
    listErrors(headline, placed, loose);
    if (placed.length) focusNode(placed[0].node);
  }

  async function upload(file) {
    const max = Number(root.dataset.maxBytes);
    if (max && file.size > max) {
      const error = new Error(t("form.too_large"));
      error.status = 413;
      throw error;
    }
    const body = new FormData();
    body.append("file", file);
    const response = await fetch(`/api/v1/tasks/${taskId}/documents`, {
      method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRFToken": window.mtc.csrf },
    });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(payload.detail || response.statusText);
      error.status = response.status;
      error.problem = payload;
      throw error;
    }
    return payload;
  }

  function limits() {
    const mb = (Number(root.dataset.maxBytes) / 1048576).toFixed(0);
    return t("form.limits").replace("{size}", mb + " MB").replace("{types}", root.dataset.types || "");
  }

  function buildForm(task) {
    if (form) return;
    form = window.mtcForm.create(byId("form"), task.form, {
      upload, say, limits: limits(), accept: root.dataset.accept, uploaded: () => showDocuments(task),
    });
  }

  async function showDocuments(task) {
    const box = byId("documents");
    const listing = await api("GET", `/tasks/${task.id}/documents`);
    box.hidden = !listing.items.length;
    byId("documents-list").replaceChildren(...listing.items.map((d) => el("li", {},
      el("a", { href: d.url, download: d.filename }, d.filename),
      el("span", { class: "meta" }, ` · ${Math.max(1, Math.round(d.size / 1024))} KB · ${d.uploaded_by} · ${when(d.uploaded_at)}`))));
  }

  async function drawDiagram(task) {
    const box = byId("diagram");
    if (!window.BpmnJS) {  // the front-end packages are not installed (npm ci): the form works without them
      box.replaceChildren(el("p", { class: "meta" }, t("diagram.unavailable")));
      return;
    }
    const replay = await api("GET", `/instances/${task.instance_id}/replay`);
    if (!viewer) viewer = await window.mtcDiagram.open(box, replay.process_key, replay.version);
    window.mtcDiagram.paint(viewer, replay);
    const registry = viewer.get("elementRegistry");
    if (registry.get(task.element_id) && task.state !== "completed") {
      viewer.get("canvas").addMarker(task.element_id, "current");
    }
  }

  async function load() {
    const [task, who] = await Promise.all([api("GET", "/tasks/" + taskId), window.mtc.me]);
    current = { task, who };
    byId("task-name").textContent = task.name || task.element_id;
    const registry = (kind, id) => (id ? el("a", { href: `/registry/${kind}/${encodeURIComponent(id)}`, class: "registry-link" }, id) : null);
    const meta = [task.process_key, registry("committees", task.scope.committee), registry("specifications", task.scope.specification),
      t("state." + task.state), task.assignee, task.due_at ? t("col.due") + " " + when(task.due_at) : null].filter(Boolean);
    byId("task-meta").replaceChildren(...meta.flatMap((part, i) => (i ? [" · ", part] : [part])));
    byId("instance-link").href = "/instances/" + task.instance_id;
    root.dataset.state = task.state;
    const mine = who && task.assignee === who.username;
    buttons.claim.hidden = task.state !== "ready";
    buttons.unclaim.hidden = !(task.state === "claimed" && mine);
    buttons.complete.hidden = !(task.state === "claimed" && mine);
    byId("manage").hidden = task.state === "completed" || task.state === "cancelled";
    if (task.state !== "completed") {
      buildForm(task);
    } else {
      form = null;
      byId("form").replaceChildren(el("p", { class: "meta" },
        `${t("state.completed")} · ${task.completed_by || ""} · ${when(task.completed_at)}`));
    }
    await Promise.all([showDocuments(task).catch(() => {}), drawDiagram(task)]);
    return task;
  }

  /* After completing: this user's next open task of the same instance, else the inbox. */
  async function wayOn(task, who) {
    const page = await api("GET", "/tasks?per_page=20&instance_id=" + encodeURIComponent(task.instance_id));
    // A duty (a ballot, a chief review) is one per person: its sibling tasks are other people's.
    const next = page.items.find((x) => x.id !== task.id && !(task.duty && x.element_id === task.element_id)
      && (!x.assignee || (who && x.assignee === who.username)));
    const link = next
      ? el("a", { class: "button primary", href: "/tasks/" + next.id, id: "next-task" }, t("task.next") + "：" + (next.name || next.element_id))
      : el("a", { class: "button", href: "/inbox", id: "back-to-inbox" }, t("task.back_to_inbox"));
    message.replaceChildren(el("p", { class: "ok" }, t("task.completed")), link);
    link.focus();
  }

  async function act(action, body) {
    clearErrors();
    try {
      await api("POST", `/tasks/${taskId}/${action}`, body);
      const task = await load();
      if (action === "complete") await wayOn(task, current.who);
      else if (action === "claim") (byId("form").querySelector("input,select,textarea") || buttons.complete).focus();
      else {
        message.replaceChildren(el("p", { class: "ok" }, t("task.released")));
        buttons.claim.focus();
      }
    } catch (err) {
      if (err.problem) showProblem(err.problem);
      else throw err;
    }
  }

  function complete() {
    if (!form) return;
    clearErrors();
    const missing = form.missing();
    if (missing.length) {  // nothing the user did not set is sent as if they had
      missing.forEach(({ node, message: text }) => node.setError(text));
      listErrors(t("task.fix_errors"), missing, []);
      focusNode(missing[0].node);
      return;
    }
    act("complete", { data: form.value() });
  }

  /* Reassign with a reason (secretariat, approving authority): the server checks who may, and whom to. */
  const manage = byId("reassign-form");
  manage.addEventListener("submit", async (event) => {
    event.preventDefault();
    const assignee = manage.elements.assignee.value.trim();
    const reason = manage.elements.reason.value.trim();
    const note = byId("reassign-message");
    if (!assignee || !reason) {
      note.replaceChildren(el("p", { class: "error", role: "alert" }, t(!assignee ? "assignee.required" : "reason.required")));
      return;
    }
    try {
      await api("POST", `/tasks/${taskId}/assign`, { assignee, reason });
      manage.reset();
      message.replaceChildren();
      await load();
      note.replaceChildren(el("p", { class: "ok" }, t("task.reassigned").replace("{user}", assignee)));
    } catch (err) {
      note.replaceChildren(el("p", { class: "error", role: "alert" }, window.mtc.problemText({ ...err, message: say(err.message) })));
    }
  });

  buttons.claim.addEventListener("click", () => act("claim"));
  buttons.unclaim.addEventListener("click", () => act("unclaim"));
  buttons.complete.addEventListener("click", complete);
  load().catch((err) => message.replaceChildren(el("p", { class: "error" }, say(err.message))));
})();
