// The moddle descriptor of our BPMN extension namespace (README, "Writing processes"): with it bpmn-js reads
// and writes mtc:* attributes as properties of the elements they belong to, instead of opaque $attrs.
export default {
  name: "mtcflow",
  prefix: "mtc",
  uri: "http://mtcflow.dev/bpmn/1.0",
  xml: { tagAlias: "lowerCase" },
  associations: [],
  types: [
    { name: "RoleLane", extends: ["bpmn:Lane"], properties: [{ name: "role", isAttr: true, type: "String" }] },
    {
      name: "FormTask", extends: ["bpmn:UserTask"],
      properties: [
        { name: "formKey", isAttr: true, type: "String" },
        { name: "duty", isAttr: true, type: "String" },
        { name: "due", isAttr: true, type: "String" },
      ],
    },
    { name: "ServiceCall", extends: ["bpmn:ServiceTask"], properties: [{ name: "service", isAttr: true, type: "String" }] },
    {
      name: "Notifying", extends: ["bpmn:EndEvent", "bpmn:IntermediateThrowEvent"],
      properties: [
        { name: "notify", isAttr: true, type: "String" },
        { name: "notifyRole", isAttr: true, type: "String" },
      ],
    },
  ],
};
