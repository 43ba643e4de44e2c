// A field's error message goes away as soon as the student changes that field.
//
// The server puts a refused form's messages beside its fields (state/base.py, FormState), and
// they stay until the form is sent again. When the browser's own check blocks that (an email
// without "@"), no submit happens and "Name is required." would stay under a name already
// filled in. So a change to a field inside a form hides its message and clears its
// aria-invalid; sending the form shows whatever the server answers, the same message again
// included.
(() => {
  "use strict";
  const EDITED = "iv-edited";

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!input || !input.form || !input.closest) return;
    const box = input.closest(".iv-field");
    if (!box || box.classList.contains(EDITED) || !box.querySelector(".iv-field-error")) return;
    box.classList.add(EDITED);
    if (input.getAttribute("aria-invalid") === "true") {
      input.dataset.ivInvalid = "true";
      input.setAttribute("aria-invalid", "false");
    }
  }, true);

  document.addEventListener("submit", (event) => {
    for (const box of event.target.querySelectorAll("." + EDITED)) {
      box.classList.remove(EDITED);
      for (const input of box.querySelectorAll("[data-iv-invalid]")) {
        input.setAttribute("aria-invalid", "true");
        delete input.dataset.ivInvalid;
      }
    }
  }, true);
})();
