/* Process admin: the latest version of every process key. */
(function () {
  const { api, el, when, fill, showError } = window.mtc;
  const body = document.querySelector("#definitions tbody");
  api("GET", "/definitions?per_page=100").then((page) => {
    fill(body, page.items.map((d) => el("tr", {},
      el("td", {}, el("a", { href: "/admin/definitions/" + encodeURIComponent(d.key) }, d.key)),
      el("td", {}, d.name || "—"), el("td", {}, "v" + d.version),
      el("td", {}, when(d.deployed_at)), el("td", {}, d.deployed_by || "—"))), 5);
  }).catch((err) => showError(body, err));
})();
