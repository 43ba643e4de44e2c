"""Driving a page with the keyboard alone, as a person without a mouse does: Tab and
Shift+Tab to a control, Enter or Space to use it, typing into the field that has focus. Every
stop on the way must show where focus is, and an action must never drop focus to the page's
body."""

import contextlib

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# How far a walk may go before the control counts as unreachable: more stops than any page
# here has between two controls a person uses one after the other.
MAX_STOPS = 120
# How long a page may take to put focus somewhere after an action re-rendered it.
SETTLE_MS = 2_000

# Where focus is and whether it is drawn. A Radix text field or text area draws its ring on
# its root around the input (:focus-within), so that root stands for the input. An outline
# counts only if it is painted around the element's own boxes: a link laid out inline around
# a block (display: inline around a flex row) has empty boxes, and Chromium paints its
# outline around nothing. A box-shadow does not count: Radix's button variants carry one at
# rest, so it would pass a control with no focus style at all. A date or time field moves
# focus between its own parts (month, day, year, the picker button), which Chromium highlights
# inside the field where no style reaches: focus on such a field counts as shown.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {lost: true, visible: false, what: 'the page body'};
  }
  const name = el.getAttribute('aria-label') || el.innerText || el.value || el.id || '';
  const what = `<${el.tagName.toLowerCase()}> ${name.trim().slice(0, 60)}`;
  if (el.matches('input:is([type=date], [type=time], [type=datetime-local])')) {
    return {lost: false, visible: true, what};
  }
  const ring = el.closest('.rt-TextFieldRoot, .rt-TextAreaRoot') || el;
  const style = getComputedStyle(ring);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const boxes = [...ring.getClientRects()];
  const drawn = boxes.length > 0 && boxes.every(box => box.width > 0 && box.height > 0);
  return {lost: false, visible: outlined && drawn && el.matches(':focus-visible, :focus'), what};
}"""


def focus_state(page: Page) -> dict:
    return page.evaluate(FOCUS_STATE)


def expect_focus_shown(page: Page, after: str) -> None:
    """Focus is on an element (not lost to the body) that shows a focus indicator, once the
    page has settled (a re-render may move it within a frame or two)."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => ({FOCUS_STATE})().visible", timeout=SETTLE_MS)
    state = focus_state(page)
    assert not state["lost"], f"focus fell to the page's body after {after}"
    assert state["visible"], f"no visible focus indicator on {state['what']} after {after}"


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Tab (or Shift+Tab) until ``target`` has focus; each stop on the way shows focus."""
    key = "Shift+Tab" if backwards else "Tab"
    stops: list[str] = []
    for _ in range(MAX_STOPS):
        if target.evaluate("el => el === document.activeElement"):
            expect_focus_shown(page, f"{key} to it")
            return
        page.keyboard.press(key)
        state = focus_state(page)
        stops.append(state["what"])
        if not state["lost"]:
            expect_focus_shown(page, key)
    raise AssertionError(f"{target} not reached in {MAX_STOPS} presses of {key}; the first "
                         f"stops: {stops[:25]}")


def press_on(page: Page, target: Locator, key: str = "Enter", *, backwards: bool = False
             ) -> None:
    """Tab to ``target`` and press ``key`` on it."""
    tab_to(page, target, backwards=backwards)
    page.keyboard.press(key)


def type_into(page: Page, field: Locator, text: str, *, backwards: bool = False) -> None:
    """Tab to a field and type into it, key by key."""
    tab_to(page, field, backwards=backwards)
    page.keyboard.type(text)
    expect(field).to_have_value(text)
