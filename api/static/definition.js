/* One process key: its versions, links to the modeler, and the difference between two versions. */
(function () {
  const { api, el, t, when, fill, showError } = window.mtc;
  const { key, edit } = document.getElementById("definition").dataset;
  const editable = edit === "True";
  const body = document.querySelector("#versions tbody");
  const pickA = document.getElementById("diff-a");
  const pickB = document.getElementById("diff-b");
  const out = document.getElementById("diff");
  const xmlOf = (v) => api("GET", `/definitions/${encodeURIComponent(key)}/versions/${v}/xml`);

  function label(e) { return e.name ? `${e.id}（${e.name}）` : e.id; }

  function section(kind, items, render) {
    if (!items.length) return null;
    return el("div", { class: "diff-" + kind }, el("h3", {}, `${t("diff." + kind)} (${items.length})`),
      el("ul", {}, items.map((item) => el("li", { "data-id": item.id }, render(item)))));
  }

  async function compare() {
    try {
      const [a, b] = await Promise.all([xmlOf(pickA.value), xmlOf(pickB.value)]);
      const d = window.mtcBpmnDiff.diff(a, b);
      const parts = [
        section("added", d.added, (e) => `${e.type} ${label(e)}`),
        section("removed", d.removed, (e) => `${e.type} ${label(e)}`),
        section("changed", d.changed, (c) => c.before.name !== c.after.name
          ? `${c.type} ${c.id}: “${c.before.name}” → “${c.after.name}”` : `${c.type} ${label(c.after)}`),
      ].filter(Boolean);
      out.replaceChildren(...(parts.length ? parts : [el("p", {}, t("diff.none"))]));
    } catch (err) {
      showError(out, err);
    }
  }

  api("GET", "/definitions/" + encodeURIComponent(key)).then((defs) => {
    const versions = defs.versions;
    fill(body, versions.slice().reverse().map((d) => el("tr", {},
      el("td", {}, "v" + d.version), el("td", {}, d.name || "—"), el("td", {}, when(d.deployed_at)),
      el("td", {}, d.deployed_by || "—"),
      el("td", {}, editable ? el("a", { href: `/admin/modeler?key=${encodeURIComponent(key)}&version=${d.version}` },
        t("defs.open_modeler")) : ""))), 5);
    for (const [select, chosen] of [[pickA, versions.length - 2], [pickB, versions.length - 1]]) {
      select.replaceChildren(...versions.map((d, i) =>
        el("option", { value: d.version, selected: i === Math.max(chosen, 0) }, "v" + d.version)));
    }
    if (versions.length > 1) compare();
  }).catch((err) => showError(body, err));
  document.getElementById("diff-run").addEventListener("click", compare);
})();
