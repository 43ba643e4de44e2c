"""Step 3 · Prepare: the 15-30 second introduction (four guided parts composed into one
pitch, timed live), a rehearsal timer that runs in the browser, and the questions to ask."""

import json
from typing import Any

import reflex as rx
from reflex.vars import NumberVar, ObjectVar, StringVar

from infoview_app import routes
from infoview_app.components.cards import empty_state, section
from infoview_app.components.forms import field_error, form_error, kept_text_area, text_field
from infoview_app.components.job_words import job_word_check
from infoview_app.services.core.wording import SUGGESTION_LABEL
from infoview_app.services.prepare.pitch_rules import (
    GOOD_SECONDS,
    GOOD_WORDS,
    PART_MAX,
    PITCH_MAX,
    WORDS_PER_MINUTE,
)
from infoview_app.services.prepare.questions import BANK_QUERY_MAX
from infoview_app.state.exploration import unsent_key
from infoview_app.state.prepare import PARTS
from infoview_app.state.prepare import PrepareState as State

LOW, HIGH = GOOD_SECONDS

# The rehearsal timer runs in the browser: one click starts it, the next stops it. It ticks
# every 100 ms into #rehearsal-time (aria-live off) and, when stopped, writes the result into
# #rehearsal-result (aria-live polite), judged against the pitch rule's GOOD_SECONDS. It
# stops by itself once the panel is gone.
REHEARSAL_SCRIPT = """(() => {
  const [low, high] = GOOD_SECONDS;
  const t = window.__ivRehearsal || (window.__ivRehearsal = {id: null, start: 0});
  const box = document.getElementById('rehearsal');
  const time = document.getElementById('rehearsal-time');
  const result = document.getElementById('rehearsal-result');
  if (!box || !time || !result) return;
  const elapsed = () => (performance.now() - t.start) / 1000;
  const show = (s) => s.toFixed(1) + ' s';
  if (t.id === null) {
    t.start = performance.now();
    result.textContent = '';
    box.dataset.running = 'true';
    t.id = setInterval(() => {
      const now = document.getElementById('rehearsal-time');
      const wrap = document.getElementById('rehearsal');
      if (!now || !wrap) { clearInterval(t.id); t.id = null; return; }
      wrap.dataset.running = 'true';
      now.textContent = show(elapsed());
    }, 100);
  } else {
    clearInterval(t.id);
    t.id = null;
    const s = elapsed();
    box.dataset.running = 'false';
    time.textContent = show(s);
    const verdict = s < low ? `a little short of ${low} seconds.`
      : s > high ? `over ${high} seconds: try to trim it.`
      : `within ${low}-${high} seconds. Well done!`;
    result.textContent = 'You spoke for ' + s.toFixed(1) + ' seconds: ' + verdict;
  }
})()""".replace("GOOD_SECONDS", json.dumps(GOOD_SECONDS))


# --- The introduction -------------------------------------------------------------------

def _part_field(name: str, label: str, example: str) -> rx.Component:
    field_id = f"field-{name}"
    return rx.box(
        rx.el.label(label, html_for=field_id, class_name="iv-label"),
        kept_text_area(State, unsent_key("exploration", State.exploration_id, "part", name),
                       id=field_id, default_value=State.parts[name].to(str), rows="2",
                       class_name="iv-grow",
                       placeholder=example, max_length=PART_MAX, width="100%",
                       on_change=getattr(State, f"save_{name}").debounce(700),
                       key=State.exploration_id.to_string(),
                       aria_describedby=f"{name}-error"),
        field_error(name, State.errors),
        class_name="iv-field",
    )


def _verdict_label() -> rx.Component | rx.Var:
    return rx.match(State.verdict, ("good", "Good length"), ("too long", "Too long"),
                    "Too short")


def _timing() -> rx.Component:
    good = State.verdict == "good"
    return rx.box(
        rx.hstack(
            rx.badge(rx.cond(good, rx.icon("circle-check", size=14, aria_hidden="true"),
                             rx.icon("circle-alert", size=14, aria_hidden="true")),
                     _verdict_label(), color_scheme=rx.cond(good, "green", "amber"),
                     size="2"),
            rx.text(State.words.to_string(), " words · about ",
                    State.seconds.to_string(), " s", size="2", weight="medium"),
            align="center", wrap="wrap", spacing="2",
        ),
        rx.text(State.timing_message, size="2", margin_top="0.3rem"),
        id="pitch-timing", role="status", aria_live="polite", aria_atomic="true",
        class_name=rx.cond(good, "iv-timing iv-timing-good", "iv-timing iv-timing-off"),
    )


