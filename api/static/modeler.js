/* bpmn-js Modeler: edit a version (or a new diagram), validate with the engine, deploy version n+1. */
(function () {
  const { api, el, t } = window.mtc;
  const page = document.getElementById("modeler-page");
  const status = document.getElementById("modeler-status");
  const findings = document.getElementById("findings");
  // bpmnlint runs as you edit (issues shown on the elements); the engine's validation runs on "validate".
  const modeler = new BpmnJS({
    container: "#canvas", keyboard: { bindTo: document },
    linting: { bpmnlint: window.mtcLint.config, active: true },
    additionalModules: [window.mtcLint.module],
  });
  window.mtcModeler = modeler;

  function say(text, kind) { status.className = kind || ""; status.textContent = text; }

  function markFindings(errors) {
    const canvas = modeler.get("canvas");
    const registry = modeler.get("elementRegistry");
    registry.forEach((e) => canvas.removeMarker(e, "invalid"));
    findings.replaceChildren(...errors.map((e) => {
      if (e.element_id && registry.get(e.element_id)) canvas.addMarker(e.element_id, "invalid");
      return el("li", { "data-element": e.element_id || "" },
        (e.element_id ? e.element_id + ": " : "") + e.message + (e.line ? ` (line ${e.line})` : ""));
    }));
  }

  async function xml() { return (await modeler.saveXML({ format: true })).xml; }

  async function validate() {
    const result = await api("POST", "/definitions/validate", await xml(), { raw: "application/xml" });
    markFindings(result.errors);
    say(result.valid ? `${t("modeler.valid")}: ${result.processes.join(", ")}` : t("modeler.invalid"),
      result.valid ? "ok" : "error");
    return result.valid;
  }

  async function deploy() {
    try {
      const name = (page.dataset.key || "process") + ".bpmn";
      const deployed = await api("POST", "/definitions?filename=" + encodeURIComponent(name), await xml(),
        { raw: "application/xml" });
      markFindings([]);
      const d = deployed[0];
      say(d.created ? `${t("modeler.deployed")} ${d.key} v${d.version}` : `${t("modeler.unchanged")} (v${d.version})`, "ok");
      page.dataset.key = d.key;
      page.dataset.version = d.version;
      document.getElementById("modeler-title").textContent = `${d.key} v${d.version}`;
      history.replaceState(null, "", `/admin/modeler?key=${encodeURIComponent(d.key)}&version=${d.version}`);
    } catch (err) {
      markFindings((err.problem && err.problem.errors) || [{ message: err.message }]);
      say(t("modeler.invalid"), "error");
    }
  }

  async function load() {
    const { key, version } = page.dataset;
    if (key && version) {
      const source = await api("GET", `/definitions/${encodeURIComponent(key)}/versions/${version}/xml`);
      await modeler.importXML(source);
    } else {
      await modeler.createDiagram();  // bpmn-js' blank diagram is marked not executable; the engine needs it to be
      modeler.get("modeling").updateProperties(modeler.get("canvas").getRootElement(), { isExecutable: true });
    }
    modeler.get("canvas").zoom("fit-viewport");
    page.dataset.ready = "1";
  }

  document.getElementById("validate").addEventListener("click", () => validate().catch((e) => say(e.message, "error")));
  document.getElementById("deploy").addEventListener("click", deploy);
  load().catch((err) => say(err.message, "error"));
})();
