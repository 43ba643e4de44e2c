"""What a screen reader is given: Chromium's accessibility tree (the Chrome DevTools Protocol's
``Accessibility.getFullAXTree``), the tree VoiceOver, TalkBack and NVDA read through the
platform's accessibility API. Nodes the browser leaves out of it (``aria-hidden``, hidden,
purely presentational) are left out here too."""

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page


@dataclass(frozen=True)
class AxNode:
    """One node: its role, accessible name and description, its states and properties (live,
    level, focused, modal, invalid, disabled...), its text (its own and its descendants'
    text, as read in order) and the roles of its ancestors, nearest first."""
    role: str
    name: str
    description: str
    properties: dict[str, Any]
    text: str
    ancestors: tuple["AxNode", ...]

    def within(self, role: str) -> bool:
        return any(node.role == role for node in self.ancestors)

    def live(self) -> str | None:
        """How a change here is announced: the nearest live region's politeness (itself or
        an ancestor: role=alert and role=status are live regions by their role)."""
        for node in (self, *self.ancestors):
            if node.properties.get("live") in ("polite", "assertive"):
                return node.properties["live"]
        return None


def tree(page: Page) -> list[AxNode]:
    """The page's accessibility tree, in reading order, without ignored nodes."""
    session = page.context.new_cdp_session(page)
    try:
        raw = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    by_id = {node["nodeId"]: node for node in raw}
    parents = {child: node["nodeId"] for node in raw for child in node.get("childIds", [])}
    texts: dict[str, str] = {}

    def text_of(node_id: str) -> str:
        if node_id not in texts:
            node = by_id.get(node_id)
            if node is None:
                texts[node_id] = ""
            elif _value(node, "role") == "StaticText":  # hidden text is ignored: not read
                texts[node_id] = "" if node.get("ignored") else _value(node, "name")
            else:  # text nodes side by side run on ("Question ", "1", " of ", "3")
                joined, after_text = "", False
                for child in node.get("childIds", []):
                    part = text_of(child)
                    is_text = _value(by_id.get(child, {}), "role") == "StaticText"
                    if part:
                        joined += part if is_text and after_text else " " + part
                        after_text = is_text
                texts[node_id] = " ".join(joined.split())
        return texts[node_id]

    built: dict[str, AxNode] = {}

    def build(node_id: str) -> AxNode:
        if node_id not in built:
            node = by_id[node_id]
            parent = parents.get(node_id)
            above = build(parent) if parent is not None and parent in by_id else None
            up = (above, *above.ancestors) if above is not None else ()
            built[node_id] = AxNode(
                role=_value(node, "role"), name=_value(node, "name"),
                description=_value(node, "description"),
                properties={item["name"]: item["value"].get("value")
                            for item in node.get("properties", [])},
                text=text_of(node_id), ancestors=tuple(up))
        return built[node_id]

    return [build(node["nodeId"]) for node in raw if not node.get("ignored")]


def nodes(page: Page, role: str, name: str | None = None) -> list[AxNode]:
    """The nodes of ``role`` (named ``name`` exactly, when given)."""
    return [node for node in tree(page)
            if node.role == role and (name is None or node.name == name)]


def _value(node: dict[str, Any], key: str) -> str:
    return str((node.get(key) or {}).get("value") or "")
