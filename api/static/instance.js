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
    stepEvent.textContent = [replay.event.type, replay.event.element_id, replay.event.actor, when(replay.event.at)]
      .filter(Boolean).join(" · ");
    dataBox.textContent = JSON.stringify(replay.data, null, 2);
    timeline.querySelectorAll("li").forEach((li) => li.classList.toggle("current", Number(li.dataset.seq) === replay.step));
    document.getElementById("instance").dataset.step = replay.step;
    document.getElementById("instance").dataset.active = replay.active.map((a) => a.element_id).join(",");
    return replay;
  }

  async function history() {
    const items = [];
    for (let page = 1; ; page++) {
      const batch = await api("GET", `/instances/${id}/history?per_page=200&page=${page}`);
      items.push(...batch.items);
      if (items.length >= batch.total || !batch.items.length) break;
    }
    timeline.replaceChildren(...items.map((e) => el("li", { "data-seq": e.seq },
      el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); slider.value = e.seq; show(e.seq); } },
        `#${e.seq} ${e.type}`), " ", e.element_id || "", " · ", e.actor || "system", " · ", when(e.at))));
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
    const instance = await api("GET", "/instances/" + id);
    document.getElementById("inst-title").textContent =
      [instance.process_key + " v" + instance.version, instance.business_key, t("instance." + instance.state)].filter(Boolean).join(" · ");
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
