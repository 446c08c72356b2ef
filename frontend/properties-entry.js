// The modeler's properties panel: bpmn-js-properties-panel's BPMN groups (name, id, documentation, timers, …)
// plus a group for our mtc: attributes and gateway conditions. Bundled by build.cjs, exposed as window.mtcPanel.
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, useService } from "bpmn-js-properties-panel";
import {
  Group, SelectEntry, TextFieldEntry, isSelectEntryEdited, isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import mtcModdle from "./mtc-moddle.js";

const DUTIES = ["", "vote", "chief_review", "observe"];
const CONDITIONAL_SOURCES = ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway", "bpmn:ComplexGateway"];

function is(element, type) {
  const bo = element && element.businessObject;
  return !!bo && typeof bo.$instanceOf === "function" && bo.$instanceOf(type);
}

// One mtc: attribute, as a text field or (with ``options``) a select; an empty value removes the attribute.
function AttributeEntry(props) {
  const { element, id, attribute, label, options, description } = props;
  const modeling = useService("modeling");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  const getValue = () => element.businessObject.get(attribute) || "";
  const setValue = (value) => modeling.updateProperties(element, { [attribute]: value || undefined });
  if (options) {
    return h(SelectEntry, {
      element, id, label: translate(label), getValue, setValue,
      getOptions: () => options.map(([value, text]) => ({ value, label: translate(text) })),
    });
  }
  return h(TextFieldEntry, {
    element, id, label: translate(label), getValue, setValue, debounce,
    description: description && translate(description),
  });
}

// A condition on a flow leaving a gateway: a Python expression over the process data (the engine's sandbox).
function ConditionEntry(props) {
  const { element, id } = props;
  const modeling = useService("modeling");
  const moddle = useService("moddle");
  const translate = useService("translate");
  const debounce = useService("debounceInput");
  const getValue = () => {
    const condition = element.businessObject.get("conditionExpression");
    return (condition && condition.get("body")) || "";
  };
  const setValue = (value) => modeling.updateProperties(element, {
    conditionExpression: value ? moddle.create("bpmn:FormalExpression", { body: value }) : undefined,
  });
  return h(TextFieldEntry, {
    element, id, label: translate("Condition"), getValue, setValue, debounce,
    description: translate("Python expression over the process data, e.g. decision == \"approve\""),
  });
}

function attribute(id, name, label, extra) {
  return { id, attribute: name, label, component: AttributeEntry,
    isEdited: extra && extra.options ? isSelectEntryEdited : isTextFieldEntryEdited, ...extra };
}

function entriesFor(element, roles) {
  if (is(element, "bpmn:Lane")) {
    return [attribute("mtc-role", "role", "Role", { options: [["", "(none)"], ...roles] })];
  }
  if (is(element, "bpmn:UserTask")) {
    return [
      attribute("mtc-formKey", "formKey", "Form key", { description: "forms/<key>.json" }),
      attribute("mtc-duty", "duty", "Duty", { options: DUTIES.map((d) => [d, d ? "duty." + d : "(none)"]) }),
      attribute("mtc-due", "due", "Due", { description: "P30D, P20WD, a rule-profile key such as comment_window" }),
    ];
  }
  if (is(element, "bpmn:ServiceTask")) return [attribute("mtc-service", "service", "Service")];
  if (is(element, "bpmn:EndEvent") || is(element, "bpmn:IntermediateThrowEvent")) {
    return [
      attribute("mtc-notify", "notify", "Notify", { description: "reminder, overdue, …" }),
      attribute("mtc-notifyRole", "notifyRole", "Notify role", { options: [["", "(none)"], ...roles] }),
    ];
  }
  if (is(element, "bpmn:SequenceFlow") && CONDITIONAL_SOURCES.some((t) => is(element.source, t))) {
    return [{ id: "mtc-condition", component: ConditionEntry, isEdited: isTextFieldEntryEdited }];
  }
  return [];
}

function MtcPropertiesProvider(propertiesPanel, translate, config) {
  const roles = Object.entries((config && config.roles) || {}).map(([key, name]) => [key, `${name} (${key})`]);
  this.getGroups = (element) => (groups) => {
    const entries = entriesFor(element, roles);
    if (entries.length) groups.splice(1, 0, { id: "mtc", label: translate("mtcflow"), component: Group, entries });
    return groups;
  };
  propertiesPanel.registerProvider(500, this);
}
MtcPropertiesProvider.$inject = ["propertiesPanel", "translate", "config.mtc"];

// bpmn-js and the panel pass their English labels through ``translate``: the page's dictionary answers first.
function translator(dictionary) {
  return (template, replacements) => (dictionary[template] || template)
    .replace(/{([^}]+)}/g, (_, key) => (replacements && key in replacements ? replacements[key] : `{${key}}`));
}

function modules(dictionary) {
  return [
    BpmnPropertiesPanelModule, BpmnPropertiesProviderModule,
    { __init__: ["mtcPropertiesProvider"], mtcPropertiesProvider: ["type", MtcPropertiesProvider] },
    { translate: ["value", translator(dictionary || {})] },
  ];
}

window.mtcPanel = { modules, moddle: mtcModdle };
