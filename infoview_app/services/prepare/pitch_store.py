"""Step 3, Prepare: the 15-30 second introduction, composed from four guided parts into one
pitch the student may then edit by hand.

The pitch follows its parts until the student edits it: saving the parts recomposes the
pitch only while it is empty or still equal to the composition of the parts it was built
from. A hand-edited pitch is kept; ``recompose_pitch`` replaces it on request.
"""

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any, TypedDict

from sqlmodel import Session

from infoview_app.models import Exploration
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.transactions import saving
from infoview_app.services.journey.explorations import owned_exploration
from infoview_app.services.prepare.job_words import find_job_seeking_words
from infoview_app.services.prepare.pitch_rules import (
    PITCH_MAX,
    PitchParts,
    compose_pitch,
    pitch_timing,
)

PART_NAMES = tuple(part.name for part in fields(PitchParts))


class JobWordHint(TypedDict):
    term: str
    suggestion: str


class TimingView(TypedDict):
    words: int
    seconds: float
    verdict: str
    message: str


class PitchView(TypedDict):
    """The introduction as the page shows it: the four parts, the pitch, the parts as
    running text, whether the pitch was edited by hand, its timing and its job words."""
    who_i_am: str
    what_i_study: str
    why_this_field: str
    why_this_person: str
    pitch: str
    composed: str
    edited: bool
    timing: TimingView
    job_words: list[JobWordHint]


def job_word_hints(text: str) -> list[JobWordHint]:
    """Wording that asks for a job rather than information, with what to write instead."""
    return [JobWordHint(term=match.term, suggestion=match.suggestion)
            for match in find_job_seeking_words(text)]


def _parts_of(exploration: Exploration) -> PitchParts:
    return PitchParts(**{name: getattr(exploration, f"pitch_{name}") for name in PART_NAMES})


def _pitch_view(exploration: Exploration) -> PitchView:
    parts = _parts_of(exploration)
    composed = compose_pitch(parts)
    timing = pitch_timing(exploration.pitch)
    return PitchView(
        who_i_am=parts.who_i_am,
        what_i_study=parts.what_i_study,
        why_this_field=parts.why_this_field,
        why_this_person=parts.why_this_person,
        pitch=exploration.pitch,
        composed=composed,
        edited=bool(exploration.pitch) and exploration.pitch != composed,
        timing=TimingView(words=timing.words, seconds=timing.seconds,
                          verdict=timing.verdict.value, message=timing.message),
        job_words=job_word_hints(exploration.pitch),
    )


def get_pitch(session: Session, owner_id: int, exploration_id: Any) -> PitchView:
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
                     parts: Mapping[str, Any]) -> PitchView:
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
               ) -> PitchView:
    """Save the student's own wording of the pitch (trimmed, at most ``PITCH_MAX``
    characters; empty is allowed and lets the parts compose it again). Returns
    ``get_pitch``."""
    pitch = check.text(text, "pitch", max_length=PITCH_MAX, required=False,
                       label="Your introduction", none_is_empty=False)
    exploration = owned_exploration(session, owner_id, exploration_id)
    with saving(session, exploration):
        exploration.pitch = pitch
    return _pitch_view(exploration)


def recompose_pitch(session: Session, owner_id: int, exploration_id: Any) -> PitchView:
    """Replace a hand-edited pitch with the composition of the parts. Refused while every
    part is empty, which would only erase the student's words. Returns ``get_pitch``."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    composed = compose_pitch(_parts_of(exploration))
    if not composed:
        raise InvalidInput("Fill in at least one part first.", "parts")
    with saving(session, exploration):
        exploration.pitch = composed
    return _pitch_view(exploration)


