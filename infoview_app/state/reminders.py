"""A student's choice of reminder emails (daily, weekly, off), on the account page."""

import reflex as rx

from infoview_app import db
from infoview_app.models import ReminderFrequency
from infoview_app.services.accounts import reminder_preferences
from infoview_app.services.core.wording import REMINDER_FREQUENCY_LABELS
from infoview_app.state.base import SIGNED_IN, STUDENT, SessionState, acting, guarded


class ReminderState(SessionState):
    # The stored choice ("daily", "weekly", "off"); empty for staff, who get no digests.
    frequency: rx.Field[str] = rx.field("")

    @guarded(SIGNED_IN)
    def load(self) -> None:
        with db.session() as session:
            chosen = reminder_preferences.frequency(session, self._user_id)
        self.frequency = chosen.value if chosen is not None else ""

    @guarded(STUDENT)
    def set_frequency(self, value: str) -> rx.event.EventSpec:
        with db.session() as session:
            chosen = reminder_preferences.set_frequency(session, self._user_id, value,
                                                        by=acting(self))
        self.frequency = chosen.value
        return rx.toast.success(f"Reminder emails: {REMINDER_FREQUENCY_LABELS[chosen]}.")


# The radio group's options, in this order, with their labels.
FREQUENCY_OPTIONS = [(f.value, REMINDER_FREQUENCY_LABELS[f]) for f in ReminderFrequency]
