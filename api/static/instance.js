/* Auditor's instance page: coloured diagram, history timeline, replay slider, verification badge. */
(function () {
  const { api, el, t, when } = window.mtc;
  const id = document.getElementById("instance").dataset.instanceId;
  const slider = document.getElementById("replay");
  const stepLabel = document.getElementById("step-label");
  const stepEvent = document.getElementById("step-event");
  const timeline = document.getElementById("timeline");
  const dataBox = document.getElementById("data");
  const badge = document.getElementById("verify");
  let viewer = null;
  let viewing = null;
  let pending = 0;

  let names = new Map();        // element id → name, from the diagrams and the replay
  let called = null;             // the called process opened below the diagram: { process, viewer }
  let latest = null;

  async function show(step) {
    const ticket = ++pending;
    const replay = await api("GET", `/instances/${id}/replay` + (step ? "?step=" + step : ""));
    if (ticket !== pending) return replay;  // a later slider move wins
    const version = replay.process_key + "@" + replay.version;
    if (viewing !== version) {
      document.getElementById("diagram").replaceChildren();
      viewer = await window.mtcDiagram.open(document.getElementById("diagram"), replay.process_key, replay.version);
      viewing = version;
    }
    window.mtcDiagram.paint(viewer, replay);
    stepLabel.textContent = `${replay.step} / ${replay.steps}`;
    slider.setAttribute("aria-valuetext", `${t("inst.step")} ${replay.step} / ${replay.steps}`);
    stepEvent.textContent = describe(replay.event);
    dataBox.textContent = JSON.stringify(replay.data, null, 2);
    timeline.querySelectorAll("li").forEach((li) => li.classList.toggle("current", Number(li.dataset.seq) === replay.step));
    document.getElementById("instance").dataset.step = replay.step;
    document.getElementById("instance").dataset.active = replay.active.map((a) => a.element_id).join(",");
    latest = replay;
    showCalled(replay);
    return replay;
  }

  /* One history line in plain words: what happened (event type by name), to which element (by its name). */
  function describe(event) {
    const type = t("event." + event.type) === "event." + event.type ? event.type : t("event." + event.type);
    const element = event.element_id ? names.get(event.element_id) || event.element_id : "";
    const actor = !event.actor || event.actor === "system" ? t("actor.system") : event.actor;
    return [type, element && `“${element}”`, actor, when(event.at)].filter(Boolean).join(" · ");
  }

  async function learnNames(replay) {
    try {
      const xml = await api("GET", `/definitions/${encodeURIComponent(replay.process_key)}/versions/${replay.version}/xml`);
      names = window.mtcDiagram.names(xml);
    } catch (e) { /* ids then */ }
    for (const item of [...replay.completed, ...replay.active, ...replay.waiting]) if (item.name) names.set(item.element_id, item.name);
  }

  async function history() {
    const items = [];
    for (let page = 1; ; page++) {
      const batch = await api("GET", `/instances/${id}/history?per_page=200&page=${page}`);
      items.push(...batch.items);
      if (items.length >= batch.total || !batch.items.length) break;
    }
    timeline.replaceChildren(...items.map((e) => el("li", { "data-seq": e.seq, "data-type": e.type, "data-element": e.element_id || "" },
      el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); slider.value = e.seq; show(e.seq); } }, `#${e.seq}`),
      " ", describe(e))));
  }

  /* Called processes (call activities and sub-processes): a button each; the open one shows its diagram painted
     at the replayed step, its open tasks and its data. */
  function showCalled(replay) {
    const subs = replay.subprocesses || [];
    document.getElementById("called").hidden = !subs.length;
    const live = new Set([...replay.active, ...replay.waiting].map((i) => i.process));
    document.getElementById("called-list").replaceChildren(...subs.map((sub) => el("button", {
      type: "button", class: live.has(sub.process) ? "primary" : null, "data-process": sub.process,
      onclick: () => openCalled(sub) },
      `${names.get(sub.call) || sub.call} → ${sub.name || sub.process}`, " ",
      el("span", { class: "badge" + (sub.completed ? " good" : "") }, t(sub.completed ? "inst.called_done" : "inst.called_live")))));
    if (called) {
      const sub = subs.find((s) => s.process === called.process);
      if (sub) paintCalled(sub, replay);
    }
  }

  async function openCalled(sub) {
    const box = document.getElementById("called-diagram");
    document.getElementById("called-view").hidden = false;
    document.getElementById("called-title").textContent = sub.name || sub.process;
    if (!called || called.process !== sub.process) {
      box.replaceChildren();
      const v = await window.mtcDiagram.openCalled(box, latest.process_key, latest.version, sub.process);
      called = { process: sub.process, viewer: v };
      if (v.getDefinitions()) v.get("elementRegistry").forEach((e) => { if (e.businessObject && e.businessObject.name) names.set(e.id, e.businessObject.name); });
    }
    paintCalled(sub, latest);
  }

  function paintCalled(sub, replay) {
    window.mtcDiagram.paint(called.viewer, replay, sub.process);
    document.getElementById("called-view").dataset.process = sub.process;
    document.getElementById("called-view").dataset.active = replay.active.filter((i) => i.process === sub.process).map((i) => i.element_id).join(",");
    const open = [...replay.active, ...replay.waiting].filter((i) => i.process === sub.process);
    document.getElementById("called-tasks").replaceChildren(...(open.length ? open.map((i) => el("li", {},
      i.name || i.element_id, " · ", t(i.due_at !== undefined && !replay.active.includes(i) ? "inst.legend.waiting" : "inst.legend.active"),
      i.assignee ? " · " + i.assignee : "", i.due_at ? ` · ${t("col.due")} ${when(i.due_at)}` : "")) : [el("li", {}, t("dash.none"))]));
    document.getElementById("called-data").textContent = JSON.stringify(sub.data, null, 2);
  }

  async function verify() {
    try {
      const result = await api("GET", "/audit/verify?instance_id=" + encodeURIComponent(id));
      badge.textContent = result.ok ? t("verify.ok") : t("verify.broken");
      badge.className = "badge " + (result.ok ? "good" : "bad");
      if (!result.ok && result.first_broken) badge.title = JSON.stringify(result.first_broken);
    } catch (err) {
      badge.textContent = t("verify.unknown");
      badge.className = "badge";
    }
  }

  async function load() {
    const [instance, processName] = await Promise.all([api("GET", "/instances/" + id), window.mtc.processNames()]);
    const title = document.getElementById("inst-title");
    title.replaceChildren([processName(instance.process_key) + " v" + instance.version, instance.business_key,
      t("instance." + instance.state)].filter(Boolean).join(" · "), " ",
      instance.scope.committee ? el("a", { href: "/registry/committees/" + encodeURIComponent(instance.scope.committee) }, instance.scope.committee) : "",
      " ", instance.scope.specification ? el("a", { href: "/registry/specifications/" + encodeURIComponent(instance.scope.specification) }, instance.scope.specification) : "");
    await learnNames(await api("GET", `/instances/${id}/replay`));
    await history();
    const last = await show();
    slider.max = last.steps;
    slider.value = last.steps;
    slider.addEventListener("input", () => show(Number(slider.value)));
  }

  /* The instance's documents and its tasks', each downloadable. */
  async function documents() {
    const listing = await api("GET", `/instances/${id}/documents`);
    document.getElementById("documents").hidden = !listing.items.length;
    document.getElementById("documents-list").replaceChildren(...listing.items.map((d) => el("li", {},
      el("a", { href: d.url, download: d.filename }, d.filename),
      el("span", { class: "meta" }, ` · ${Math.max(1, Math.round(d.size / 1024))} KB · ${d.uploaded_by} · ${when(d.uploaded_at)}`))));
  }

  /* Cancel with a reason (the starter, secretariat or approving authority; the server decides). */
  function cancelCard(instance) {
    const card = document.getElementById("cancel-card");
    card.hidden = !["running", "waiting", "error"].includes(instance.state);
    document.getElementById("open-tasks").replaceChildren(...instance.tasks.map((task) => el("li", {},
      el("a", { href: "/tasks/" + task.id }, task.name || task.element_id), " · ", t("state." + task.state),
      task.assignee ? " · " + task.assignee : "", task.due_at ? ` · ${t("col.due")} ${when(task.due_at)}` : "")));
  }

  const cancelForm = document.getElementById("cancel-form");
  cancelForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const note = document.getElementById("cancel-message");
    const reason = cancelForm.elements.reason.value.trim();
    if (!reason) {
      note.replaceChildren(el("p", { class: "error", role: "alert" }, t("reason.required")));
      return;
    }
    try {
      const instance = await api("POST", `/instances/${id}/cancel`, { reason });
      note.replaceChildren(el("p", { class: "ok" }, t("inst.cancelled_ok")));
      document.getElementById("cancel-form").hidden = true;
      document.getElementById("inst-title").textContent = t("instance." + instance.state);
      await history();
    } catch (err) {
      note.replaceChildren(el("p", { class: "error", role: "alert" }, window.mtc.problemText(err)));
    }
  });

  api("GET", "/instances/" + id).then((instance) => {
    cancelCard(instance);
    load().catch((err) => { stepEvent.textContent = err.message; });
    documents().catch(() => {});
    verify();
  }).catch((err) => {
    const root = document.getElementById("instance");
    root.dataset.missing = "true";
    root.replaceChildren(el("h1", {}, t("inst.title")), el("p", { class: "error", role: "alert", id: "not-found" },
      err.status === 404 ? t("inst.not_found") : window.mtc.problemText(err)));
  });
})();
