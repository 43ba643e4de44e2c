"""Step 5 · Interview: interview mode. The prepared questions one at a time with a note each,
free notes and the professional-presence checklist (saved as the student types or ticks),
the business card, the two more names, and finishing the interview."""

from typing import Any, ClassVar

import reflex as rx

from infoview_app import db
from infoview_app.models import InterviewStatus
from infoview_app.services.core.errors import InvalidInput, NotFound, ServiceError
from infoview_app.services.core.wording import INTERVIEW_STATUS_LABELS
from infoview_app.services.interview import interview_choice, interview_mode
from infoview_app.services.staff.institution import today_for
from infoview_app.state.base import STUDENT, FormState, guarded, refusal_messages, reset_form
from infoview_app.state.exploration import ExplorationState, unsent_key

CARD_FIELDS = interview_mode.CARD_FIELDS
REFERRAL_FORM_ID = "referral-form"
# The referral form's inputs are named referral_<field>, so their errors never show on the
# business card's fields of the same name.
REFERRAL_FIELDS = ("name", "title", "organization", "email", "phone")
REFERRAL_PREFIX = "referral_"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _referral_field(name: str) -> str:
    return REFERRAL_PREFIX + name if name in REFERRAL_FIELDS else name


class InterviewState(FormState, ExplorationState):
    STEP: ClassVar[int] = 5
    interviews: rx.Field[list[interview_choice.InterviewChoice]] = rx.field(
        default_factory=list)
    interview_id: rx.Field[int] = rx.field(0)
    interview_status: rx.Field[str] = rx.field("")
    interview_status_label: rx.Field[str] = rx.field("")
    contact: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    questions: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    index: rx.Field[int] = rx.field(0)
    notes: rx.Field[str] = rx.field("")
    checklist: rx.Field[dict[str, bool]] = rx.field(default_factory=dict)
    card: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    card_captured: rx.Field[bool] = rx.field(False)
    card_open: rx.Field[bool] = rx.field(False)
    referrals: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    will_report_back: rx.Field[bool] = rx.field(True)
    save_status: rx.Field[str] = rx.field("")
    finished_tasks: rx.Field[int] = rx.field(-1)

    def _show(self, session: Any, interview_id: int) -> None:
        """Load one interview of the page's exploration into the vars."""
        exploration = self._exploration_in_url(session)
        if interview_id not in {i["id"] for i in self.interviews}:
            raise NotFound("That interview is not in this exploration.", "interview")
        sheet = interview_mode.interview_sheet(session, self._user_id, interview_id)
        if sheet["exploration"]["id"] != exploration.id:
            raise NotFound("That interview is not in this exploration.", "interview")
        contact = sheet["contact"]
        card = sheet["card"]
        self._assign(
            interview_id=interview_id,
            interview_status=str(sheet["interview"]["status"]),
            interview_status_label=INTERVIEW_STATUS_LABELS[
                InterviewStatus(sheet["interview"]["status"])],
            contact={"name": contact["name"], "title": contact["title"],
                     "organization": contact["organization"]},
            questions=[{"question_id": q["question_id"], "question": q["question"],
                        "answer": q["answer"]} for q in sheet["questions"]],
            notes=sheet["notes"],
            checklist={k: bool(v) for k, v in sheet["checklist"].items()},
            card={name: _text(card.get(name)) for name in CARD_FIELDS},
            card_captured=bool(card.get("captured")),
            referrals=sheet["referrals"],
            will_report_back=(bool(sheet["interview"]["will_report_back"])
                              if sheet["interview"]["status"] == "completed" else True),
        )
        if self.index >= len(self.questions):
            self.index = max(len(self.questions) - 1, 0)

    @guarded(STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            interviews = interview_choice.exploration_interviews(session, self._user_id,
                                                                  exploration.id)
            self._assign(interviews=interviews, index=0, save_status="", errors={},
                         card_open=False, finished_tasks=-1)
            chosen = interview_choice.default_interview(interviews)
            if chosen:
                self._show(session, chosen)
            else:
                self._assign(interview_id=0, questions=[], referrals=[])
        self._texts_loaded()

    @guarded(STUDENT)
    def choose_interview(self, interview_id: str) -> None:
        with db.session() as session:
            try:
                chosen = int(interview_id)
            except (TypeError, ValueError):
                raise InvalidInput("Choose one of your interviews.", "interview") from None
            self._assign(index=0, save_status="", errors={}, finished_tasks=-1)
            self._show(session, chosen)

    @guarded(STUDENT)
    def go_to(self, index: int) -> None:
        if isinstance(index, int) and not isinstance(index, bool) and (
                0 <= index < len(self.questions)):
            self._assign(index=index, save_status="")

    # The notes handlers name the interview the text was typed in: a debounced save can arrive
    # after the student switched to another interview (the service checks it is theirs).
    @guarded(STUDENT)
    def save_answer(self, interview_id: int, question_id: int, text: str) -> None:
        key = unsent_key("interview", interview_id, "answer", question_id)
        shown = interview_id == self.interview_id
        if shown and any(q["question_id"] == question_id and q["answer"] == text
                         for q in self.questions):
            # Unchanged (a blur after the debounced save, or the browser resending what it
            # kept): nothing to write, but the browser may forget its copy.
            self._acknowledge(key, text)
            return
        self.save_status = ""  # a refused text must not sit under an earlier "Saved."
        with db.session() as session:
            interview_mode.save_answer(session, self._user_id, interview_id, question_id, text)
        if shown:
            self.questions = [q | {"answer": text} if q["question_id"] == question_id else q
                              for q in self.questions]
        self._acknowledge(key, text)
        self._assign(save_status="Saved.", errors={})
        self._refresh_steps()

    @guarded(STUDENT)
    def save_notes(self, interview_id: int, text: str) -> None:
        key = unsent_key("interview", interview_id, "notes")
        shown = interview_id == self.interview_id
        if shown and text == self.notes and isinstance(text, str):
            self._acknowledge(key, text)
            return
        self.save_status = ""
        with db.session() as session:
            interview_mode.save_free_notes(session, self._user_id, interview_id, text)
        if shown:
            self.notes = text
        self._acknowledge(key, text)
        self._assign(save_status="Saved.", errors={})
        self._refresh_steps()

    @guarded(STUDENT)
    def set_check(self, item: str, ticked: bool) -> None:
        with db.session() as session:
            checklist = interview_mode.set_checklist(session, self._user_id,
                                                     self.interview_id, item, ticked)
        self._assign(checklist=checklist, errors={})

    @guarded(STUDENT)
    def set_card_open(self, is_open: bool) -> None:
        self._assign(card_open=is_open is True, errors={})

    @guarded(STUDENT)
    def save_card(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        form = form_data if isinstance(form_data, dict) else None
        with db.session() as session:
            saved = interview_mode.save_business_card(session, self._user_id,
                                                      self.interview_id, form)
        contact = saved["contact"]
        self._assign(card={name: _text(contact.get(name)) for name in CARD_FIELDS},
                     card_captured=True, card_open=False,
                     contact={"name": contact["name"], "title": contact["title"],
                              "organization": contact["organization"]})
        self._refresh_steps()
        if saved["duplicate_warning"]:
            return rx.toast.warning(f"Card saved. {saved['duplicate_warning']}")
        return rx.toast.success("Business card saved.")

    def _refuse_referral(self, error: ServiceError) -> None:
        """How adding a referral is refused: beside the referral form's own inputs."""
        self.errors = {_referral_field(k): v for k, v in refusal_messages(error).items()}

    @guarded(STUDENT, refused=_refuse_referral)
    def add_referral(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        data = form_data if isinstance(form_data, dict) else {}
        form = {name: data.get(REFERRAL_PREFIX + name, "") for name in REFERRAL_FIELDS}
        with db.session() as session:
            added = interview_mode.add_referral(session, self._user_id, self.interview_id,
                                                form, data.get("may_use_name"))
        contact = added["contact"]
        self.referrals = [*self.referrals, {
            "id": contact["id"], "name": contact["name"],
            "may_use_referrer_name": contact["may_use_referrer_name"]}]
        self._refresh_steps()
        message = f"Added {contact['name']} to your contacts."
        if added["duplicate_warning"]:
            return [reset_form(REFERRAL_FORM_ID),
                    rx.toast.warning(f"{message} {added['duplicate_warning']}")]
        return [reset_form(REFERRAL_FORM_ID), rx.toast.success(message)]

    @guarded(STUDENT)
    def set_will_report_back(self, value: bool) -> None:
        self._assign(will_report_back=value is True)

    @guarded(STUDENT)
    def finish(self) -> Any:
        with db.session() as session:
            tasks = interview_mode.complete_interview(
                session, self._user_id, self.interview_id,
                will_report_back=self.will_report_back,
                today=today_for(session, self._user_id))
            self.interviews = interview_choice.exploration_interviews(
                session, self._user_id, self._exploration_in_url(session).id)
        self._assign(interview_status=InterviewStatus.COMPLETED.value,
                     interview_status_label=INTERVIEW_STATUS_LABELS[InterviewStatus.COMPLETED],
                     finished_tasks=len(tasks), errors={})
        self._refresh_steps()
        return rx.toast.success("Interview recorded. Your follow-ups are in step 6.")
