"""What each main page makes the browser download before it can hydrate, counted from a
production build: the scripts and stylesheets its prerendered ``index.html`` preloads (the
route module and everything it imports statically), raw and as the brotli copy the server
sends. The machine's load does not move these figures (docs/benchmarks.md (k), session 9).

    python bench/preload_bytes.py .web/build/client   # after a production build
"""

import argparse
import re
from pathlib import Path

PAGES = {"Sign-in": "login/index.html", "Student home": "index.html",
         "Exploration": "exploration/index.html", "Network": "network/index.html",
         "Staff dashboard": "staff/index.html"}
PRELOADED = re.compile(r'<link[^>]*?href="/(assets/[^"]+\.(?:js|css))"')


def sizes(build: Path, path: str) -> tuple[int, int]:
    """The file's size and its brotli copy's (the file's own when there is none)."""
    file = build / path
    brotli = file.with_name(file.name + ".br")
    return file.stat().st_size, (brotli if brotli.exists() else file).stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description="Bytes each main page preloads.")
    parser.add_argument("build", type=Path, help="the build's client directory")
    build = parser.parse_args().build
    print("| Page | JS files | JS raw / brotli (KiB) | CSS raw / brotli (KiB) |\n|---|---|---|---|")
    for label, html in PAGES.items():
        files = dict.fromkeys(PRELOADED.findall((build / html).read_text()))
        totals = {kind: [sizes(build, f) for f in files if f.endswith(kind)]
                  for kind in (".js", ".css")}
        js, css = ([round(sum(pair[i] for pair in totals[kind]) / 1024) for i in (0, 1)]
                   for kind in (".js", ".css"))
        print(f"| {label} | {len(totals['.js'])} | {js[0]:,} / {js[1]:,} | "
              f"{css[0]:,} / {css[1]:,} |")


if __name__ == "__main__":
    main()
