"""Step 3, Prepare: the 15-30 second introduction, composed from four guided parts into one
pitch the student may then edit by hand; and step 1's research notes, Markdown shown as safe
HTML.

Decisions:
- The pitch follows its parts until the student edits it: saving the parts recomposes the
  pitch only while it is empty or still equal to the composition of the parts it was built
  from. A hand-edited pitch is kept; ``recompose_pitch`` replaces it on request.
- Research notes are stored exactly as typed (Markdown cares about leading spaces) and
  rendered with markdown-it-py: raw HTML off (it shows as text), images off (no remote loads
  from notes), and links only to http, https and mailto addresses.
"""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, fields
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from sqlmodel import Session

from infoview_app.models import Exploration
from infoview_app.models._base import utcnow
from infoview_app.services import validation as check
from infoview_app.services.errors import InvalidInput
from infoview_app.services.explorations import owned_exploration
from infoview_app.services.job_words import find_job_seeking_words
from infoview_app.services.pitch import PITCH_MAX, PitchParts, compose_pitch, pitch_timing

RESEARCH_NOTES_MAX = 20_000
PART_NAMES = tuple(part.name for part in fields(PitchParts))


# --- Shared by the Prepare services -----------------------------------------------------

@contextmanager
def saving(session: Session, exploration: Exploration) -> Iterator[None]:
    """Run the block's changes to ``exploration`` and its children as one transaction,
    marking the exploration updated: commit once at the end; on any error, roll back."""
    try:
        yield
        exploration.updated_at = utcnow()
        session.add(exploration)
        session.commit()
    except Exception:
        session.rollback()
        raise


def job_word_hints(text: str) -> list[dict[str, str]]:
    """Wording that asks for a job rather than information, with what to write instead."""
    return [{"term": match.term, "suggestion": match.suggestion}
            for match in find_job_seeking_words(text)]


# --- The introduction -------------------------------------------------------------------

def _parts_of(exploration: Exploration) -> PitchParts:
    return PitchParts(**{name: getattr(exploration, f"pitch_{name}") for name in PART_NAMES})


def _pitch_view(exploration: Exploration) -> dict[str, Any]:
    parts = _parts_of(exploration)
    composed = compose_pitch(parts)
    timing = pitch_timing(exploration.pitch)
    return {
        **asdict(parts),
        "pitch": exploration.pitch,
        "composed": composed,
        "edited": bool(exploration.pitch) and exploration.pitch != composed,
        "timing": {"words": timing.words, "seconds": timing.seconds,
                   "verdict": timing.verdict.value, "message": timing.message},
        "job_words": job_word_hints(exploration.pitch),
    }


def get_pitch(session: Session, owner_id: int, exploration_id: Any) -> dict[str, Any]:
    """The introduction of one of the owner's explorations: the four parts (``who_i_am``,
    ``what_i_study``, ``why_this_field``, ``why_this_person``), ``pitch`` (the text the
    student will say), ``composed`` (the parts as running text), ``edited`` (the pitch was
    changed by hand), ``timing`` (words, seconds, verdict, message) and ``job_words``."""
    return _pitch_view(owned_exploration(session, owner_id, exploration_id))


def _clean_parts(exploration: Exploration, parts: Any) -> PitchParts:
    """The parts after applying ``parts``; a part left out keeps its saved text."""
    if not isinstance(parts, Mapping) or not set(parts) <= set(PART_NAMES):
        raise InvalidInput("The form could not be read. Reload the page and try again.",
                           "parts")
    saved = _parts_of(exploration)
    clean = PitchParts(**{name: parts.get(name, getattr(saved, name)) for name in PART_NAMES})
    return clean


def save_pitch_parts(session: Session, owner_id: int, exploration_id: Any,
                     parts: Mapping[str, Any]) -> dict[str, Any]:
    """Save some or all of the four parts (InvalidInput names every bad part at once). The
    pitch is recomposed unless the student has edited it by hand. Returns ``get_pitch``."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    clean = _clean_parts(exploration, parts)
    follows_parts = exploration.pitch in ("", compose_pitch(_parts_of(exploration)))
    with saving(session, exploration):
        for name, value in asdict(clean).items():
            setattr(exploration, f"pitch_{name}", value)
        if follows_parts:
            exploration.pitch = compose_pitch(clean)
    return _pitch_view(exploration)


def save_pitch(session: Session, owner_id: int, exploration_id: Any, text: Any
               ) -> dict[str, Any]:
    """Save the student's own wording of the pitch (trimmed, at most ``PITCH_MAX``
    characters; empty is allowed and lets the parts compose it again). Returns
    ``get_pitch``."""
    pitch = check.text(text, "pitch", max_length=PITCH_MAX, required=False,
                       label="Your introduction", none_is_empty=False)
    exploration = owned_exploration(session, owner_id, exploration_id)
    with saving(session, exploration):
        exploration.pitch = pitch
    return _pitch_view(exploration)


def recompose_pitch(session: Session, owner_id: int, exploration_id: Any) -> dict[str, Any]:
    """Replace a hand-edited pitch with the composition of the parts. Refused while every
    part is empty, which would only erase the student's words. Returns ``get_pitch``."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    composed = compose_pitch(_parts_of(exploration))
    if not composed:
        raise InvalidInput("Fill in at least one part first.", "parts")
    with saving(session, exploration):
        exploration.pitch = composed
    return _pitch_view(exploration)


# --- Research notes ---------------------------------------------------------------------

def clean_research_notes(value: Any) -> str:
    """Notes as typed (not trimmed), at most ``RESEARCH_NOTES_MAX`` characters."""
    if not isinstance(value, str):
        raise InvalidInput("Research notes must be text.", "research_notes")
    if len(value) > RESEARCH_NOTES_MAX:
        raise InvalidInput(f"Research notes must be at most {RESEARCH_NOTES_MAX:,} characters.",
                           "research_notes")
    return check.storable(value, "research_notes")


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
