"""Staff: the office's question bank."""

from typing import Any

import reflex as rx

from infoview_app.services.staff import question_bank
from infoview_app.state.base import SessionState
from infoview_app.state.record_editor import RecordEditorState


class QuestionBankState(RecordEditorState, SessionState):
    categories: rx.Field[list[str]] = rx.field(default_factory=list)

    def _refresh(self, session: Any) -> None:
        self._assign(rows=question_bank.office_questions(session),
                     categories=question_bank.categories(session))

    def _blank_form(self) -> dict[str, str]:
        return {"text": "", "category": ""}

    def _form_values(self, session: Any, record_id: Any) -> dict[str, str]:
        return question_bank.question_form_values(session, record_id)

    def _save_record(self, session: Any, record_id: int, form: dict[str, Any]) -> str:
        if record_id:
            question_bank.update_question(session, record_id, form)
            return "Question saved."
        question = question_bank.add_question(session, form)
        return f"Question added to “{question.category}”. Students can choose it now."

    def _set_record_active(self, session: Any, record_id: Any, active: Any) -> str:
        question = question_bank.set_question_active(session, record_id, active)
        if question.is_active:
            return "Question restored: students can choose it again."
        return ("Question retired: no longer offered, still in the interviews that "
                "used it.")
