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
# How long to wait for a page to settle (focus put back somewhere, with its ring drawn) after
# an action re-rendered it: the bound of every expect(), not a speed requirement; a settled
# page ends the wait at once.
SETTLE_MS = 15_000

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


def describe(target: Locator) -> str:
    """The locator as a person would name it: Playwright's selector without the frame."""
    text = str(target)
    _, found, selector = text.partition("selector=")
    return selector.rstrip(">") if found else text


# Whether ``el`` comes after the focused element in the page (or nothing has focus).
AHEAD = """el => {
  const from = document.activeElement;
  return !from || from === document.body
    || Boolean(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def tab_to(page: Page, target: Locator) -> None:
    """Tab towards ``target`` until it has focus, as a person who sees it would: Tab while it
    comes later in the page than the focused control, Shift+Tab while it comes earlier (asked
    again at every stop: the page may re-render around the walk). Each stop shows focus.

    The walk is bounded by ``MAX_STOPS``; and when a press leaves focus on no element (the
    page dropped it, or the walk left the page at its top or end) it fails there, naming what
    it looked for and where it went, instead of wrapping round the page."""
    start = focus_state(page)["what"]
    stops: list[str] = []
    for _ in range(MAX_STOPS):
        if target.evaluate("el => el === document.activeElement"):
            expect_focus_shown(page, "the walk to it")
            return
        key = "Tab" if target.evaluate(AHEAD) else "Shift+Tab"
        page.keyboard.press(key)
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(f"() => !({FOCUS_STATE})().lost", timeout=SETTLE_MS)
        state = focus_state(page)
        if state["lost"]:
            raise AssertionError(f"{key} left focus on no element before reaching "
                                 f"{describe(target)}; from {start} it went through {stops}")
        stops.append(f"{key}: {state['what']}")
        expect_focus_shown(page, key)
    raise AssertionError(f"{describe(target)} not reached in {MAX_STOPS} presses from {start}; "
                         f"the first stops: {stops[:25]}")


def press_on(page: Page, target: Locator, key: str = "Enter") -> None:
    """Tab to ``target`` and press ``key`` on it."""
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Page, field: Locator, text: str) -> None:
    """Tab to a field and type into it, key by key."""
    tab_to(page, field)
    page.keyboard.type(text)
    expect(field).to_have_value(text)
