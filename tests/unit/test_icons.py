"""The icons in assets/ are what bench/make_icons.py draws, at the sizes phones ask for."""

import json
import struct
from pathlib import Path

import pytest

from bench import make_icons

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_favicon_holds_16_32_and_48_pixel_images() -> None:
    data = (ASSETS / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = []
    for index in range(count):
        _, _, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index:22 + 16 * index])
        sizes.append(_png_size(data[offset:offset + length]))
    assert sizes == [(16, 16), (32, 32), (48, 48)]


@pytest.mark.parametrize(("name", "size"), list(make_icons.PNG_ICONS.items()))
def test_the_phone_icons_have_their_sizes(name: str, size: int) -> None:
    assert _png_size((ASSETS / name).read_bytes()) == (size, size)


def test_the_committed_icons_are_the_drawn_ones() -> None:
    """Regenerated small: the mark drawn now is the one committed (the 16 px favicon)."""
    assert make_icons.png(16, 0.2) in (ASSETS / "favicon.ico").read_bytes()


def test_the_manifest_names_the_phone_icons() -> None:
    manifest = json.loads((ASSETS / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert {icon["src"].lstrip("/") for icon in manifest["icons"]} == {
        "icon-192.png", "icon-512.png"}
    for icon in manifest["icons"]:
        assert (ASSETS / icon["src"].lstrip("/")).is_file()
