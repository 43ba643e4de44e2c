"""What the network page sends back, validated: the filters (an exploration, stages, sources)
and the ids of the nodes it draws; and the choices the filters offer."""

from dataclasses import dataclass
from typing import Any, TypedDict

from sqlmodel import Session, col, desc, select

from infoview_app.models import ContactSource, Exploration, PipelineStage
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.wording import SOURCE_LABELS, STAGE_LABELS

STUDENT = "student"  # the student's node id


@dataclass(frozen=True)
class GraphFilters:
    exploration_id: int | None = None  # None = all of the student's contacts
    stages: frozenset[str] = frozenset()  # empty = all
    sources: frozenset[str] = frozenset()  # empty = all


NO_FILTERS = GraphFilters()  # every contact of the student


class ExplorationOption(TypedDict):
    id: int
    title: str


class ChoiceOption(TypedDict):
    value: str
    label: str


class FilterOptions(TypedDict):
    explorations: list[ExplorationOption]
    stages: list[ChoiceOption]
    sources: list[ChoiceOption]


def node_id(contact_id: int) -> str:
    """A contact's node id ("c<id>"), or the student's for 0."""
    return f"c{contact_id}" if contact_id else STUDENT


def _choices(value: Any, enum: type[PipelineStage] | type[ContactSource],
             field: str) -> frozenset[str]:
    """A set of enum values from a list (or a comma-separated string) the browser sent."""
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple | set | frozenset) or len(value) > 2 * len(enum):
        raise InvalidInput("Choose from the listed options.", field)
    return frozenset(check.choice(item.strip() if isinstance(item, str) else item, enum,
                                  field).value for item in value)


def parse_filters(exploration_id: Any, stages: Any, sources: Any) -> GraphFilters:
    """The filters as the browser sent them, validated: an exploration id ("" or None for
    all), and lists of stage and source values (empty for all)."""
    return check.form(
        GraphFilters,
        exploration_id=lambda: (
            None if exploration_id is None or exploration_id in ("", "all")
            else check.record_id(exploration_id, "exploration_id")),
        stages=lambda: _choices(stages, PipelineStage, "stages"),
        sources=lambda: _choices(sources, ContactSource, "sources"),
    )


def expand_target(node_id: Any) -> int:
    """The parent a "+N more" node stands under, from its node id: 0 for "more-student",
    the contact id for "more-<id>". What ``network(expanded=...)`` takes."""
    if isinstance(node_id, str) and node_id.startswith("more-"):
        rest = node_id.removeprefix("more-")
        if rest == STUDENT:
            return 0
        try:
            return check.record_id(rest, "node")
        except InvalidInput:
            pass
    raise InvalidInput("Unknown node.", "node")




def filter_options(session: Session, owner_id: int) -> FilterOptions:
    """What the filters offer: the student's explorations (newest first), the stages in
    pipeline order and the sources."""
    rows = session.exec(select(col(Exploration.id), col(Exploration.field_name))
                        .where(Exploration.owner_id == owner_id)
                        .order_by(desc(Exploration.created_at), desc(Exploration.id))).all()
    return {
        "explorations": [{"id": id_, "title": title} for id_, title in rows if id_ is not None],
        "stages": [{"value": s.value, "label": STAGE_LABELS[s]} for s in PipelineStage],
        "sources": [{"value": s.value, "label": SOURCE_LABELS[s]} for s in ContactSource],
    }
