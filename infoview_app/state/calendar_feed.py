"""The Account page's "Calendar feed" card: a student's private feed URL, made, replaced and
turned off (services/connect/calendar_feed.py).

Only the token's hash is stored, so the URL can be shown only by the tab that made it: it
lives in this state while the link still works, and goes with the rest of the tab's states at
sign-out (state/tab_privacy.py forgets every SessionState)."""

from typing import Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.api import feed_url
from infoview_app.models._base import utcnow
from infoview_app.services.connect import calendar_feed
from infoview_app.state.base import STUDENT, SessionState, guarded


class CalendarFeedState(SessionState):
    feed_on: rx.Field[bool] = rx.field(False)
    made_on: rx.Field[str] = rx.field("")
    url: rx.Field[str] = rx.field("")
    loaded: rx.Field[bool] = rx.field(False)
    _feed_token: str = ""

    @rx.var
    def webcal(self) -> str:
        return routes.webcal_url(self.url) if self.url else ""

    def _show(self, session: Any) -> None:
        status = calendar_feed.status(session, self._user_id)
        self.feed_on, self.made_on = status.on, status.made_on
        if self._feed_token and calendar_feed.owner_of(session, self._feed_token) != self._user_id:
            self._feed_token = ""  # replaced or turned off elsewhere: that URL is dead
        self.url = feed_url(self._feed_token) if self._feed_token else ""
        self.loaded = True

    @guarded(STUDENT)
    def load(self) -> None:
        with db.session() as session:
            self._show(session)

    @guarded(STUDENT)
    def new_link(self) -> Any:
        replaced = self.feed_on
        with db.session() as session:
            self._feed_token = calendar_feed.new_link(session, self._user_id, utcnow())
            self._show(session)
        return rx.toast.success("New link made. The old link no longer works."
                                if replaced else "Your calendar feed is on.")

    @guarded(STUDENT)
    def turn_off(self) -> Any:
        with db.session() as session:
            calendar_feed.turn_off(session, self._user_id)
            self._feed_token = ""
            self._show(session)
        return rx.toast.success("Calendar feed turned off. Its link no longer works.")
