/* Task forms from the task's JSON Schema, drawn by this page itself: no choice is ever preselected, labels and
   help are the schema's titles and descriptions, files upload as they are chosen, and the form works without
   any front-end package. Covers what forms/*.json use: objects (fields in `x-order`), arrays, strings
   (choices from oneOf const/title, `format: date`, long text), integers (`format: document`: a file upload),
   booleans, and if/then rules on required fields. */
(function () {
  const { el, t } = window.mtc;
  const LONG_TEXT = 500;  // maxLength from which a string gets a text area

  const typeOf = (schema) => [].concat(schema.type || "string").find((x) => x !== "null");
  const choicesOf = (schema) => {
    if (schema.oneOf && schema.oneOf.every((o) => "const" in o)) return schema.oneOf.map((o) => [o.const, o.title || String(o.const)]);
    if (schema.enum) return schema.enum.map((v) => [v, String(v)]);
    if (typeOf(schema) === "boolean") return [[true, t("form.yes")], [false, t("form.no")]];
    return null;
  };
  const present = (v) => v !== undefined;

  // An if/then part holds as JSON Schema says: `properties` checks only the properties that are there.
  function holds(condition, value) {
    if ((condition.required || []).some((name) => !present(value[name]))) return false;
    return Object.entries(condition.properties || {}).every(([name, rule]) => {
      if (!present(value[name])) return true;
      if ("const" in rule) return value[name] === rule.const;
      if (rule.enum) return rule.enum.includes(value[name]);
      return true;
    });
  }

  /* Which properties of an object are required now, and which are out of play (only required by a rule that
     does not hold, or excluded by one that does). */
  function rules(schema, value) {
    const required = new Set(schema.required || []);
    const conditional = new Map();
    const excluded = new Set();
    for (const part of schema.allOf || []) {
      if (!part.if || !part.then) continue;
      const on = holds(part.if, value);
      for (const name of part.then.required || []) {
        conditional.set(name, conditional.get(name) || on);
        if (on) required.add(name);
      }
      if (on) for (const name of (part.then.not && part.then.not.required) || []) excluded.add(name);
    }
    const hidden = new Set(excluded);
    for (const [name, on] of conditional) if (!on && !(schema.required || []).includes(name)) hidden.add(name);
    return { required, hidden };
  }

  function create(container, schema, options) {
    const nodes = new Map();  // "a.0.b" → field
    let onChange = () => {};

    function frame(path, sub, control, kind) {
      const id = "f-" + (path.join("-") || "root");
      const help = sub.description ? el("p", { class: "help", id: id + "-help" }, sub.description) : null;
      const error = el("p", { class: "field-error", id: id + "-error", hidden: true });
      const mark = el("span", { class: "req", hidden: true }, " *", el("span", { class: "sr-only" }, t("form.required_mark")));
      const caption = el(kind === "group" ? "legend" : "label", kind === "group" ? {} : { for: id },
        sub.title || path[path.length - 1], mark);
      const box = el(kind === "group" ? "fieldset" : "div", { class: "field", "data-field": path.join(".") },
        caption, help, control, error);
      const node = {
        path, schema: sub, box, control, error, help, id,
        setRequired(on) {
          mark.hidden = !on;
          const target = kind === "group" ? null : node.focusable();
          if (target) target.setAttribute("aria-required", on ? "true" : "false");
        },
        setError(message) {
          error.textContent = message || "";
          error.hidden = !message;
          const target = node.focusable();
          if (!target) return;
          target.setAttribute("aria-invalid", message ? "true" : "false");
          const described = [help && help.id, message && error.id].filter(Boolean).join(" ");
          if (described) target.setAttribute("aria-describedby", described);
          else target.removeAttribute("aria-describedby");
        },
        focusable() { return control.matches("input,select,textarea") ? control : control.querySelector("input,select,textarea"); },
      };
      if (help && node.focusable()) node.focusable().setAttribute("aria-describedby", help.id);
      nodes.set(path.join("."), node);
      return node;
    }

    function build(path, sub) {
      const type = typeOf(sub);
      if (type === "object") return object(path, sub);
      if (type === "array") return array(path, sub);
      const id = "f-" + path.join("-");
      const name = path.join(".");
      const choices = choicesOf(sub);
      if (choices) {
        const select = el("select", { id, name },
          el("option", { value: "" }, t("form.choose")),
          choices.map(([value, title], i) => el("option", { value: String(i) }, title)));
        select.addEventListener("change", () => onChange());
        const node = frame(path, sub, select);
        node.value = () => (select.value === "" ? undefined : choices[Number(select.value)][0]);
        node.empty = t("form.choose_one");
        return node;
      }
      if (sub.format === "document") return documentField(path, sub);
      let input;
      if (type === "integer" || type === "number") {
        input = el("input", { id, name, type: "number", inputmode: "numeric", step: type === "integer" ? 1 : "any",
          min: sub.minimum, max: sub.maximum });
      } else if (sub.format === "date") {
        input = el("input", { id, name, type: "date" });
      } else if ((sub.maxLength || 0) >= LONG_TEXT) {
        input = el("textarea", { id, name, rows: 4, maxlength: sub.maxLength });
      } else {
        input = el("input", { id, name, type: "text", maxlength: sub.maxLength });
      }
      input.addEventListener("input", () => onChange());
      const node = frame(path, sub, input);
      node.value = () => {
        if (input.value === "") return undefined;
        if (type === "integer" || type === "number") return Number.isNaN(Number(input.value)) ? input.value : Number(input.value);
        return input.value;
      };
      return node;
    }

    function documentField(path, sub) {
      const id = "f-" + path.join("-");
      const input = el("input", { id, name: path.join("."), type: "file", accept: options.accept || null });
      const status = el("p", { class: "upload", "aria-live": "polite" });
      const limits = el("p", { class: "help limits" }, options.limits || "");
      const control = el("div", { class: "file" }, input, limits, status);
      const node = frame(path, sub, control);
      let documentId;
      input.addEventListener("change", async () => {
        const file = input.files[0];
        documentId = undefined;
        node.setError(null);
        if (!file) { status.replaceChildren(); return; }
        status.replaceChildren(t("form.uploading") + " " + file.name);
        try {
          const document = await options.upload(file);
          documentId = document.id;
          status.replaceChildren(t("form.uploaded") + " ",
            el("a", { href: document.url, download: document.filename }, document.filename),
            ` (${size(document.size)})`);
          status.dataset.documentId = document.id;
          options.uploaded && options.uploaded(document);
        } catch (err) {
          input.value = "";
          status.replaceChildren();
          node.setError(options.say(uploadMessage(err)));
        }
        onChange();
      });
      node.value = () => documentId;
      node.empty = t("form.choose_file");
      return node;
    }

    function uploadMessage(err) {
      const problem = err.problem || {};
      if (err.status === 413) return t("form.too_large");
      if (problem.accepted) return t("form.bad_type");
      return problem.detail || err.message;
    }

    function object(path, sub) {
      // JSON objects have no order (and the API sorts keys): the schema says it in x-order.
      const names = Object.keys(sub.properties || {});
      const order = (sub["x-order"] || []).filter((n) => names.includes(n));
      const children = order.concat(names.filter((n) => !order.includes(n)))
        .map((name) => build(path.concat(name), sub.properties[name]));
      const node = path.length
        ? frame(path, sub, el("div", { class: "group" }, children.map((c) => c.box)), "group")
        : { path, schema: sub, box: el("div", { class: "form-root" }, children.map((c) => c.box)), setRequired() {}, setError() {}, focusable: () => null };
      if (!path.length) nodes.set("", node);
      const raw = () => {
        const value = {};
        for (const child of children) {
          const v = child.value();
          if (present(v)) value[child.path[child.path.length - 1]] = v;
        }
        return value;
      };
      node.refresh = () => {
        const { required, hidden } = rules(sub, raw());
        for (const child of children) {
          const name = child.path[child.path.length - 1];
          child.hidden = hidden.has(name);
          child.box.hidden = child.hidden;
          child.required = required.has(name);
          child.setRequired(child.required);
          if (child.refresh) child.refresh();
        }
      };
      node.value = () => {
        const value = {};
        for (const child of children) {
          if (child.hidden) continue;
          const v = child.value();
          if (present(v)) value[child.path[child.path.length - 1]] = v;
        }
        return path.length && !Object.keys(value).length ? undefined : value;
      };
      node.children = () => children.filter((c) => !c.hidden);
      return node;
    }

    function array(path, sub) {
      const list = el("div", { class: "items" });
      const items = [];
      const add = el("button", { type: "button", class: "small-button" }, t("form.add") + (sub.title ? " · " + sub.title : ""));
      const node = frame(path, sub, el("div", { class: "array" }, list, add), "group");
      const renumber = () => items.forEach((item, i) => { item.label.textContent = `${sub.title || ""} ${i + 1}`; });
      add.addEventListener("click", () => {
        // Rebuild the item under its index so its fields and errors have the index in their path.
        const index = items.length;
        const child = build(path.concat(String(index)), sub.items || {});
        const label = el("span", { class: "item-label" });
        const remove = el("button", { type: "button", class: "small-button" }, t("form.remove"));
        const box = el("div", { class: "item" }, label, child.box, remove);
        const item = { child, box, label };
        remove.addEventListener("click", () => {
          items.splice(items.indexOf(item), 1);
          box.remove();
          renumber();
          onChange();
        });
        items.push(item);
        list.append(box);
        renumber();
        onChange();
        const first = child.focusable ? child.focusable() || box.querySelector("input,select,textarea") : null;
        if (first) first.focus();
      });
      node.value = () => {
        const values = items.map((i) => i.child.value());
        return values.length ? values : undefined;
      };
      node.refresh = () => items.forEach((i) => {
        i.child.required = true;  // an item that is there must be filled in
        i.child.setRequired(true);
        if (i.child.refresh) i.child.refresh();
      });
      node.children = () => items.map((i) => i.child);
      node.empty = t("form.add_one");
      return node;
    }

    function size(bytes) {
      return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
    }

    const root = build([], schema || { type: "object", properties: {} });
    container.replaceChildren(el("p", { class: "help" }, el("span", { class: "req" }, "*"), " ", t("form.required_note")), root.box);
    onChange = () => root.refresh();
    root.refresh();

    /* What the user left out, before anything is sent: every visible required field without a value. */
    function missing() {
      const out = [];
      const walk = (node) => {
        for (const child of node.children ? node.children() : []) {
          if (typeOf(child.schema) === "object") {
            if (child.required || present(child.value())) walk(child);
          } else if (child.required && !present(child.value())) {
            out.push({ node: child, message: child.empty || t("form.required") });
          } else if (child.children) {
            walk(child);
          }
        }
      };
      walk(root);
      return out;
    }

    function clear() { nodes.forEach((n) => n.setError(null)); }

    /* A message at the field its path names; null when no field matches (the caller lists it above). */
    function place(path, message) {
      let key = path.join(".");
      while (!nodes.has(key) && key.includes(".")) key = key.slice(0, key.lastIndexOf("."));
      const node = nodes.get(key);
      if (!node || !key) return null;
      node.setError(message);
      return node;
    }

    return { value: () => root.value(), missing, clear, place, nodes, label: (n) => n.schema.title || n.path.join(".") };
  }

  window.mtcForm = { create };
})();
