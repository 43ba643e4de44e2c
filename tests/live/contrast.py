"""WCAG 1.4.11 Non-text Contrast measured in the browser: the colour a control's edge, a focus
ring or a stage mark is painted in, composited over what is behind it, against that
background, as WCAG's contrast ratio of relative luminances.

Most colours are read from the computed style (border, box-shadow, outline or background, of the
element or its ::before, where Radix draws a checkbox's box); semi-transparent colours and
backgrounds are composited down to the first opaque background among the ancestors, as the
browser paints them. A native checkbox is drawn by the browser, not by CSS: its box is read from
the pixels of a screenshot instead (``drawn_too_faint``)."""

import struct
import zlib
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
  // A background image of one colour (Radix tints a segmented control's track with
  // linear-gradient(gray-a3, gray-a3)) is painted over the element's background colour.
  const tint = (style) => {
    const stops = [...style.backgroundImage.matchAll(/rgba?\\([^)]*\\)|color\\([^)]*\\)/g)]
      .map((m) => m[0]);
    return style.backgroundImage.startsWith('linear-gradient') && stops.length
      && stops.every((stop) => stop === stops[0]) ? parse(stops[0]) : null;
  };
  const behind = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      const image = tint(style);
      if (image && image[3] > 0) layers.push(image);
      const colour = parse(style.backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if ((colour && colour[3] >= 1) || (image && image[3] >= 1)) break;
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
      // Inside a mark drawn on ::before is that pseudo-element's own fill (a segmented
      // control's indicator), over what is behind the element.
      const fill = parse(getComputedStyle(el, '::before').backgroundColor);
      if (inside) against.push(['inside', part.startsWith('before-') && fill
        ? over(fill, behind(el)) : behind(el)]);
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


# Room around a native checkbox's box in its screenshot: the page beside it.
MARGIN_PX = 4
Pixel = tuple[int, int, int]


def contrast_ratio(first: Pixel, second: Pixel) -> float:
    """WCAG's contrast ratio of two opaque sRGB colours."""
    def luminance(colour: Pixel) -> float:
        linear = [value / 255 for value in colour]
        r, g, b = (s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4 for s in linear)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _pixels(png: bytes) -> list[list[Pixel]]:
    """The rows of an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, data, width, height, channels = 8, b"", 0, 0, 3
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour_type in (2, 6) and body[12] == 0, "unexpected PNG"
            channels = 4 if colour_type == 6 else 3
        elif kind == b"IDAT":
            data += body
    raw, stride = zlib.decompress(data), width * channels
    previous, rows, offset = bytearray(stride), [], 0
    for _ in range(height):
        kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                           (abs(guess - corner), 2, corner))
                line[x] = (line[x] + near[2]) & 255
        rows.append([(line[x], line[x + 1], line[x + 2]) for x in range(0, stride, channels)])
        previous = line
    return rows


def drawn_too_faint(page: Page, name: str, selector: str) -> tuple[int, list[str]]:
    """Native checkboxes as the browser drew them: along the box's middle row, the pixel of
    its left edge that stands out most from the page just outside it, against that page and,
    for an unticked box, against the box's inside. How many were measured, and each under 3:1.
    """
    faint, boxes, measured = [], page.locator(selector), 0
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if not box.is_visible():
            continue
        measured += 1
        box.scroll_into_view_if_needed()
        bounds = box.bounding_box()
        assert bounds is not None
        rows = _pixels(page.screenshot(scale="css", animations="disabled", clip={
            "x": bounds["x"] - MARGIN_PX, "y": bounds["y"] - MARGIN_PX,
            "width": bounds["width"] + 2 * MARGIN_PX,
            "height": bounds["height"] + 2 * MARGIN_PX}))
        middle = rows[len(rows) // 2]
        outside = middle[1]
        edge = max(middle[MARGIN_PX - 1:MARGIN_PX + 3],
                   key=lambda pixel: contrast_ratio(pixel, outside))
        against = [("around", outside)]
        if not box.is_checked():
            against.append(("inside", middle[len(middle) // 2]))
        ratios = [(where, colour, contrast_ratio(edge, colour)) for where, colour in against]
        if any(ratio < NON_TEXT_MIN for *_, ratio in ratios):
            faint.append(f"{name} #{index}: {_hex(edge)} " + ", ".join(
                f"{ratio:.2f}:1 {where} on {_hex(colour)}" for where, colour, ratio in ratios))
    return measured, faint


def _hex(colour: Pixel) -> str:
    return "#" + "".join(f"{value:02x}" for value in colour)
