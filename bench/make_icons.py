"""Draws InfoView's icons into assets/: favicon.ico (16, 32 and 48 px), apple-touch-icon.png
(180 px, what iOS asks for), icon-192.png and icon-512.png (the web manifest's sizes).

The mark is a white "iv" monogram on the app's teal, drawn from shapes (no font, no imaging
library: plain zlib and struct), each pixel sampled 4x4 times for smooth edges. Run it after
changing the mark: `python bench/make_icons.py`; tests/unit/test_icons.py checks the files.
"""

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"
TEAL = (10, 122, 109)  # white on it is 5.3:1, like the app's accent text
WHITE = (255, 255, 255)
SAMPLES = 4
ICO_SIZES = (16, 32, 48)
PNG_ICONS = {"apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512}


def _segment_distance(x: float, y: float, a: tuple[float, float], b: tuple[float, float]
                      ) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2) ** 0.5


def _monogram(x: float, y: float) -> bool:
    """Whether the point (unit square, y down) is on the white "iv"."""
    stem = 0.23 <= x <= 0.35 and 0.42 <= y <= 0.76
    dot = (x - 0.29) ** 2 + (y - 0.27) ** 2 <= 0.075 ** 2
    vee = y <= 0.77 and min(_segment_distance(x, y, (0.45, 0.42), (0.61, 0.74)),
                            _segment_distance(x, y, (0.77, 0.42), (0.61, 0.74))) <= 0.06
    return stem or dot or vee


def _inside(radius: float) -> Callable[[float, float], bool]:
    """The rounded square the mark sits on (radius 0: the whole square)."""
    def inside(x: float, y: float) -> bool:
        cx, cy = min(max(x, radius), 1 - radius), min(max(y, radius), 1 - radius)
        return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2
    return inside


def draw(size: int, radius: float) -> bytes:
    """RGBA rows of the icon at ``size`` px, each row led by PNG's filter byte 0."""
    inside = _inside(radius)
    rows = bytearray()
    step = 1 / (size * SAMPLES)
    for py in range(size):
        rows.append(0)
        for px in range(size):
            covered = white = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px * SAMPLES + sx + 0.5) * step
                    y = (py * SAMPLES + sy + 0.5) * step
                    if inside(x, y):
                        covered += 1
                        white += _monogram(x, y)
            total = SAMPLES * SAMPLES
            if covered == 0:
                rows += bytes(4)
                continue
            share = white / covered
            rgb = [round(t + (w - t) * share) for t, w in zip(TEAL, WHITE, strict=True)]
            rows += bytes([*rgb, round(255 * covered / total)])
    return bytes(rows)


def png(size: int, radius: float) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(draw(size, radius), 9)) + chunk(b"IEND", b""))


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico holding PNG images (every browser reads PNG inside ICO)."""
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for size, data in images.items():
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data),
                               offset)
        offset += len(data)
    return head + entries + b"".join(images.values())


def main() -> None:
    (ASSETS / "favicon.ico").write_bytes(ico({size: png(size, 0.2) for size in ICO_SIZES}))
    for name, size in PNG_ICONS.items():
        # Phones round the corners of these themselves: drawn full-bleed.
        (ASSETS / name).write_bytes(png(size, 0.0))
    print("wrote", ", ".join(["favicon.ico", *PNG_ICONS]), "in", ASSETS)


if __name__ == "__main__":
    main()
