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
  // A control that went away with focus and whose copy (same id) is still to come: a step's
  // text area reloading after a reconnect shows "Loading..." first. Focus waits on a stand-in
  // and goes to the copy when it appears, unless the student has moved on meanwhile.
  let awaited = null; // {id, standIn, path}

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
    if (awaited && element !== awaited.standIn) awaited = null;
    if (last && last.element !== element) earlier.push(last.element);
    if (earlier.length > HISTORY) earlier.shift();
    last = {element, ancestors, path: location.pathname};
  });

  const rescue = () => {
    if (!last || !lost() || usable(last.element) || last.path !== location.pathname) return;
    const {element} = last;
    // Re-created by a re-render (a text area remounted with the server's text keeps its id):
    // the new copy of the same control.
    const twin = element.id && !element.isConnected ? document.getElementById(element.id) : null;
    if (twin && focusable(twin)) {
      focusCopy(twin);
      return;
    }
    const waitFor = element.id && !element.isConnected ? element.id : null;
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
    const standIn = target || area;
    if (!target && !area.hasAttribute("tabindex")) area.setAttribute("tabindex", "-1");
    standIn.focus({focusVisible: true});
    if (waitFor) awaited = {id: waitFor, standIn, path: location.pathname};
  };

  // The copy of a re-created control: a text field gets the caret at the end of its text, where
  // the student was typing.
  const focusCopy = (copy) => {
    copy.focus({focusVisible: true});
    if (copy.matches("textarea, input[type=text], input:not([type])")) {
      copy.setSelectionRange(copy.value.length, copy.value.length);
    }
  };
  const arrived = () => {
    if (!awaited || awaited.path !== location.pathname) return;
    if (document.activeElement !== awaited.standIn && !lost()) return;
    const copy = document.getElementById(awaited.id);
    if (!copy || !focusable(copy)) return;
    awaited = null;
    focusCopy(copy);
  };

  // Dialogs opened by the app's state instead of a Radix Dialog.Trigger (the contact form,
  // the staff lists' add and edit forms). On close Radix focuses its trigger, and with none it
  // focuses nothing: the closing dialog's content is removed with focus inside it and focus
  // falls to the page's body, where only the rescue above, a moment later and by guesswork,
  // picked it up. Their content calls these from Radix's onOpenAutoFocus and
  // onCloseAutoFocus (components/dialog.py): remember the control focused as the dialog
  // opens, and as it closes focus that control again, or the one that replaced it when a
  // re-render swapped it for a new node (same id, else same tag and accessible name).
  const openers = new WeakMap();
  const nameOf = (el) => (el.getAttribute("aria-label") || el.textContent || "").trim();
  const replacement = (gone) => {
    if (gone.id) {
      const same = document.getElementById(gone.id);
      if (same && focusable(same)) return same;
    }
    const name = nameOf(gone);
    return name ? [...document.querySelectorAll(gone.tagName)].find(
      (el) => focusable(el) && nameOf(el) === name) : undefined;
  };
  window.ivDialogFocus = {
    opened(event) {
      const opener = document.activeElement;
      if (opener && opener !== document.body && !event.target.contains(opener)) {
        openers.set(event.target, opener);
      }
    },
    closed(event) {
      const opener = openers.get(event.target);
      if (!opener) return;
      const target = focusable(opener) ? opener : replacement(opener);
      if (!target) return;
      event.preventDefault();
      target.focus({focusVisible: true});
    },
  };

  // A control removed with focus inside has already let go when the observer hears of it:
  // put focus back at once, before the next key press lands on the page's body (a timer can
  // come long after it on a busy machine). The browser lets go of a disabled control only when
  // it next renders, and a dialog that closes gives focus back on its own a moment later: so
  // look again once the frame has settled.
  let pending = false;
  new MutationObserver(() => {
    if (!last) return;
    arrived();
    rescue();
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; rescue(); }, 50);
  }).observe(document, {subtree: true, childList: true, attributes: true,
    attributeFilter: ["disabled", "hidden", "class", "style", "aria-hidden"]});
})();
