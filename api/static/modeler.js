/* bpmn-js Modeler: edit a version (or a new diagram) with a properties panel for our mtc: attributes, lint as
   you edit, validate with the engine, deploy version n+1 (refused while lint errors remain or the process still
   has bpmn-js' default id). A language switch keeps the diagram being edited (sessionStorage, this tab only). */
(function () {
  const { api, el, t } = window.mtc;
  const page = document.getElementById("modeler-page");
  const status = document.getElementById("modeler-status");
  const findings = document.getElementById("findings");
  const zh = document.documentElement.lang !== "en";
  const DRAFT = "mtcflow.modeler.draft";
  if (!window.BpmnJS || !window.mtcLint || !window.mtcPanel) {  // npm packages missing: say so, do not throw
    status.className = "error";
    status.textContent = t("modeler.missing");
    document.querySelectorAll("#validate, #deploy").forEach((b) => { b.disabled = true; });
    return;
  }
  // The panel's and bpmn-js' English labels, in Chinese (the rest stay as bpmn-js wrote them).
  const PANEL_ZH = {
    "General": "常规", "Name": "名称", "ID": "标识", "Documentation": "说明", "Element documentation": "元素说明",
    "Process documentation": "流程说明", "Executable": "可执行", "Process": "流程", "Process name": "流程名称",
    "Process ID": "流程标识", "Timer": "定时器", "Type": "类型", "Value": "值", "Date": "日期", "Duration": "时长",
    "Cycle": "循环", "<none>": "（无）", "Multi-instance": "多实例", "Message": "消息", "Signal": "信号",
    "Escalation": "升级", "Error": "错误", "Compensation": "补偿", "Link": "链接",
    "mtcflow": "mtcflow 扩展属性", "Role": "角色（mtc:role）", "Form key": "表单键（mtc:formKey）",
    "Duty": "职责（mtc:duty）", "Due": "办理期限（mtc:due）", "Service": "服务（mtc:service）",
    "Notify": "通知类型（mtc:notify）", "Notify role": "通知角色（mtc:notifyRole）", "Condition": "条件",
    "(none)": "（无）", "duty.vote": "表决（vote）", "duty.chief_review": "主审（chief_review）",
    "duty.observe": "列席意见（observe）",
    "Python expression over the process data, e.g. decision == \"approve\"": "基于流程数据的 Python 表达式，如 decision == \"approve\"",
    "P30D, P20WD, a rule-profile key such as comment_window": "如 P30D、P20WD，或规则配置键 comment_window",
    "reminder, overdue, …": "如 reminder（提醒）、overdue（逾期）",
    "Errors": "错误", "Warnings": "警告", "No Issues": "无问题", "Collaboration": "协作", "Lane": "泳道",
    "User Task": "用户任务", "Service Task": "服务任务", "Sequence Flow": "顺序流", "Exclusive Gateway": "排他网关",
  };
  const EN = { "duty.vote": "vote", "duty.chief_review": "chief review", "duty.observe": "observe (opinion only)" };

  const modeler = new BpmnJS({
    container: "#canvas",
    keyboard: { bind: true },
    propertiesPanel: { parent: "#properties" },
    linting: { bpmnlint: window.mtcLint.config, active: true },
    additionalModules: [window.mtcLint.module, ...window.mtcPanel.modules(zh ? PANEL_ZH : EN)],
    moddleExtensions: { mtc: window.mtcPanel.moddle },
    mtc: { roles: JSON.parse(page.dataset.roles || "{}") },
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

  // Processes still carrying bpmn-js' generated id (Process_1, Process_0abc123) or no name: nobody chose a key.
  function unnamedProcesses() {
    const roots = modeler.getDefinitions().get("rootElements");
    const processes = roots.filter((r) => r.$type === "bpmn:Process");
    return processes.filter((p) => /^Process_[0-9a-z]+$/i.test(p.id) || !(p.name || "").trim());
  }

  async function lintErrors() {
    const results = await modeler.get("linting").lint();
    return Object.entries(results).flatMap(([rule, reports]) => reports
      .filter((r) => r.category === "error")
      .map((r) => ({ element_id: r.id, message: `${r.message} (${rule})` })));
  }

  async function deploy() {
    try {
      const unnamed = unnamedProcesses();
      if (unnamed.length) {
        markFindings([]);
        say(t("modeler.default_process").replace("{id}", unnamed[0].id), "error");
        return;
      }
      const errors = await lintErrors();
      if (errors.length) {
        markFindings(errors);
        say(t("modeler.lint_errors"), "error");
        return;
      }
      const name = (page.dataset.key || firstProcessId()) + ".bpmn";
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

  function firstProcessId() {
    const process = modeler.getDefinitions().get("rootElements").find((r) => r.$type === "bpmn:Process");
    return process ? process.id : "process";
  }

  // Switching language reloads the page: keep the diagram as edited, for this key and version, in this tab.
  function keepDraftOnLanguageSwitch() {
    document.querySelectorAll("a.lang").forEach((link) => link.addEventListener("click", async (event) => {
      event.preventDefault();
      const { key, version } = page.dataset;
      sessionStorage.setItem(DRAFT, JSON.stringify({ key, version, xml: await xml() }));
      const target = new URL(location.href);
      target.searchParams.set("lang", new URL(link.href).searchParams.get("lang"));
      location.href = target.toString();
    }));
  }

  function takeDraft() {
    const raw = sessionStorage.getItem(DRAFT);
    sessionStorage.removeItem(DRAFT);
    const draft = raw ? JSON.parse(raw) : null;
    const { key, version } = page.dataset;
    return draft && draft.key === key && draft.version === version ? draft.xml : null;
  }

  async function load() {
    const { key, version } = page.dataset;
    const draft = takeDraft();
    if (draft) {
      await modeler.importXML(draft);
      say(t("modeler.draft_restored"), "ok");
    } else if (key && version) {
      const source = await api("GET", `/definitions/${encodeURIComponent(key)}/versions/${version}/xml`);
      await modeler.importXML(source);
    } else {
      await modeler.createDiagram();  // bpmn-js' blank diagram is marked not executable; the engine needs it to be
      modeler.get("modeling").updateProperties(modeler.get("canvas").getRootElement(), { isExecutable: true });
    }
    modeler.get("canvas").zoom("fit-viewport");
    keepDraftOnLanguageSwitch();
    page.dataset.ready = "1";
  }

  document.getElementById("validate").addEventListener("click", () => validate().catch((e) => say(e.message, "error")));
  document.getElementById("deploy").addEventListener("click", deploy);
  load().catch((err) => say(err.message, "error"));
})();
