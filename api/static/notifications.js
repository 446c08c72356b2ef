/* My notifications (reminders, overdue warnings, escalations), newest first; mark one or all read. */
(function () {
  const { api, el, t, when, showError, refreshBell, processNames } = window.mtc;
  const PER_PAGE = 20;
  const list = document.getElementById("notifications");
  const unreadOnly = document.getElementById("unread-only");
  const prev = document.getElementById("prev");
  const next = document.getElementById("next");
  let page = 1;

  const kind = (k) => (window.MSG["notif.kind." + k] ? t("notif.kind." + k) : k);

  async function markRead(id) {
    await api("POST", `/notifications/${id}/read`);
    await Promise.all([load(), refreshBell()]);
  }

  async function load() {
    try {
      const [result, processName] = await Promise.all([
        api("GET", `/notifications?per_page=${PER_PAGE}&page=${page}` + (unreadOnly.checked ? "&unread=true" : "")),
        processNames()]);
      const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
      document.getElementById("page-info").textContent = t("inbox.page").replace("{page}", result.page)
        .replace("{pages}", pages).replace("{total}", result.total);
      prev.disabled = page <= 1;
      next.disabled = page >= pages;
      document.getElementById("mark-all").disabled = !result.unread;
      list.replaceChildren(...(result.items.length ? result.items.map((n) => el("li", {
        class: n.read_at ? "read" : "unread", "data-id": n.id },
      el("strong", {}, kind(n.kind)), n.read_at ? null : el("span", { class: "badge bad" }, t("notif.unread")), " ",
      n.task_name || "", " · ", processName(n.process_key),
      el("div", {}, n.message),
      el("div", { class: "meta" }, when(n.created_at), n.due_at ? ` · ${t("col.due")} ${when(n.due_at)}` : ""),
      el("div", { class: "actions" },
        n.task_id ? el("a", { class: "button small-button", href: "/tasks/" + n.task_id }, t("notif.open_task")) : null,
        n.read_at ? null : el("button", { type: "button", class: "small-button mark-read", onclick: () => markRead(n.id) },
          t("notif.mark_read")))))
        : [el("li", {}, t("notif.empty"))]));
    } catch (err) {
      showError(list, err);
    }
  }

  document.getElementById("mark-all").addEventListener("click", async () => {
    await api("POST", "/notifications/read-all");
    await Promise.all([load(), refreshBell()]);
  });
  unreadOnly.addEventListener("change", () => { page = 1; load(); });
  prev.addEventListener("click", () => { page -= 1; load(); });
  next.addEventListener("click", () => { page += 1; load(); });
  load();
})();
