"""Staff: the office's question bank."""

import reflex as rx
from reflex.vars import ObjectVar

from infoview_app.components.forms import text_area_field, text_field
from infoview_app.components.programme import record_dialog, record_item, record_list_page
from infoview_app.services.prepare.questions import CATEGORY_MAX, QUESTION_MAX
from infoview_app.state.question_bank import QuestionBankState as State

CATEGORY_LIST_ID = "question-categories"
RETIRE_CONSEQUENCE = ("Students will no longer be offered it. Explorations and interviews "
                      "that chose it keep it, with the students' notes. You can restore it "
                      "later.")


def _question(question: ObjectVar) -> rx.Component:
    label = "question “" + question["text"].to(str) + "”"
    return record_item(
        State, question, label, RETIRE_CONSEQUENCE,
        rx.hstack(
            rx.badge(question["category"], variant="surface"),
            rx.cond(question["sample"].to(bool), rx.badge("Sample", color_scheme="gray")),
            rx.cond(~question["active"].to(bool), rx.badge("Retired", color_scheme="gray")),
            align="center", wrap="wrap",
        ),
        rx.text(question["text"], margin_top="0.35rem"),
        rx.text("Chosen in ", question["chosen"].to(str), " explorations", size="1",
                color_scheme="gray"),
    )


def _question_form() -> rx.Component:
    errors, values = State.errors, State.form_values
    return record_dialog(
        State, add_title="Add a question", edit_title="Edit question",
        submit_label="Save question",
        fields=[
            text_area_field(
                "Question", "text", errors, default_value=values["text"],
                max_length=QUESTION_MAX, rows="3",
                hint=rx.cond(State.editing_id > 0,
                             "Changes show wherever students chose this question. To ask "
                             "something different, add a new question and retire this one.",
                             "An open question, as a student would ask it.")),
            text_field("Category", "category", errors, default_value=values["category"],
                       max_length=CATEGORY_MAX, list=CATEGORY_LIST_ID,
                       hint="Choose one of the categories or type a new one."),
            rx.el.datalist(rx.foreach(State.categories,
                                      lambda category: rx.el.option(value=category)),
                           id=CATEGORY_LIST_ID),
        ],
    )


def question_bank_page() -> rx.Component:
    return record_list_page(
        State, title="Question bank",
        intro="The questions students choose from in step 3 (Prepare), by category. Retired "
              "questions are no longer offered but stay in the interviews that used them. "
              "How often each was chosen is rounded to a multiple of 5, like every figure "
              "staff see.",
        section_title="Questions", add=("plus", "Add a question"), row=_question,
        list_label="Questions",
        empty=("message-circle-question", "The bank is empty. Add the questions you want "
               "students to ask, each in a category such as “Career path” or “A typical day”."),
        form=_question_form(),
    )
