/* Instance diagrams: load a definition's XML into a bpmn-js viewer (zoom and pan where the navigated viewer is
   loaded), colour elements by state, and open the diagram of a called process. */
(function () {
  const { api, el, t } = window.mtc;
  const MARKERS = ["done", "active", "waiting", "current"];
  // Labels are measured and drawn in this font: Simplified Chinese glyphs first (an English page must not fall
  // back to a Japanese CJK face), at a size that stays legible when a wide diagram is fitted to the box.
  const TEXT = { defaultStyle: { fontFamily: '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    + '"Microsoft YaHei", Arial, sans-serif', fontSize: 13, lineHeight: 1.25 }, externalStyle: { fontSize: 12 } };

  /* Zoom in, zoom out and fit buttons in the ``.diagram-tools`` box made for this container, if any. */
  function tools(container, viewer) {
    const box = document.querySelector(`.diagram-tools[data-for="${container.id}"]`);
    if (!box) return;
    const canvas = viewer.get("canvas");
    const zoom = (factor) => canvas.zoom(Math.min(4, Math.max(0.2, canvas.zoom() * factor)));
    box.replaceChildren(
      el("button", { type: "button", class: "zoom-in", "aria-label": t("diagram.zoom_in"), title: t("diagram.zoom_in"), onclick: () => zoom(1.25) }, "+"),
      el("button", { type: "button", class: "zoom-out", "aria-label": t("diagram.zoom_out"), title: t("diagram.zoom_out"), onclick: () => zoom(0.8) }, "−"),
      el("button", { type: "button", class: "zoom-fit", onclick: () => canvas.zoom("fit-viewport", "auto") }, t("diagram.fit")),
      el("span", { class: "meta" }, t("diagram.pan_hint")));
  }

  async function show(container, viewer, xml, processId) {
    try {
      await viewer.importXML(xml);
      if (processId) {
        // a called process deployed in the same file has its own diagram (plane): open that one
        const diagram = viewer.getDefinitions().diagrams.find((d) => d.plane && d.plane.bpmnElement && d.plane.bpmnElement.id === processId);
        if (diagram) await viewer.open(diagram);
      }
      viewer.get("canvas").zoom("fit-viewport");
      tools(container, viewer);
    } catch (err) {
      const none = /no diagram to display/i.test(err.message);
      container.replaceChildren(el("p", { class: "meta" }, none ? t("diagram.none") : err.message));
    }
    return viewer;
  }

  async function open(container, processKey, version) {
    const viewer = new BpmnJS({ container, textRenderer: TEXT });
    const xml = await api("GET", `/definitions/${encodeURIComponent(processKey)}/versions/${version}/xml`);
    return show(container, viewer, xml);
  }

  /* The diagram of a called process: in the caller's file if it is there, else its own latest deployment. */
  async function openCalled(container, callerKey, callerVersion, processId) {
    const viewer = new BpmnJS({ container, textRenderer: TEXT });
    let xml = await api("GET", `/definitions/${encodeURIComponent(callerKey)}/versions/${callerVersion}/xml`);
    if (!xml.includes(`id="${processId}"`)) {
      const versions = await api("GET", `/definitions/${encodeURIComponent(processId)}`);
      const list = versions.versions;
      const latest = list[list.length - 1];
      xml = await api("GET", `/definitions/${encodeURIComponent(processId)}/versions/${latest.version}/xml`);
    }
    return show(container, viewer, xml, processId);
  }

  /* ``only``: paint just the elements of that (called) process, by their own ids; otherwise the top level, where a
     call activity holding a live task is painted current (active), never "waiting", and the step's element is
     outlined as current. */
  function paint(viewer, replay, only) {
    if (!viewer.getDefinitions()) return;
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    registry.forEach((element) => MARKERS.forEach((m) => canvas.removeMarker(element, m)));
    const pick = (items) => (only ? items.filter((i) => i.process === only) : items);
    const ids = (items, outward) => items.flatMap((item) => [item.element_id, ...(outward && !only ? item.within || [] : [])]);
    const mark = (list, marker) => list.filter((id) => registry.get(id)).forEach((id) => canvas.addMarker(id, marker));
    const active = new Set(ids(pick(replay.active), true));
    mark(ids(pick(replay.completed), false), "done");
    mark(ids(pick(replay.waiting), true).filter((id) => !active.has(id)), "waiting");
    mark([...active], "active");
    if (!only && replay.event && replay.event.element_id) mark([replay.event.element_id], "current");
  }

  /* Every named element of a BPMN file by id, for the history's plain-language lines. */
  function names(xml) {
    const found = new Map();
    const doc = new DOMParser().parseFromString(xml, "application/xml");
    doc.querySelectorAll("[id][name]").forEach((node) => found.set(node.getAttribute("id"), node.getAttribute("name")));
    return found;
  }

  window.mtcDiagram = { open, openCalled, paint, names, TEXT };
})();
