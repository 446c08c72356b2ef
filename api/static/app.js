// The page's messages and language come as a JSON data block (no inline script, so the CSP stays 'self').
(() => {
  const page = JSON.parse(document.getElementById("mtc-page").textContent);
  window.MSG = page.messages;
  window.LANG = page.lang;
})();
/* Shared helpers: every page talks to /api/v1 with the session cookie and the CSRF header. */
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const t = (key) => (window.MSG && window.MSG[key]) || key;

  async function api(method, path, body, options) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") init.headers["X-CSRFToken"] = csrf;
    if (body !== undefined) {
      if (options && options.raw) {
        init.body = body;
        init.headers["Content-Type"] = options.raw;
      } else {
        init.body = JSON.stringify(body);
        init.headers["Content-Type"] = "application/json";
      }
    }
    const response = await fetch("/api/v1" + path, init);
    if (response.status === 401 && !(options && options.public)) {
      location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      throw new Error("unauthenticated");
    }
    const type = response.headers.get("Content-Type") || "";
    const payload = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      const error = new Error((payload && payload.detail) || response.statusText);
      error.status = response.status;
      error.problem = payload;
      throw error;
    }
    return payload;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function when(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return d.toLocaleString(window.LANG === "en" ? "en-GB" : "zh-CN", { hour12: false });
  }

  function fill(tbody, rows, columns) {
    tbody.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: columns }, t("dash.none")))]));
  }

  function showError(target, err) {
    target.replaceChildren(el("p", { class: "error", role: "alert" }, t("error") + ": " + err.message));
  }

  async function me() {
    const slot = document.getElementById("me");
    if (!slot) return null;
    try {
      const who = await api("GET", "/me");
      slot.textContent = who.display_name || who.username;
      slot.title = who.roles.map((r) => r.role + (r.scope ? "@" + r.scope : "")).join(", ");
      return who;
    } catch (e) {
      return null;
    }
  }

  /* Process key → its (Chinese) name from the deployed definitions; the key itself where none is known. */
  let names = null;
  async function processNames() {
    if (!names) {
      names = api("GET", "/definitions?per_page=200")
        .then((page) => new Map(page.items.map((d) => [d.key, d.name || d.key])))
        .catch(() => new Map());
    }
    const known = await names;
    return (key) => known.get(key) || key;
  }

  /* The header bell: how many of my notifications are unread (the server counts them). */
  async function refreshBell() {
    const bell = document.getElementById("bell");
    if (!bell) return null;
    try {
      const page = await api("GET", "/notifications?per_page=1");
      const count = document.getElementById("bell-count");
      count.textContent = page.unread;
      count.hidden = !page.unread;
      // the name says the visible words and the count ("提醒 2 条未读"), so voice control can say what it sees
      document.getElementById("bell-unread").hidden = !page.unread;
      return page.unread;
    } catch (e) {
      return null;
    }
  }

  /* A refusal said in the page's language: by the rule that refused, else by status, else the server's words. */
  function problemText(err) {
    const problem = err.problem || {};
    for (const key of ["rule." + problem.rule, "problem." + err.status]) {
      if (window.MSG && window.MSG[key]) return window.MSG[key];
    }
    return err.message;
  }

  /* A box that scrolls must be reachable by keyboard (WCAG 2.1.1): while its content overflows it takes focus
     and is a named region; tables are put in such a box so a phone scrolls the table, not the page. */
  function scrollable(box) {
    const named = () => {
      const heading = box.closest("section, main").querySelector("h2, h1");
      return (heading ? heading.textContent.trim() + " · " : "") + t("a11y.scrolls");
    };
    const check = () => {
      const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", named());
      } else if (!scrolls && box.getAttribute("tabindex") === "0") {
        ["tabindex", "role", "aria-label"].forEach((a) => box.removeAttribute(a));
      }
    };
    const observer = new ResizeObserver(check);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    new MutationObserver(check).observe(box, { childList: true, subtree: true, characterData: true });
  }

  document.querySelectorAll("main table.grid").forEach((table) => {
    const wrapper = el("div", { class: "table-scroll" });
    table.replaceWith(wrapper);
    wrapper.append(table);
    scrollable(wrapper);
  });
  document.querySelectorAll("main pre").forEach(scrollable);

  window.mtc = { api, el, t, when, fill, showError, csrf, me: me(), processNames, refreshBell, problemText, scrollable };
  refreshBell();
})();
