"""axe-core (the copy axe-playwright-python bundles) on a page as a person sees it, with the
WCAG 2.0, 2.1 and 2.2 A and AA rules, colour contrast included."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe marks this WCAG 2.1 A rule (2.5.3 Label in Name: a control's name contains its visible
# text) experimental, so the tags alone leave it out.
EXPERIMENTAL_WCAG = {"label-content-name-mismatch": {"enabled": True}}


def violations(page: Page, within: str | None = None) -> list[str]:
    """Each WCAG A/AA violation in the part of the page that ``within`` selects (the whole
    page if None), as "rule: element: why" (e.g. the colours and their contrast ratio)."""
    results = Axe().run(page, context=within,
                        options={"runOnly": {"type": "tag", "values": WCAG_AA},
                                 "rules": EXPERIMENTAL_WCAG,
                                 "resultTypes": ["violations"]})
    return [f"{rule['id']}: {node['target']}: {_why(node)}"
            for rule in results.response["violations"] for node in rule["nodes"]]


def _why(node: dict) -> str:
    return "; ".join(check["message"] for kind in ("any", "all", "none")
                     for check in node.get(kind, []))
