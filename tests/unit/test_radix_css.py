"""The app loads only the Radix colour scales it names (rxconfig.py): a colour used in the code
or the stylesheet but not loaded would draw nothing (its CSS variables undefined)."""

import re
from pathlib import Path

import rxconfig

ROOT = Path(__file__).resolve().parents[2]
# Radix Themes 3's 31 scales; gray is in tokens/base.css, always loaded.
RADIX_SCALES = ("tomato", "red", "ruby", "crimson", "pink", "plum", "purple", "violet", "iris",
                "indigo", "blue", "cyan", "teal", "jade", "green", "grass", "brown", "orange",
                "sky", "mint", "lime", "yellow", "amber", "gold", "bronze", "mauve", "slate",
                "sage", "olive", "sand")
NAMES = "|".join(RADIX_SCALES)
AS_STRING = re.compile(rf"""["']({NAMES})["']""")
AS_VARIABLE = re.compile(rf"--({NAMES})-")


def _used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    sources = [*(ROOT / "infoview_app").rglob("*.py"), ROOT / "assets" / "styles.css",
               ROOT / "rxconfig.py"]
    for path in sources:
        text = path.read_text()
        if path.name == "rxconfig.py":
            text = text.split("config = ", 1)[1]  # the theme, not the list under test
        for match in [*AS_STRING.finditer(text), *AS_VARIABLE.finditer(text)]:
            used.setdefault(match.group(1), set()).add(path.name)
    return used


def test_every_colour_the_app_names_is_loaded() -> None:
    missing = {name: files for name, files in _used().items()
               if name not in rxconfig.RADIX_COLOURS}
    assert missing == {}


def test_the_accent_and_its_gray_are_loaded() -> None:
    """Teal's gray is sage (Radix's gray_color="auto"): every --gray-N of the themed page."""
    assert "teal" in _used()
    assert {"teal", "sage"} <= set(rxconfig.RADIX_COLOURS)


def test_the_stylesheet_is_radix_s_split_in_order() -> None:
    plugin = rxconfig.config.plugins[0]
    assert isinstance(plugin, rxconfig.RadixThemesUsedColours)
    sheets = plugin.get_stylesheet_paths()
    assert sheets[0] == "@radix-ui/themes/tokens/base.css"
    assert sheets[-2:] == ("@radix-ui/themes/components.css", "@radix-ui/themes/utilities.css")
    assert sheets[1:-2] == tuple(f"@radix-ui/themes/tokens/colors/{name}.css"
                                 for name in rxconfig.RADIX_COLOURS)
    assert "@radix-ui/themes/styles.css" not in sheets
