/* Instance diagrams: load a definition's XML into a bpmn-js viewer and colour elements by state. */
(function () {
  const { api } = window.mtc;
  const MARKERS = ["done", "active", "waiting", "current"];
  // Labels are measured and drawn in this font: Simplified Chinese glyphs first (an English page must not fall
  // back to a Japanese CJK face), at a size that stays legible when a wide diagram is fitted to the box.
  const TEXT = { defaultStyle: { fontFamily: '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", '
    + '"Microsoft YaHei", Arial, sans-serif', fontSize: 13, lineHeight: 1.25 }, externalStyle: { fontSize: 12 } };

  async function open(container, processKey, version) {
    const viewer = new BpmnJS({ container, textRenderer: TEXT });
    const xml = await api("GET", `/definitions/${encodeURIComponent(processKey)}/versions/${version}/xml`);
    try {
      await viewer.importXML(xml);
      viewer.get("canvas").zoom("fit-viewport");
    } catch (err) {
      const none = /no diagram to display/i.test(err.message);
      container.replaceChildren(window.mtc.el("p", { class: "meta" }, none ? window.mtc.t("diagram.none") : err.message));
    }
    return viewer;
  }

  function paint(viewer, replay) {
    if (!viewer.getDefinitions()) return;
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    registry.forEach((element) => MARKERS.forEach((m) => canvas.removeMarker(element, m)));
    // A task inside a called process or a collapsed sub-process is not on the top-level plane: the call
    // activities and sub-processes around it (``within``, from the engine) carry its active/waiting mark too.
    const mark = (items, marker, outward) => items.forEach((item) => {
      const ids = [item.element_id, ...(outward ? item.within || [] : [])];
      ids.filter((id) => registry.get(id)).forEach((id) => canvas.addMarker(id, marker));
    });
    mark(replay.completed, "done", false);
    mark(replay.waiting, "waiting", true);
    mark(replay.active, "active", true);
  }

  window.mtcDiagram = { open, paint, TEXT };
})();
