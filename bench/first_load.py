"""(a) First-load bytes: every JS and CSS response a fresh headless Chromium receives while
loading one page, each body gzip-compressed (level 9) and summed."""

import gzip
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Response, sync_playwright

CHROMIUM = os.environ.get("INFOVIEW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
GZIP_LEVEL = 9
LOAD_TIMEOUT_MS = 60_000


@dataclass
class FirstLoad:
    url: str
    js_files: int = 0
    css_files: int = 0
    js_gzip: int = 0
    css_gzip: int = 0
    js_raw: int = 0
    css_raw: int = 0
    html_gzip: int = 0
    urls: list[str] = field(default_factory=list)
    # Where the browser ended up (a page that refuses the visitor redirects).
    final_url: str = ""

    @property
    def total_gzip(self) -> int:
        return self.js_gzip + self.css_gzip


def _kind(response: Response) -> str | None:
    """'js', 'css', 'html' or None, from the content type, else from the URL's extension."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    path = response.url.split("?")[0]
    if "javascript" in content_type or path.endswith((".js", ".mjs")):
        return "js"
    if content_type == "text/css" or path.endswith(".css"):
        return "css"
    if content_type == "text/html" and response.request.resource_type == "document":
        return "html"
    return None


def measure(urls: list[str], local_storage: dict[str, dict[str, str]] | None = None
            ) -> list[FirstLoad]:
    """Load each URL once in its own fresh browser context (empty cache; empty storage, or
    the LocalStorage items ``local_storage`` gives for that URL, e.g. a session token)."""
    storage = local_storage or {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = [_load(browser, url, storage.get(url, {})) for url in urls]
        finally:
            browser.close()
    return results


def _load(browser: Browser, url: str, local_storage: dict[str, str]) -> FirstLoad:
    parts = urlsplit(url)
    context = browser.new_context(storage_state={"cookies": [], "origins": [{
        "origin": f"{parts.scheme}://{parts.netloc}",
        "localStorage": [{"name": name, "value": value}
                         for name, value in local_storage.items()]}]})
    try:
        page = context.new_page()
        responses: list[Response] = []
        # Playwright wraps handlers by setting an attribute: a bound builtin won't do.
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle", timeout=LOAD_TIMEOUT_MS)
        load = _summarise(url, responses)
        load.final_url = page.url
        return load
    finally:
        context.close()


def _summarise(url: str, responses: list[Response]) -> FirstLoad:
    load = FirstLoad(url)
    for response in responses:
        kind = _kind(response)
        if kind is None or response.status != 200:
            continue
        body = response.body()
        packed = len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
        if kind == "html":
            load.html_gzip += packed
            continue
        load.urls.append(response.url)
        if kind == "js":
            load.js_files += 1
            load.js_raw += len(body)
            load.js_gzip += packed
        else:
            load.css_files += 1
            load.css_raw += len(body)
            load.css_gzip += packed
    return load
