/* 全文公开: search published specifications (number, title, field, text) and read one with its sha256, status
   history, predecessor/successor and adoption degree. No login: every call is public. */
(function () {
  const { api, el, t, when } = window.mtc;
  const pub = { public: true };
  const link = (s) => el("a", { href: "/public/specifications/" + encodeURIComponent(s.id) }, s.number || s.id);
  const status = (s) => el("span", { class: "badge " + (s.in_force ? "good" : "") },
    s.in_force ? t("pub.in_force") : (s.abolished_on ? t("pub.abolished") : s.stage_name || s.stage));

  const results = document.getElementById("results");
  if (results) {
    const form = document.getElementById("search");
    const params = new URLSearchParams(location.search);
    for (const [key, value] of params) if (form.elements[key]) {
      if (form.elements[key].type === "checkbox") form.elements[key].checked = value === "true";
      else form.elements[key].value = value;
    }
    async function search() {
      const query = new URLSearchParams({ per_page: 50 });
      for (const [key, value] of new FormData(form)) if (String(value).trim()) query.set(key, String(value).trim());
      history.replaceState(null, "", "?" + new URLSearchParams([...query].filter(([k]) => k !== "per_page")));
      try {
        const page = await api("GET", "/public/specifications?" + query, undefined, pub);
        document.getElementById("result-count").textContent = t("pub.found").replace("{n}", page.total);
        results.replaceChildren(...(page.items.length ? page.items.map((s) => el("tr", { "data-spec-id": s.id },
          el("td", {}, link(s)), el("td", {}, s.title), el("td", {}, s.type), el("td", {}, s.field || "—"),
          el("td", {}, status(s)), el("td", {}, s.publication_date || "—")))
          : [el("tr", {}, el("td", { colspan: 6 }, t("pub.none")))]));
      } catch (err) {
        results.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "error", role: "alert" }, err.message)));
      }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
    search();
    return;
  }

  const root = document.getElementById("spec");
  const id = root.dataset.specId;
  const fact = (label, value) => (value ? [el("dt", {}, label), el("dd", {}, value)] : []);
  api("GET", "/public/specifications/" + encodeURIComponent(id), undefined, pub).then((s) => {
    document.getElementById("spec-heading").replaceChildren(`${s.number || ""} ${s.title} `, status(s));
    const adoption = s.adoption && s.adoption.degree
      ? `${s.adoption.degree}（${s.adoption.degree_name}）${s.adoption.document || ""}` : t("pub.no_adoption");
    document.getElementById("spec-facts").replaceChildren(
      ...fact(t("pub.type"), s.type), ...fact(t("pub.field"), s.field), ...fact(t("pub.committee"), s.committee),
      ...fact(t("pub.level"), [s.level && t("start.level." + s.level), s.jurisdiction].filter(Boolean).join(" · ")),
      ...fact(t("pub.published"), s.publication_date), ...fact(t("pub.effective"), s.effective_date),
      ...fact(t("pub.abolished_on"), s.abolished_on), ...fact(t("pub.adoption"), adoption));
    const download = document.getElementById("download");
    download.href = `/api/v1/public/specifications/${encodeURIComponent(s.id)}/text`;
    download.setAttribute("download", s.full_text.filename);
    download.textContent = `${t("pub.download")}（${s.full_text.filename}）`;
    document.getElementById("sha256").textContent = s.full_text.sha256;
    const related = (label, other) => el("li", { "data-rel": label }, t("pub." + label) + "：",
      other ? [link(other), " ", other.title, other.effective_date ? ` · ${t("pub.effective")} ${other.effective_date}` : ""]
        : t("pub.none_rel"));
    document.getElementById("spec-links").replaceChildren(related("predecessor", s.predecessor),
      related("successor", s.successor));
    document.getElementById("spec-history").replaceChildren(...s.status_history.map((h) =>
      el("li", { "data-action": h.action }, when(h.at), " · ", h.name, h.stage_name ? ` → ${h.stage_name}` : "")));
    root.dataset.loaded = "true";
  }).catch((err) => {
    document.getElementById("spec-heading").replaceChildren(err.status === 404 ? t("pub.not_found") : err.message);
    root.dataset.loaded = "error";
  });
})();
