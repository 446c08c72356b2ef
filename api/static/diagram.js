/* Instance diagrams: load a definition's XML into a bpmn-js viewer and colour elements by state. */
(function () {
  const { api } = window.mtc;
  const MARKERS = ["done", "active", "waiting", "current"];

  async function open(container, processKey, version) {
    const viewer = new BpmnJS({ container });
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
    const mark = (items, marker) => items.forEach((item) => {
      if (registry.get(item.element_id)) canvas.addMarker(item.element_id, marker);
    });
    mark(replay.completed, "done");
    mark(replay.waiting, "waiting");
    mark(replay.active, "active");
  }

  window.mtcDiagram = { open, paint };
})();
