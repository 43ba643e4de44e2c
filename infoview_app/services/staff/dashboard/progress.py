"""The progress of the students who chose to share it: the furthest step and their counts,
never a note or a contact."""

from typing import TypedDict

from sqlalchemy import case
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, func, select

from infoview_app.models import Contact, Exploration, Interview, InterviewStatus, User
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.sql_dialects import LIKE_ESCAPE, escape_like
from infoview_app.services.journey import step_progress
from infoview_app.services.staff.dashboard.filters import DashboardFilters
from infoview_app.services.staff.dashboard.scope import population

SEARCH_MAX = 120
LIST_LIMIT_MAX = 200


class StudentProgress(TypedDict):
    student_id: int
    name: str
    major: str
    graduation_year: int | None
    explorations: int
    furthest_step: int  # 0 for none
    contacts: int
    interviews: int


def opted_in_progress(session: Session, filters: DashboardFilters, search: str = "",
                      limit: int = 50) -> list[StudentProgress]:
    """Students who chose to share their progress (of the filters' major and year, all time),
    by name, with the furthest step any exploration reached and their counts; never a note
    or a contact. ``search`` matches part of the name, case-insensitively."""
    text = check.text(search, "search", max_length=SEARCH_MAX, required=False, label="Search")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 < limit <= LIST_LIMIT_MAX:
        raise InvalidInput(f"Ask for 1 to {LIST_LIMIT_MAX} students.", "limit")
    where = [col(User.share_progress).is_(True)]
    if text:
        where.append(func.lower(User.name).like(f"%{escape_like(text.lower())}%",
                                                escape=LIKE_ESCAPE))
    page = (select(User.id, User.name, User.major, User.graduation_year)
            .where(col(User.id).in_(population(filters, *where)))
            .order_by(func.lower(User.name), col(User.id)).limit(limit).cte("page"))
    facts, values = step_progress.progress_subquery(
        col(Exploration.owner_id).in_(select(page.c.id)))
    furthest = case(*((condition, number) for number, condition
                      in reversed(list(enumerate(step_progress.reached(values), start=1)))),
                    else_=0)
    progress = (select(facts.c.owner_id, func.count().label("explorations"),
                       func.max(furthest).label("furthest_step"))
                .group_by(facts.c.owner_id).subquery("progress"))
    contacts = (select(func.count()).select_from(Contact)
                .where(Contact.owner_id == page.c.id).scalar_subquery())
    interviews = (select(func.count()).select_from(Interview)
                  .where(Interview.owner_id == page.c.id,
                         Interview.status == InterviewStatus.COMPLETED).scalar_subquery())
    rows = session.connection().execute(
        select_columns(page.c.id, page.c.name, page.c.major, page.c.graduation_year,
               func.coalesce(progress.c.explorations, 0),
               func.coalesce(progress.c.furthest_step, 0), contacts, interviews)
        .join(progress, progress.c.owner_id == page.c.id, isouter=True)
        .order_by(func.lower(page.c.name), page.c.id)).all()
    return [{"student_id": row[0], "name": row[1], "major": row[2] or "",
             "graduation_year": row[3], "explorations": row[4], "furthest_step": row[5],
             "contacts": row[6], "interviews": row[7]} for row in rows]
