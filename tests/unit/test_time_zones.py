"""The one "today" of a zone."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from infoview_app.services.connect.outreach import latest_today
from infoview_app.services.core.time_zones import today_in

# 02:30 UTC on 10 March: still the 9th in Chicago, already the 10th in UTC and Kiribati.
NOW = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


def test_today_is_the_date_in_the_zone_asked_for() -> None:
    assert today_in(now=NOW) == date(2026, 3, 10)
    assert today_in(ZoneInfo("America/Chicago"), NOW) == date(2026, 3, 9)
    assert today_in(timezone(timedelta(hours=-1)), NOW) == date(2026, 3, 10)
    assert today_in(timezone(timedelta(hours=-3)), NOW) == date(2026, 3, 9)


def test_without_an_instant_it_is_now() -> None:
    assert today_in(UTC) in {datetime.now(UTC).date(),
                             (datetime.now(UTC) - timedelta(seconds=1)).date()}


def test_the_latest_today_is_kiribati_s() -> None:
    assert latest_today(datetime(2026, 3, 10, 9, 59, tzinfo=UTC)) == date(2026, 3, 10)
    assert latest_today(datetime(2026, 3, 10, 10, 0, tzinfo=UTC)) == date(2026, 3, 11)
