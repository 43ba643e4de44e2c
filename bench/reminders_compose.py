"""What composing a reminder digest costs, without database or SMTP server: 500 digests (two
follow-ups each, one in five with tomorrow's interview and its calendar file) built by
``reminders.digest_message`` and flattened as smtplib does, CPU time per digest, then a
cProfile of the same work (docs/benchmarks.md (l)). From the repository root:

    python bench/reminders_compose.py [--top 25]
"""

import argparse
import cProfile
import io
import pstats
import time as clock
from datetime import UTC, datetime, timedelta
from email.generator import BytesGenerator
from zoneinfo import ZoneInfo

from infoview_app.config import SmtpSettings
from infoview_app.models import FollowUpKind, InterviewMode
from infoview_app.services.core.mail import Letterhead
from infoview_app.services.follow_up import reminders

NOW = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)
COUNT = 500
ZONES = ("UTC", "America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin")
MAILING = reminders.Mailing(
    settings=SmtpSettings(host="127.0.0.1", port=25, security="none", user="", password="",
                          sender="careers@bench.example.edu"),
    letterhead=Letterhead("Northfield College", "Career Office", ("555-0100",)),
    base_url="https://infoview.bench.example",
    unsubscribe_url="https://infoview.bench.example/mail/unsubscribe",
    secret=b"bench-secret-" * 4, now=NOW)


def digests() -> list[reminders.Digest]:
    made = []
    for index in range(COUNT):
        zone = ZoneInfo(ZONES[index % len(ZONES)])
        today = NOW.astimezone(zone).date()
        student = reminders.Student(index + 1, f"s{index}@uni.example.edu", f"Student {index}",
                                    zone, today)
        digest = reminders.Digest(student, due=[
            reminders.DueItem(FollowUpKind.PROGRESS_UPDATE, today - timedelta(days=1),
                              "Omar Haddad"),
            reminders.DueItem(FollowUpKind.THANK_YOU_NOTE, today, "Lee Park")])
        if index % 5 == 0:
            digest.interviews.append(reminders.InterviewItem(
                index, NOW + timedelta(days=1), 30, InterviewMode.VIDEO,
                "https://meet.example/lee", "Lee Park", "Nursing"))
        made.append(digest)
    return made


def compose_and_flatten(batch: list[reminders.Digest]) -> None:
    for digest in batch:
        message = reminders.digest_message(digest, MAILING)
        BytesGenerator(io.BytesIO(), policy=message.policy.clone(linesep="\r\n")).flatten(
            message, linesep="\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--top", type=int, default=25, help="profile lines to print")
    args = parser.parse_args()
    batch = digests()
    started = clock.process_time()
    compose_and_flatten(batch)
    print(f"{(clock.process_time() - started) / COUNT * 1000:.2f} ms of CPU a digest")
    profile = cProfile.Profile()
    profile.runcall(compose_and_flatten, batch)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
