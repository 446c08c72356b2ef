/* My e-mail preferences (issue 20): address, which kinds, immediate or a daily digest. */
(function () {
  const { api, el, t, showError } = window.mtc;
  const form = document.getElementById("mail-form");
  const address = document.getElementById("mail-address");
  const kinds = document.getElementById("mail-kinds");
  const message = document.getElementById("mail-message");
  const label = (k) => (window.MSG["mail.kind." + k.kind] ? t("mail.kind." + k.kind) : k.label);

  function show(prefs) {
    document.getElementById("mail-off").hidden = prefs.mail_enabled;
    address.value = prefs.address || "";
    kinds.replaceChildren(...prefs.available.map((k) => el("label", {},
      el("input", { type: "checkbox", name: "kind", value: k.kind, checked: prefs.kinds.includes(k.kind) }),
      " ", label(k))));
    form.querySelector(`input[name="mail-mode"][value="${prefs.digest ? "digest" : "immediate"}"]`).checked = true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      show(await api("PUT", "/me/notification-preferences", {
        address: address.value.trim() || null,
        kinds: [...kinds.querySelectorAll("input[name=kind]:checked")].map((box) => box.value),
        digest: form.querySelector('input[name="mail-mode"]:checked').value === "digest",
      }));
      message.textContent = t("mail.saved");
    } catch (err) {
      showError(message, err);
    }
  });

  api("GET", "/me/notification-preferences").then(show).catch((err) => showError(message, err));
})();
