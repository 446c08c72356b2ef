// The modeler's lint rules: bpmn-js-bpmnlint with our bpmnlint configuration, exposed to the page script.
import lintModule from "bpmn-js-bpmnlint";
import config from "./bpmnlintrc.json";

window.mtcLint = { module: lintModule, config };
