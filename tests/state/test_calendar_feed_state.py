"""The Account page's calendar feed card: only a student makes a link, the URL is the live
feed's and stays in the tab only while it works, and sign-out forgets it."""

from typing import Any

from infoview_app import db, routes
from infoview_app.models import Role
from infoview_app.models._base import utcnow
from infoview_app.services.connect import calendar_feed
from infoview_app.state.auth import LogoutState
from infoview_app.state.base import SessionState
from infoview_app.state.calendar_feed import CalendarFeedState
from tests.state.conftest import call, open_page, redirect_path


def _on_account_page(substate: Any, signed_in: Any, role: Role) -> tuple[int, Any]:
    """A user of ``role`` signed in on the Account page: (their id, the feed card's state)."""
    user_id, token = signed_in(role)
    open_page(substate(SessionState), token, routes.ACCOUNT)
    return user_id, substate(CalendarFeedState)


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


async def test_a_student_makes_replaces_and_turns_off_the_link(substate: Any,
                                                                signed_in: Any) -> None:
    user_id, feed = _on_account_page(substate, signed_in, Role.STUDENT)
    call(feed, "load")
    assert (feed.loaded, feed.feed_on, feed.url) == (True, False, "")

    call(feed, "new_link")
    first = feed.url
    assert feed.feed_on and first.endswith(".ics") and "/calendar/" in first
    assert feed.webcal == "webcal://" + first.split("://", 1)[1]
    with db.session() as session:
        assert calendar_feed.owner_of(session, _token(first)) == user_id
    call(feed, "load")  # back on the page in the same tab: the link is still shown
    assert feed.url == first

    call(feed, "new_link")
    assert feed.url != first
    with db.session() as session:
        assert calendar_feed.owner_of(session, _token(first)) is None
        assert calendar_feed.owner_of(session, _token(feed.url)) == user_id
        # Replaced from elsewhere (another tab): this tab stops showing a dead link.
        calendar_feed.new_link(session, user_id, utcnow())
    call(feed, "load")
    assert feed.feed_on and feed.url == "" and feed.made_on

    call(feed, "turn_off")
    assert (feed.feed_on, feed.url) == (False, "")
    with db.session() as session:
        assert calendar_feed.status(session, user_id).on is False


async def test_staff_cannot_make_a_feed(substate: Any, signed_in: Any) -> None:
    user_id, feed = _on_account_page(substate, signed_in, Role.STAFF)
    call(feed, "new_link")
    assert feed.url == ""
    with db.session() as session:
        assert calendar_feed.status(session, user_id).on is False


async def test_sign_out_forgets_the_link(substate: Any, signed_in: Any) -> None:
    _, feed = _on_account_page(substate, signed_in, Role.STUDENT)
    call(feed, "new_link")
    assert feed.url and feed._feed_token
    events = await call(substate(LogoutState), "logout")
    assert redirect_path(events) == routes.LOGIN
    assert (feed.url, feed._feed_token, feed.feed_on) == ("", "", False)
