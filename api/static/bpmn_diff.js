/* Element-level difference of two BPMN files: ids added, removed, or changed in type, name or attributes.
   Diagram layout (BPMN DI) is left out: moving a shape is not a change of the process. */
(function () {
  const BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL";

  function signature(node) {
    const attrs = [...node.attributes].filter((a) => a.name !== "id")
      .map((a) => a.name + "=" + a.value).sort();
    const text = [...node.childNodes].filter((c) => c.nodeType === Node.ELEMENT_NODE && c.namespaceURI === BPMN_NS
      && !c.getAttribute("id")).map((c) => c.localName + ":" + c.textContent.trim());
    return attrs.concat(text).join("|");
  }

  function elements(xml) {
    const doc = new DOMParser().parseFromString(xml, "application/xml");
    const map = new Map();
    for (const node of doc.getElementsByTagNameNS(BPMN_NS, "*")) {
      const id = node.getAttribute("id");
      if (id) map.set(id, { id, type: node.localName, name: node.getAttribute("name") || "", sig: signature(node) });
    }
    return map;
  }

  function diff(oldXml, newXml) {
    const before = elements(oldXml);
    const after = elements(newXml);
    const added = [...after.values()].filter((e) => !before.has(e.id));
    const removed = [...before.values()].filter((e) => !after.has(e.id));
    const changed = [];
    for (const [id, now] of after) {
      const was = before.get(id);
      if (was && (was.type !== now.type || was.sig !== now.sig)) changed.push({ id, type: now.type, before: was, after: now });
    }
    return { added, removed, changed };
  }

  window.mtcBpmnDiff = { diff };
})();
