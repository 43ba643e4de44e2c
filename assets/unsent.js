// Keeps what a student types in the browser until the server has stored it.
//
// Text areas marked with data-unsent-key autosave through a debounced Reflex event. A reload,
// a dropped connection or a backend restart can swallow that event, so every keystroke is also
// written to localStorage under the field's key. The server acknowledges each stored text by
// rendering its digest (FNV-1a, services/text_digest.py) in the field's data-ack attribute;
// an acknowledged entry is dropped. An entry still pending after a pause is put back into its
// field (after a reload the field shows the server's older text) and sent again.
(() => {
  "use strict";
  const PREFIX = "infoview:unsent:";
  const OWNER = "infoview:unsent-owner";
  const KEEP_DAYS = 30;
  const QUIET_MS = 2000; // no keystroke for this long: the debounced save should have landed
  const RETRY_MS = [2000, 4000, 8000, 15000, 30000];
  const KNOWN_MAX = 200;

  const digest = (text) => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash.toString(16).padStart(8, "0");
  };

  const read = (key) => {
    try {
      const entry = JSON.parse(localStorage.getItem(PREFIX + key));
      return entry && typeof entry.v === "string" ? entry : null;
    } catch {
      return null;
    }
  };
  const write = (key, entry) => {
    try {
      localStorage.setItem(PREFIX + key, JSON.stringify(entry));
    } catch {
      // Storage full or disabled: the server autosave still runs.
    }
  };
  const drop = (key) => localStorage.removeItem(PREFIX + key);

  // The text the field showed when it appeared: what the server had then.
  const firstSeen = new WeakMap();
  const retries = new WeakMap();

  const note = (field) => {
    if (!firstSeen.has(field)) firstSeen.set(field, digest(field.value));
  };

  // Sets a React-controlled field's value and lets React (and so Reflex) see the change.
  const send = (field, text) => {
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), "value").set;
    if (field._valueTracker) field._valueTracker.setValue(text === "" ? " " : "");
    setter.call(field, text);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  };

  document.addEventListener("input", (event) => {
    const field = event.target;
    const key = field && field.dataset && field.dataset.unsentKey;
    if (!key || !event.isTrusted) return;
    const entry = read(key) || { k: [] };
    // Digests of texts this browser had or typed: a server text among them may be overwritten.
    const known = new Set(entry.k);
    known.add(firstSeen.get(field) || digest(""));
    if (field.dataset.ack) known.add(field.dataset.ack); // the server stored that text
    known.add(digest(field.value));
    write(key, { v: field.value, t: Date.now(), k: [...known].slice(-KNOWN_MAX) });
    retries.delete(field);
  }, true);

  // Kept text that the saved text has moved on from (edited on another device): the student
  // chooses, in a notice outside the page's React tree.
  const choices = new Map();
  const closeChoice = (key) => {
    const notice = choices.get(key);
    if (notice) notice.remove();
    choices.delete(key);
  };
  const choiceButton = (label, action) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", action);
    return button;
  };
  const offerChoice = (field, key, entry) => {
    if (choices.has(key)) return;
    const label = (field.labels && field.labels[0] && field.labels[0].textContent) || "A note";
    const notice = document.createElement("div");
    notice.className = "iv-unsent-choice";
    notice.setAttribute("role", "alert");
    const message = document.createElement("p");
    message.textContent = `“${label}” was changed elsewhere after you typed in it on `
      + "this device, and what you typed here was never saved.";
    notice.append(
      message,
      choiceButton("Put back what I typed here", () => {
        closeChoice(key);
        send(field, entry.v);
      }),
      choiceButton("Keep the saved text", () => {
        closeChoice(key);
        drop(key);
      }),
    );
    choices.set(key, notice);
    // Inside the theme's root, whose CSS variables (colours, light or dark) it uses.
    (document.querySelector(".radix-themes") || document.body).append(notice);
  };

  // What the kept text of one field needs now. A field that has just appeared is settled at
  // once: nobody can have typed in it yet, and it may show an older text than the one kept (a
  // step reloaded after a reconnect while a save was still on its way). A keystroke in it
  // before the kept text is put back would save the older text over the newer one.
  const settle = (field, now, appeared) => {
    const key = field.dataset.unsentKey;
    const entry = read(key);
    if (!entry) return;
    if (field.dataset.ack === digest(entry.v)) {
      // Stored. A field remounted meanwhile with the older text must show it too.
      if (field.value !== entry.v) send(field, entry.v);
      drop(key);
      retries.delete(field);
      return;
    }
    if (!appeared && now - entry.t < QUIET_MS) return; // still typing: the save is pending
    // Over the field's limit: the server refused it (the message says by how much); kept
    // here, whole, until the student shortens it, and not sent again meanwhile.
    const limit = Number(field.dataset.maxLength);
    if (limit && entry.v.length > limit) return;
    const retry = retries.get(field) || { at: 0, count: 0 };
    if (now < retry.at) return;
    if (field.value !== entry.v && !entry.k.includes(digest(field.value))) {
      offerChoice(field, key, entry); // the text changed elsewhere since: ask, never overwrite
      return;
    }
    send(field, entry.v);
    const wait = RETRY_MS[Math.min(retry.count, RETRY_MS.length - 1)];
    retries.set(field, { at: now + wait, count: retry.count + 1 });
  };

  const sweep = () => {
    const now = Date.now();
    for (const key of choices.keys()) {
      if (!document.querySelector(`[data-unsent-key="${CSS.escape(key)}"]`)) closeChoice(key);
    }
    for (const field of document.querySelectorAll("[data-unsent-key]")) {
      note(field);
      settle(field, now, false);
    }
  };

  const keys = () => Object.keys(localStorage).filter((k) => k.startsWith(PREFIX));
  const clear = () => keys().forEach((k) => localStorage.removeItem(k));
  // Nothing is kept for ever: entries older than KEEP_DAYS are forgotten.
  for (const k of keys()) {
    const entry = read(k.slice(PREFIX.length));
    if (!entry || Date.now() - entry.t > KEEP_DAYS * 86400000) localStorage.removeItem(k);
  }
  window.infoviewUnsent = {
    digest,
    clear,
    pending: () => keys().length,
    // At sign-in: another user's kept text is forgotten (the tag is derived from the user).
    claim: (owner) => {
      if (localStorage.getItem(OWNER) !== owner) clear();
      localStorage.setItem(OWNER, owner);
    },
  };
  const appeared = (field) => {
    note(field);
    settle(field, Date.now(), true);
  };
  // Fields as they appear. Only the nodes a mutation added are searched: a search of the whole
  // document on every mutation took up to 450 ms of the main thread while a page hydrated.
  const appearedWithin = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("[data-unsent-key]")) appeared(node);
    for (const field of node.querySelectorAll("[data-unsent-key]")) appeared(field);
  };
  new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(appearedWithin);
  }).observe(document.documentElement, { childList: true, subtree: true });
  setInterval(sweep, 500);
})();
