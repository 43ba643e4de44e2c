"""Step 1, Research: the student's research notes, stored as typed and shown as safe
HTML: Markdown rendered with markdown-it-py, raw HTML off (it shows as text), images off
(no remote loads from notes), and links only to http, https and mailto addresses."""

import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from sqlmodel import Session

from infoview_app.services.core import validation as check
from infoview_app.services.core.transactions import saving
from infoview_app.services.journey.explorations import owned_exploration

RESEARCH_NOTES_MAX = 20_000

def clean_research_notes(value: Any) -> str:
    """Notes as typed (not trimmed), at most ``RESEARCH_NOTES_MAX`` characters."""
    return check.free_text(value, "research_notes", max_length=RESEARCH_NOTES_MAX,
                           label="Research notes")


def save_research_notes(session: Session, owner_id: int, exploration_id: Any,
                        text: Any) -> None:
    """Autosave the notes of one of the owner's explorations (no write if unchanged)."""
    notes = clean_research_notes(text)
    exploration = owned_exploration(session, owner_id, exploration_id)
    if exploration.research_notes != notes:
        with saving(session, exploration):
            exploration.research_notes = notes


def get_research_notes(session: Session, owner_id: int, exploration_id: Any
                       ) -> dict[str, str]:
    """The notes as typed (``text``) and rendered for display (``html``)."""
    notes = owned_exploration(session, owner_id, exploration_id).research_notes
    return {"text": notes, "html": research_notes_html(notes)}


_SAFE_LINK = re.compile(r"(?:https?|mailto):", re.IGNORECASE)


class _NotesMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Only web and mail links. ``url`` arrives normalised (percent-encoded), so a
        scheme hidden by spaces or control characters does not match."""
        return _SAFE_LINK.match(url) is not None


def _link_open(renderer: RendererHTML, tokens: list[Token], index: int,
               options: OptionsDict, env: EnvType) -> str:
    """Links leave the app in a new tab and pass no referrer or ranking to the site. A link
    with no allowed address (``[x]()`` has an empty one) is rendered without any."""
    link = tokens[index]
    if _SAFE_LINK.match(str(link.attrGet("href") or "")):
        link.attrSet("target", "_blank")
        link.attrSet("rel", "nofollow noopener noreferrer")
    else:
        link.attrs.pop("href", None)
    return renderer.renderToken(tokens, index, options, env)


_NOTES_MARKDOWN = _NotesMarkdown("js-default", {"html": False, "breaks": True,
                                                "linkify": False})
_NOTES_MARKDOWN.disable(["html_block", "html_inline", "image"])
_NOTES_MARKDOWN.add_render_rule("link_open", _link_open)


def research_notes_html(text: str) -> str:
    """Markdown rendered to HTML that is safe to insert into the page: any HTML in ``text``
    shows as text, links are http, https or mailto only, and images are not loaded."""
    if not isinstance(text, str) or not text:
        return ""
    return _NOTES_MARKDOWN.render(text)