def _pitch() -> rx.Component:
    return rx.vstack(
        rx.el.label("Your introduction", html_for="field-pitch", class_name="iv-label"),
        rx.text("Built from the parts above. Edit it into your own words; about "
                f"{WORDS_PER_MINUTE} words a minute, so {LOW}-{HIGH} seconds is roughly "
                f"{GOOD_WORDS[0]}-{GOOD_WORDS[1]} words.", id="pitch-hint",
                size="1", color_scheme="gray"),
        kept_text_area(State, unsent_key("exploration", State.exploration_id, "pitch"),
                       id="field-pitch", default_value=State.pitch, rows="2", width="100%",
                       class_name="iv-grow",
                       max_length=PITCH_MAX, key="pitch-" + State.pitch_version.to_string(),
                       on_change=State.save_pitch.debounce(700),
                       aria_describedby="pitch-error pitch-hint pitch-timing"),
        field_error("pitch", State.errors),
        rx.cond(State.pitch_edited, rx.hstack(
            rx.text("You edited this by hand, so changing the parts no longer changes it.",
                    size="1", color_scheme="gray"),
            rx.button("Rebuild from the parts", size="1", variant="soft",
                      on_click=State.recompose),
            align="center", wrap="wrap",
        )),
        field_error("parts", State.errors),
        _timing(),
        job_word_check(State.job_words, "Job-word check: introduction"),
        rx.text(State.pitch_status, size="1", color_scheme="gray", aria_live="polite"),
        width="100%", spacing="2",
    )


def _introduction() -> rx.Component:
    return section(
        f"Your {LOW}-{HIGH} second introduction",
        rx.vstack(*[_part_field(*part) for part in PARTS], _pitch(), width="100%",
                  spacing="3"),
    )


def _rehearsal() -> rx.Component:
    return section(
        "Rehearse out loud",
        rx.text("Start the timer, say your introduction out loud, then stop it. "
                f"{LOW}-{HIGH} s is the goal.", size="2"),
        rx.hstack(
            rx.button(
                rx.el.span(rx.icon("play", size=16, aria_hidden="true"), "Start rehearsal",
                           class_name="iv-when-stopped"),
                rx.el.span(rx.icon("square", size=16, aria_hidden="true"), "Stop rehearsal",
                           class_name="iv-when-running"),
                id="rehearsal-button", size="3", type="button",
                on_click=rx.call_script(REHEARSAL_SCRIPT),
            ),
            rx.text("0.0 s", id="rehearsal-time", aria_live="off", size="6", weight="bold",
                    class_name="iv-rehearsal-time"),
            id="rehearsal", align="center", spacing="4", margin_top="0.75rem",
        ),
        rx.text("", id="rehearsal-result", role="status", aria_live="polite", size="2",
                margin_top="0.5rem"),
    )


# --- The questions ----------------------------------------------------------------------

def _chosen_question(question: ObjectVar, index: NumberVar) -> rx.Component:
    text = question["text"].to(str)
    return rx.el.li(
        rx.hstack(
            rx.text((index + 1).to_string() + ".", weight="bold", size="2"),
            rx.vstack(
                rx.text(text, size="2"),
                rx.cond(question["suggested"], rx.badge(SUGGESTION_LABEL, color_scheme="teal")),
                rx.cond(question["retired"], rx.badge("Retired by the career office",
                                                      color_scheme="gray")),
                job_word_check(question["job_words"].to(list[dict[str, str]]),
                               "Job-word check: " + text, quiet=True),
                spacing="1", min_width="0", flex="1",
            ),
            align="start", width="100%",
        ),
        rx.hstack(
            rx.icon_button(rx.icon("arrow-up", size=16), size="2", variant="soft",
                           on_click=State.move(question["id"], "up"),
                           disabled=index == 0, aria_label="Move up: " + text),
            rx.icon_button(rx.icon("arrow-down", size=16), size="2", variant="soft",
                           on_click=State.move(question["id"], "down"),
                           disabled=index == State.chosen.length() - 1,
                           aria_label="Move down: " + text),
            rx.button("Remove", size="2", variant="soft", color_scheme="red",
                      on_click=State.remove(question["id"]), aria_label="Remove: " + text),
            justify="end", width="100%", margin_top="0.4rem",
        ),
        # Focus lands here after the question is added from a suggestion or the own form.
        id="chosen-question-" + question["id"].to_string(), tab_index=-1,
        class_name="iv-list-item",
    )


