"""Step 4 · Connect: what to say to a contact, the log of outreach attempts with their 3B7
reminders, and booking the interview (with its .ics file)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import reflex as rx

from infoview_app import db
from infoview_app.models import (
    FollowUpKind,
    InterviewMode,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
)
from infoview_app.services.connect import booking, outreach, scripts
from infoview_app.services.connect.calendar_files import (
    DEFAULT_DURATION_MINUTES,
    ICS_MEDIA_TYPE,
    uid_domain_for,
)
from infoview_app.services.core import time_zones
from infoview_app.services.core.errors import InvalidInput, NotFound, ServiceError
from infoview_app.services.core.time_zones import today_in
from infoview_app.services.core.wording import (
    CHANNEL_LABELS,
    MODE_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    date_label,
    date_time_label,
    plural,
)
from infoview_app.services.develop import contacts
from infoview_app.services.staff.institution import reader_zone
from infoview_app.state.base import STUDENT, FormState, guarded, refusal_messages, reset_form
from infoview_app.state.exploration import ExplorationState

DRAFT_PARTS = ("email_subject", "email_body", "linkedin")
ATTEMPT_FORM_ID = "attempt-form"


def _day_label(iso: str, today: str) -> str:
    """A stored ISO date as people read it, with the year unless it is the student's."""
    return date_label(date.fromisoformat(iso), today=date.fromisoformat(today) if today
                      else None)


def _reminder_label(task: outreach.Reminder, name: str, today: str) -> str:
    day = _day_label(task["due_on"], today)
    if task["kind"] == FollowUpKind.MOVE_ON.value:
        return f"Move on after {day}: if {name} has not replied by then, try another contact."
    return f"Nudge on {day}: follow up once with {name} if you have not heard back."


def _attempt_row(attempt: outreach.AttemptView, today: str) -> dict[str, Any]:
    return {**attempt,
            "channel_label": CHANNEL_LABELS[OutreachChannel(attempt["channel"])],
            "outcome_label": OUTCOME_LABELS[OutreachOutcome(attempt["outcome"])],
            "day_label": _day_label(attempt["attempted_on"], today)}


def _words(matches: Sequence[scripts.JobWord]) -> list[dict[str, str]]:
    return [{"term": m["term"], "suggestion": m["suggestion"]} for m in matches]


