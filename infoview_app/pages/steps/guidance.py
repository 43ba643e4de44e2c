"""The career office's advice for each step, shown above the step's tools."""

import reflex as rx

from infoview_app.services.connect.calendar_files import DURATION_RANGE
from infoview_app.services.follow_up.due_dates import (
    MOVE_ON_AFTER_BUSINESS_DAYS,
    NUDGE_AFTER_BUSINESS_DAYS,
    PROGRESS_UPDATE_EVERY,
    PROGRESS_UPDATE_LATEST,
    THANK_YOU_HOURS,
)
from infoview_app.services.prepare.pitch_rules import GOOD_SECONDS

_PITCH = "-".join(map(str, GOOD_SECONDS))
_MEETING = "-".join(map(str, DURATION_RANGE))
_UPDATES = f"{PROGRESS_UPDATE_EVERY.days // 7}-{PROGRESS_UPDATE_LATEST.days // 7}"

GUIDANCE: dict[int, tuple[str, list[str]]] = {
    1: ("Learn what the work is before you talk to anyone.",
        ["Choose the occupation that matches your interest and read its typical tasks.",
         "Read its O*NET and Occupational Outlook Handbook pages and your school's "
         "major-to-career page.",
         "Write down what you learned and what you still want to know."]),
    2: ("List everyone you already know in the field: you know more people than you think.",
        ["Faculty, family, friends, LinkedIn connections and alumni, and the career office's "
         "community partners.",
         "Note how you know each person: it is how you will introduce yourself."]),
    3: (f"Prepare a {_PITCH} second introduction and the questions you will ask.",
        ["Say who you are, what you study, why this field and why this person.",
         "Pick questions that get at what the work is really like."]),
    4: ("Reach out: call, say how you got their name, and ask for information, not a job.",
        [f"Ask whether it is a good time, and ask for {_MEETING} minutes.",
         f"No answer? Follow up after {NUDGE_AFTER_BUSINESS_DAYS} business days; after "
         f"{MOVE_ON_AFTER_BUSINESS_DAYS}, move on to another contact."]),
    5: ("Hold the conversation: listen, take notes, and ask for two more names.",
        ["Arrive early, ask for a business card, and thank them.",
         "Ask for the names of two more people and whether you may use this person's name."]),
    6: ("Follow up: it turns a conversation into a relationship.",
        [f"Mail a hand-written thank-you note within {THANK_YOU_HOURS} hours and connect on "
         "LinkedIn.",
         f"Send progress updates every {_UPDATES} weeks, and reconnect when you start your "
         "job search."]),
}


def guidance(step: int) -> rx.Component:
    summary, points = GUIDANCE[step]
    return rx.box(
        rx.text(summary, weight="medium", size="3"),
        rx.el.ul(*[rx.el.li(rx.text(point, size="2")) for point in points],
                 class_name="iv-guidance-list"),
        class_name="iv-guidance",
    )
