/* Start a process: the processes my roles may start, the new instance's scope prefilled from my grant, then on to
   its first task for me (or the instance). */
(function () {
  const { api, el, t, problemText } = window.mtc;
  const form = document.getElementById("start-form");
  const message = document.getElementById("start-message");
  const select = form.elements.process_key;
  const SCOPE = ["committee", "specification", "level", "jurisdiction"];
  let options = new Map();

  function say(node) { message.replaceChildren(node); }

  function prefill() {
    const option = options.get(select.value);
    document.getElementById("start-roles").textContent = option && option.roles.length
      ? t("start.roles") + option.roles.join("、") : "";
    const scope = (option && option.scopes[0]) || {};
    for (const name of SCOPE) form.elements[name].value = scope[name] || "";
  }

  async function submit(event) {
    event.preventDefault();
    const scope = {};
    for (const name of SCOPE) if (form.elements[name].value.trim()) scope[name] = form.elements[name].value.trim();
    const body = { process_key: select.value, variables: {}, scope };
    if (form.elements.business_key.value.trim()) body.business_key = form.elements.business_key.value.trim();
    try {
      const instance = await api("POST", "/instances", body);
      const who = await window.mtc.me;
      const first = instance.tasks.find((task) => !task.assignee || (who && task.assignee === who.username));
      const links = [el("a", { class: "button", href: "/instances/" + instance.id, id: "open-instance" }, t("start.open_instance"))];
      if (first) links.unshift(el("a", { class: "button primary", href: "/tasks/" + first.id, id: "open-first-task" },
        t("start.open_task") + "：" + (first.name || first.element_id)));
      say(el("div", { class: "ok", "data-instance-id": instance.id }, el("p", {}, t("start.done")), ...links));
      links[0].focus();
    } catch (err) {
      say(el("p", { class: "error", role: "alert" }, problemText(err)));
    }
  }

  api("GET", "/start-options").then((result) => {
    options = new Map(result.items.map((o) => [o.key, o]));
    if (!result.items.length) return say(el("p", { class: "meta" }, t("start.none")));
    select.append(...result.items.map((o) => el("option", { value: o.key }, o.name || o.key)));
    form.hidden = false;
  }).catch((err) => say(el("p", { class: "error" }, problemText(err))));
  api("GET", "/committees?per_page=200", undefined, { public: true }).then((page) => {
    document.getElementById("committee-codes").replaceChildren(...page.items.map((c) => el("option", { value: c.code }, c.name)));
  }).catch(() => {});
  select.addEventListener("change", prefill);
  form.addEventListener("submit", submit);
})();