class ConnectState(FormState, ExplorationState):
    STEP: ClassVar[int] = 4
    contacts: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    contact_id: rx.Field[int] = rx.field(0)
    contact_name: rx.Field[str] = rx.field("")
    script_lines: rx.Field[list[str]] = rx.field(default_factory=list)
    script_words: rx.Field[list[dict[str, str]]] = rx.field(default_factory=list)
    email_subject: rx.Field[str] = rx.field("")
    email_body: rx.Field[str] = rx.field("")
    linkedin: rx.Field[str] = rx.field("")
    linkedin_count: rx.Field[int] = rx.field(0)
    draft_words: rx.Field[dict[str, list[dict[str, str]]]] = rx.field(
        default_factory=lambda: {part: [] for part in DRAFT_PARTS})
    attempts: rx.Field[list[dict[str, Any]]] = rx.field(default_factory=list)
    reminders: rx.Field[list[str]] = rx.field(default_factory=list)
    interview: rx.Field[dict[str, Any]] = rx.field(default_factory=dict)
    rescheduling: rx.Field[bool] = rx.field(False)
    # Bumped whenever the drafts are regenerated, so the editors show the new text.
    drafts_version: rx.Field[int] = rx.field(0)
    timezone: rx.Field[str] = rx.field("")
    today: rx.Field[str] = rx.field("")

    _interview_raw: dict[str, Any] = {}

    # --- reading -------------------------------------------------------------------------

    def _refresh_contacts(self, session: Any) -> int:
        exploration = self._exploration_in_url(session)
        last = outreach.last_attempt_by_contact(session, self._user_id, exploration.id)
        rows = []
        for contact in contacts.list_contacts(session, self._user_id, exploration.id):
            attempt = last.get(contact["id"])
            rows.append({
                "id": contact["id"], "name": contact["name"],
                "stage_label": STAGE_LABELS[PipelineStage(contact["stage"])],
                "last_attempt": (f"Last: {OUTCOME_LABELS[OutreachOutcome(attempt['outcome'])]}"
                                 f", {_day_label(attempt['attempted_on'], self.today)}"
                                 if attempt else "No attempt yet"),
            })
        self._assign(contacts=rows)
        return exploration.id

    def _show_interview(self) -> None:
        raw = self._interview_raw
        if not raw:
            self._assign(interview={})
            return
        zone = ZoneInfo(time_zones.known_zone_name(self.timezone) or "UTC")
        # Booking is in the student's zone (reader_zone), the one they type the time in.
        start = datetime.fromisoformat(raw["scheduled_at"]).astimezone(zone)
        self._assign(interview={
            "id": raw["id"],
            "when": date_time_label(start, zone),
            "zone": zone.key,
            "date": start.date().isoformat(),
            "time": f"{start:%H:%M}",
            "duration_minutes": raw["duration_minutes"],
            "duration_label": plural(raw["duration_minutes"], "minute"),
            "mode": raw["mode"],
            "mode_label": MODE_LABELS[InterviewMode(raw["mode"])],
            "location": raw["location"],
        })

    def _load_contact(self, session: Any, exploration_id: int, contact_id: int) -> None:
        """Show a newly chosen contact: fresh drafts, their attempts and their booking."""
        drafts = scripts.outreach_drafts(session, self._user_id, contact_id)
        words = drafts["job_words"]
        self._assign(
            contact_id=contact_id, contact_name=drafts["contact_name"],
            drafts_version=self.drafts_version + 1, script_lines=drafts["phone_script"],
            script_words=_words(words["phone_script"]),
            email_subject=drafts["email"]["subject"], email_body=drafts["email"]["body"],
            linkedin=drafts["linkedin_message"],
            linkedin_count=scripts.linkedin_length(drafts["linkedin_message"]),
            draft_words={"email_subject": _words(words["email_subject"]),
                         "email_body": _words(words["email_body"]),
                         "linkedin": _words(words["linkedin_message"])},
        )
        self._load_activity(session, exploration_id, contact_id)

    def _load_activity(self, session: Any, exploration_id: int, contact_id: int) -> None:
        """The contact's attempts and booking, leaving the drafts as the student edited them."""
        booked = [i for i in booking.upcoming_interviews(session, self._user_id, exploration_id)
                  if i["contact_id"] == contact_id]
        self._interview_raw = dict(booked[0]) if booked else {}
        self._assign(attempts=[_attempt_row(a, self.today) for a in
                               outreach.attempts_for(session, self._user_id, contact_id)],
                     rescheduling=False)
        self._show_interview()

    def _clear_contact(self) -> None:
        self._interview_raw = {}
        self._assign(contact_id=0, contact_name="", script_lines=[], script_words=[],
                     email_subject="", email_body="", linkedin="", linkedin_count=0,
                     draft_words={part: [] for part in DRAFT_PARTS}, attempts=[],
                     reminders=[], interview={}, rescheduling=False)

    def _in_exploration(self, contact_id: Any) -> int:
        """The id of a contact of the exploration on the page; NotFound otherwise."""
        if not isinstance(contact_id, int) or isinstance(contact_id, bool) or not any(
                row["id"] == contact_id for row in self.contacts):
            raise NotFound("That contact is not on this exploration's list.", "contact_id")
        return contact_id

    # --- handlers ------------------------------------------------------------------------

    @guarded(STUDENT)
    def load_step(self) -> None:
        with db.session() as session:
            zone = reader_zone(session, self._user_id)
            self._assign(timezone=zone.key, today=today_in(zone).isoformat())
            exploration_id = self._refresh_contacts(session)
            if any(row["id"] == self.contact_id for row in self.contacts):
                self._load_contact(session, exploration_id, self.contact_id)
            else:
                self._clear_contact()
        self._assign(errors={}, reminders=[])

    @guarded(STUDENT)
    def choose(self, contact_id: int) -> None:
        contact_id = self._in_exploration(contact_id)
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            self._load_contact(session, exploration.id, contact_id)
        self._assign(errors={}, reminders=[])

    def _refuse_draft(self, error: ServiceError) -> None:
        """How a draft's check is refused: beside that draft, leaving the other messages
        (each draft is checked on its own while it is typed)."""
        self._assign(errors={**self.errors, **refusal_messages(error)})

    @guarded(STUDENT, refused=_refuse_draft)
    def check_draft(self, part: str, text: str) -> None:
        """Re-check an edited draft for job-seeking words (called debounced while typing)."""
        if part not in DRAFT_PARTS:
            self._assign(errors={})  # not a draft on the page: refused like any request
            raise InvalidInput("Unknown draft.", "draft")
        field = f"draft_{part}"
        self._assign(errors={k: v for k, v in self.errors.items() if k != field})
        found = scripts.check_draft(text, field)
        self._assign(draft_words={**self.draft_words, part: _words(found)})
        if part == "linkedin":
            self._assign(linkedin=text, linkedin_count=scripts.linkedin_length(text))
        elif part == "email_subject":
            self._assign(email_subject=text)
        else:
            self._assign(email_body=text)

    @guarded(STUDENT)
    def log_attempt(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        form = form_data if isinstance(form_data, dict) else {}
        contact_id = self._in_exploration(self.contact_id)
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            saved = outreach.log_attempt(session, self._user_id, contact_id,
                                         form.get("channel"), form.get("outcome"),
                                         form.get("attempted_on"), form.get("note", ""))
            self._refresh_contacts(session)
            self._load_activity(session, exploration.id, contact_id)
        self._assign(reminders=[_reminder_label(task, self.contact_name, self.today)
                                for task in saved["reminders"]])
        self._refresh_steps()
        return [reset_form(ATTEMPT_FORM_ID), rx.toast.success("Attempt logged.")]

    def _booking_args(self, form: dict[str, Any]) -> dict[str, Any]:
        return {"date": form.get("date"), "time": form.get("time"),
                "duration_minutes": form.get("duration_minutes", DEFAULT_DURATION_MINUTES),
                "mode": form.get("mode"), "location": form.get("location", ""),
                "timezone": self.timezone}

    @guarded(STUDENT)
    def book(self, form_data: dict[str, Any]) -> Any:
        self.errors = {}
        form = form_data if isinstance(form_data, dict) else {}
        contact_id = self._in_exploration(self.contact_id)
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            if self.rescheduling and self._interview_raw:
                booking.reschedule_interview(session, self._user_id, self._interview_raw["id"],
                                             **self._booking_args(form))
                message = "Interview changed. Download the calendar file again."
            else:
                booking.book_interview(session, self._user_id, contact_id,
                                       **self._booking_args(form))
                message = "Interview booked."
            self._refresh_contacts(session)
            self._load_activity(session, exploration.id, contact_id)
        # Booking ended the outreach reminders (booking.py): stop showing them as set.
        self._assign(reminders=[])
        self._refresh_steps()
        return rx.toast.success(message)

    @guarded(STUDENT)
    def set_rescheduling(self, value: bool) -> None:
        self._assign(rescheduling=value is True and bool(self._interview_raw), errors={})

    @guarded(STUDENT)
    def cancel_interview(self) -> Any:
        if not self._interview_raw:
            raise InvalidInput("There is no booked interview to cancel.", "interview_id")
        contact_id = self._in_exploration(self.contact_id)
        with db.session() as session:
            exploration = self._exploration_in_url(session)
            booking.cancel_interview(session, self._user_id, self._interview_raw["id"])
            self._refresh_contacts(session)
            self._load_activity(session, exploration.id, contact_id)
        self._refresh_steps()
        return rx.toast.success("Interview cancelled.")

    @guarded(STUDENT)
    def download_ics(self) -> Any:
        if not self._interview_raw:
            raise InvalidInput("Book the interview first.", "interview_id")
        with db.session() as session:
            filename, data = booking.interview_ics_for(
                session, self._user_id, self._interview_raw["id"],
                uid_domain_for(self.router.headers.host))
        return rx.download(data=data, filename=filename, mime_type=ICS_MEDIA_TYPE)
