"""WCAG 1.4.11 Non-text Contrast measured in the browser: the colour a control's edge, a focus
ring or a stage mark is painted in, composited over what is behind it, against that
background, as WCAG's contrast ratio of relative luminances.

Colours are read from the computed style (border, box-shadow, outline or background, of the
element or its ::before, where Radix draws a checkbox's box); semi-transparent colours and
backgrounds are composited down to the first opaque background among the ancestors, as the
browser paints them."""

from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Page

# WCAG 1.4.11: 3:1 for a component's boundary or state and for graphics that carry meaning.
NON_TEXT_MIN = 3.0

Part = Literal["border", "shadow", "before-shadow", "left-edge", "background", "outline",
               "before-outline"]


@dataclass(frozen=True)
class Mark:
    """What to measure: the ``part`` of each visible element matching ``selector``."""
    name: str
    selector: str
    part: Part
    # Also against the element's own background (a ring drawn inside its box), not only
    # against what surrounds it.
    inside: bool = False


MEASURE = """([selector, part, inside]) => {
  const parse = (text) => {
    const rgb = /rgba?\\(([^)]+)\\)/.exec(text || '');
    if (rgb) {
      const p = rgb[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    const srgb = /color\\(srgb ([^)]+)\\)/.exec(text || '');
    if (srgb) {
      const p = srgb[1].split(/[\\s\\/]+/).filter(Boolean).map(parseFloat);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  };
  const over = (top, bottom) =>
    [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const root = document.querySelector('.radix-themes[data-is-root-theme="true"]');
  const page = parse(getComputedStyle(root).backgroundColor);
  const behind = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] >= 1) break;
    }
    let result = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : page;
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) => '#' + c.slice(0, 3)
    .map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const paint = (el) => {
    const own = getComputedStyle(el);
    const before = getComputedStyle(el, '::before');
    switch (part) {
      case 'border': return own.borderTopWidth !== '0px' ? own.borderTopColor : null;
      case 'left-edge': return own.borderLeftWidth !== '0px' ? own.borderLeftColor : null;
      case 'shadow': return own.boxShadow;
      case 'before-shadow': return before.boxShadow;
      case 'background': return own.backgroundColor;
      case 'outline': return own.outlineStyle !== 'none' ? own.outlineColor : null;
      case 'before-outline': return before.outlineStyle !== 'none' ? before.outlineColor : null;
    }
    return null;
  };
  const name = (el) => (el.getAttribute('aria-label') || el.id || el.innerText || el.className
    || el.tagName).toString().trim().slice(0, 40);
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
    .map((el) => {
      const painted = paint(el);
      const colour = parse(painted);
      if (!colour) return {what: name(el), painted: String(painted), ratios: []};
      const against = [['around', behind(el.parentElement)]];
      if (inside) against.push(['inside', behind(el)]);
      return {what: name(el), painted: hex(over(colour, against[0][1])), ratios: against.map(
        ([where, bg]) => [where, hex(bg), ratio(over(colour, bg), bg)])};
    });
}"""


def measure(page: Page, mark: Mark) -> list[dict]:
    """One entry per visible element: its name, the colour painted, and each ratio as
    (against what, background, ratio); no ratios where nothing was painted."""
    return page.evaluate(MEASURE, [mark.selector, mark.part, mark.inside])


def too_faint(page: Page, mark: Mark) -> tuple[int, list[str]]:
    """How many elements ``mark`` measured, and each one under 3:1 (or not painted)."""
    found = measure(page, mark)
    faint = [f"{mark.name} {item['what']!r}: {item['painted']} "
             + ", ".join(f"{ratio:.2f}:1 {where} on {background}"
                         for where, background, ratio in item["ratios"])
             for item in found
             if not item["ratios"] or any(ratio < NON_TEXT_MIN for *_, ratio in item["ratios"])]
    return len(found), faint
