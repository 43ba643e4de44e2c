"""axe-core (the copy axe-playwright-python bundles) on a page as a person sees it, with the
WCAG 2.0, 2.1 and 2.2 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Found on every page by the audit of issue 13 (WCAG 2.2 AA everywhere), which fixes them
# app-wide: white on the teal buttons is 3.07:1. Every other rule must pass.
APP_WIDE_FINDINGS = frozenset({"color-contrast"})


def violations(page: Page, within: str) -> list[str]:
    """Each WCAG A/AA violation in the part of the page that ``within`` selects (what a test
    is about; the shell around it is issue 13's), but the app-wide ones, as "rule: element"."""
    results = Axe().run(page, context=within,
                        options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                 "resultTypes": ["violations"]})
    return [f"{rule['id']}: {node['target']}" for rule in results.response["violations"]
            if rule["id"] not in APP_WIDE_FINDINGS for node in rule["nodes"]]