def _chosen() -> rx.Component:
    return rx.vstack(
        rx.text(State.chosen.length().to_string(), " chosen. Choose at least 3, and put the "
                "ones you care about most first.", size="2", color_scheme="gray"),
        rx.cond(
            State.chosen.length() > 0,
            rx.el.ol(rx.foreach(State.chosen, _chosen_question), class_name="iv-plain-list",
                     aria_label="Your questions"),
            empty_state("list-plus", "No questions yet. Add at least three from the "
                        "suggestions and the question bank below, or write your own."),
        ),
        form_error(State.errors),
        field_error("question_id", State.errors),
        width="100%", spacing="2",
    )


def _add_button(text: StringVar, on_click: Any, chosen: rx.Var | bool = False
                ) -> rx.Component:
    """"Add", then "Added". Marked aria-disabled, not disabled: a disabled button loses focus,
    which would fall to the page's body after each Add (choosing twice changes nothing)."""
    return rx.button(rx.cond(chosen, "Added", "Add"), size="2", variant="soft",
                     on_click=on_click, aria_disabled=rx.cond(chosen, "true", "false"),
                     class_name="iv-add-button",
                     aria_label=rx.cond(chosen, "Added: ", "Add: ").to(str) + text)


def _suggestions() -> rx.Component:
    step1 = routes.exploration_url(State.exploration_id, 1)
    return rx.cond(
        State.occupation_title != "",
        rx.vstack(
            rx.text("Drawn from the tasks of ", State.occupation_title, ".", size="2",
                    color_scheme="gray"),
            rx.cond(
                State.suggestions.length() > 0,
                rx.vstack(rx.foreach(State.suggestions, lambda text: rx.hstack(
                    rx.text(text, size="2", flex="1", min_width="0"),
                    _add_button(text, State.add_suggestion(text)),
                    align="center", class_name="iv-list-item")), width="100%", spacing="2"),
                rx.text("You have added every suggestion.", size="2"),
            ),
            field_error("suggestions", State.errors),
            width="100%", spacing="2",
        ),
        empty_state("compass", "Choose an occupation in step 1 to get questions drawn from "
                    "its typical tasks.",
                    rx.link("Go to step 1 · Research", href=step1, size="2")),
    )


def _own_question() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_field("Write your own question", "text", State.errors,
                       hint="Up to 500 characters. It joins your question bank."),
            rx.button("Add question", type="submit", size="2"),
            width="100%", spacing="2", align="start",
        ),
        on_submit=State.add_own,
        key="own-" + State.own_version.to_string(),
        aria_label="Add your own question",
    )


def _bank_question(question: ObjectVar) -> rx.Component:
    return rx.el.li(
        rx.text(question["text"], size="2", flex="1", min_width="0"),
        _add_button(question["text"].to(str), State.choose(question["id"]),
                    question["chosen"].to(bool)),
        class_name="iv-list-item iv-bank-question",
    )


def _bank_group(group: ObjectVar) -> rx.Component:
    """One category, collapsed until opened (a native disclosure: Enter or Space toggles
    it), open while a search narrows the bank."""
    found = group["questions"].to(list[dict])
    return rx.el.details(
        rx.el.summary(group["title"].to(str), rx.text(" (", found.length().to_string(), ")",
                                                      as_="span", color_scheme="gray"),
                      class_name="iv-bank-summary"),
        rx.el.ul(rx.foreach(found, _bank_question), class_name="iv-plain-list iv-bank-list"),
        open=State.bank_query != "",
        # Rebuilt when a search starts or ends, so the open state follows it.
        key=group["title"].to(str) + rx.cond(State.bank_query != "", "-found", "").to(str),
        class_name="iv-bank-group",
    )


def _bank() -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.el.label("Search the question bank", html_for="field-bank_query",
                        class_name="iv-label"),
            rx.input(id="field-bank_query", type="search", size="3", width="100%",
                     max_length=BANK_QUERY_MAX, placeholder="e.g. advice, salary, day",
                     on_change=State.search_bank.debounce(300),
                     aria_describedby="bank_query-error bank-matches"),
            field_error("bank_query", State.errors),
            class_name="iv-field", width="100%",
        ),
        rx.text(rx.cond(State.bank_query == "",
                        "Open a category to see its questions.",
                        State.bank_matches.to_string() + rx.cond(
                            State.bank_matches == 1, " question matches.",
                            " questions match.").to(str)),
                id="bank-matches", role="status", size="2", color_scheme="gray"),
        rx.foreach(State.bank_groups, _bank_group),
        width="100%", spacing="2",
    )


def prepare_panel() -> rx.Component:
    return rx.vstack(
        _introduction(),
        _rehearsal(),
        section("Your questions", _chosen()),
        section("Suggested for this occupation", _suggestions()),
        section("Add your own question", _own_question()),
        section("Question bank", _bank()),
        width="100%", spacing="4",
    )
