"""A student's interview, set up directly in the database for the tests of step 5, and a
poll for what the page saves asynchronously."""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page
from sqlmodel import select

from infoview_app import db
from infoview_app.models import (
    Contact,
    ExplorationQuestion,
    Interview,
    InterviewAnswer,
    PipelineStage,
    Question,
)
from infoview_app.models._base import utcnow
from infoview_app.services.journey import explorations

QUESTION_IDS = (1, 2, 3)


def eventually(check: Callable[[], Any], timeout: float = 10.0,
               page: Page | None = None) -> Any:
    """Poll the database until ``check`` returns a truthy value (saves are asynchronous).
    Pass the page when its socket is routed through Playwright: the relay only runs while
    Playwright waits, not during a plain sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "the expected change did not reach the database"
            return value
        if page is None:
            time.sleep(0.2)
        else:
            page.wait_for_timeout(200)


def booked_interview(user_id: int) -> dict[str, Any]:
    """An exploration with 3 chosen questions and an interview held an hour ago."""
    with db.session() as session:
        eid = explorations.start_exploration(session, user_id, "Physical therapy")
        contact = Contact(owner_id=user_id, exploration_id=eid, name="Dana Lee",
                          title="Physical Therapist", organization="Lakeside Rehab",
                          email="dana@old.example", stage=PipelineStage.SCHEDULED)
        session.add(contact)
        session.commit()
        interview = Interview(owner_id=user_id, contact_id=contact.id, exploration_id=eid,
                              scheduled_at=utcnow() - timedelta(hours=1))
        session.add(interview)
        for position, qid in enumerate(QUESTION_IDS):
            session.add(ExplorationQuestion(exploration_id=eid, question_id=qid,
                                            position=position))
        session.commit()
        texts = [session.get(Question, qid).text for qid in QUESTION_IDS]
        return {"exploration_id": eid, "contact_id": contact.id, "interview_id": interview.id,
                "questions": texts}


def stored_answer(interview_id: int, question_id: int) -> str:
    with db.session() as session:
        row = session.exec(select(InterviewAnswer).where(
            InterviewAnswer.interview_id == interview_id,
            InterviewAnswer.question_id == question_id)).first()
        return row.answer if row else ""
