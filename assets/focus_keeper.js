// Keeps keyboard focus on the page when the control that had it goes away.
//
// Many actions replace the control that ran them: "Choose" turns a search result into the
// chosen occupation, "Book interview" turns the form into the booking, ticking a follow-up
// off removes its row, the last step has no "Next step". The browser then drops focus to the
// page's body, and a keyboard or screen-reader user starts again from the top (WCAG 2.4.3).
// When that happens within one page (not on a navigation to another path), focus moves to the
// nearest control still there: the next one after it in the part of the page that survived,
// else the one before it, else that part itself. When nothing around it survived (a dialog
// opened without a trigger closed), focus goes back to the control focused before it.
(() => {
  "use strict";
  const TABBABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
    + "select:not([disabled]), textarea:not([disabled]), summary, "
    + "[tabindex]:not([tabindex='-1']):not([disabled])";
  const HISTORY = 20;
  let last = null; // {element, ancestors, path}
  const earlier = []; // the elements focused before, latest last

  const usable = (el) => el.isConnected && !el.disabled && el.getClientRects().length > 0
    && !el.closest("[inert], [aria-hidden='true']");
  const focusable = (el) => el.matches(TABBABLE) && el.getAttribute("aria-disabled") !== "true"
    && usable(el);
  const lost = () => !document.activeElement || document.activeElement === document.body
    || document.activeElement === document.documentElement;

  document.addEventListener("focusin", (event) => {
    const element = event.target;
    if (!(element instanceof Element)) return;
    const ancestors = [];
    for (let node = element.parentElement; node; node = node.parentElement) ancestors.push(node);
    if (last && last.element !== element) earlier.push(last.element);
    if (earlier.length > HISTORY) earlier.shift();
    last = {element, ancestors, path: location.pathname};
  });

  const rescue = () => {
    if (!last || !lost() || usable(last.element) || last.path !== location.pathname) return;
    const {element} = last;
    const area = last.ancestors.find((node) => node.isConnected && node !== document.body
      && node !== document.documentElement);
    if (!area) {
      const before = earlier.filter(focusable).pop();
      if (before) before.focus({focusVisible: true});
      return;
    }
    const candidates = [...area.querySelectorAll(TABBABLE)].filter(focusable);
    // Still in the page (disabled or hidden): the next control after it, else the one before.
    const after = element.isConnected ? candidates.find((el) =>
      element.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) : candidates[0];
    const target = after || candidates[candidates.length - 1];
    if (target) {
      target.focus({focusVisible: true});
    } else {
      if (!area.hasAttribute("tabindex")) area.setAttribute("tabindex", "-1");
      area.focus({focusVisible: true});
    }
  };

  // Re-rendering removes or disables the control; the browser lets go of a disabled control
  // only when it next renders, and a dialog that closes gives focus back on its own a moment
  // later: so look once the frame has settled.
  let pending = false;
  new MutationObserver(() => {
    if (pending || !last) return;
    pending = true;
    setTimeout(() => { pending = false; rescue(); }, 50);
  }).observe(document, {subtree: true, childList: true, attributes: true,
    attributeFilter: ["disabled", "hidden", "class", "style", "aria-hidden"]});
})();
