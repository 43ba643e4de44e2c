"""The contact import's upload handler behind the guard's upload mode: an upload is admitted
only with the tab's own session token, and anything else is refused without a trace on the
tab. The file is parsed for real, in the isolation child process."""

import io
from pathlib import Path
from typing import Any

import pytest
import reflex as rx

from infoview_app import db
from infoview_app.models import Contact, Role
from infoview_app.services.develop import contact_import
from infoview_app.state.develop import DevelopState
from tests.factories import add_contact
from tests.state.conftest import Student, call
from tests.state.test_step_handlers import count, open_step

KNOWN = "dana.private@clinic.example"
VCARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Lookalike\r\n"
         f"EMAIL:{KNOWN}\r\nEND:VCARD\r\n").encode()


def _upload(data: bytes = VCARD, name: str = "contacts.vcf") -> list[rx.UploadFile]:
    return [rx.UploadFile(file=io.BytesIO(data), path=Path(name))]


async def _preview(state: Any, **arguments: Any) -> Any:
    """Run the upload handler as Reflex does: its function, the event's arguments by name."""
    return await DevelopState.preview_file.fn(state, files=_upload(), **arguments)


@pytest.fixture
def develop(substate: Any, student: Student) -> Any:
    """Step 2 of a student who already has Dana on their list."""
    with db.session() as session:
        add_contact(session, student.user_id, student.exploration_id, "Dana Private",
                    email=KNOWN)
    return open_step(substate, student, DevelopState, 2)


@pytest.mark.parametrize("token", ["missing", "", "forged", "another student's", None, 7])
async def test_an_upload_without_the_tabs_own_session_token_learns_nothing(
        develop: Any, student: Student, signed_in: Any, token: Any) -> None:
    if token == "missing":
        arguments: dict[str, Any] = {}
    elif token == "forged":
        arguments = {"session_token": student.token[:-2] + "xx"}
    elif token == "another student's":
        arguments = {"session_token": signed_in(Role.STUDENT, name="Mallory")[1]}
    else:
        arguments = {"session_token": token}
    assert await _preview(develop, **arguments) is None  # no redirect, no message
    assert (develop.import_name, develop.import_rows, develop.import_new) == ("", [], 0)
    assert develop.errors == {} and develop._import_drafts == []
    assert develop.auth_token == student.token  # the tab's owner stays signed in
    assert develop.user_name == "Ana Student"


async def test_the_tabs_own_session_token_admits_the_upload(develop: Any,
                                                            student: Student) -> None:
    """Positive control: the same upload with the token the tab holds is previewed."""
    assert await _preview(develop, session_token=student.token) is None
    assert develop.import_name == "vCard: contacts.vcf"
    [row] = develop.import_rows
    assert row["name"] == "Dana Lookalike" and row["duplicate"]
    assert develop.import_new == 0 and develop.errors == {}
    assert develop.import_new_label == "0 new contacts"
    call(develop, "cancel_import")
    assert develop.import_new_label == ""


async def test_a_file_over_the_cap_is_refused_beside_the_field(develop: Any,
                                                               student: Student) -> None:
    big = VCARD + b" " * contact_import.MAX_FILE_BYTES
    await DevelopState.preview_file.fn(develop, files=_upload(big),
                                       session_token=student.token)
    assert develop.errors == {"file": contact_import.TOO_LARGE}
    assert develop.import_rows == []


@pytest.mark.parametrize(("codes", "message"), [
    ([["file-too-large"]], contact_import.TOO_LARGE),
    ([["file-invalid-type", "file-too-large"]], contact_import.TOO_LARGE),
    ([["file-invalid-type"]], "Choose LinkedIn's Connections.csv or a vCard (.vcf) file."),
    ([["too-many-files"], ["too-many-files"]], "Choose one file."),
    ("not a list", "Choose LinkedIn's Connections.csv or a vCard (.vcf) file."),
    ([{"code": "file-too-large"}, 3, None, [{}]],
     "Choose LinkedIn's Connections.csv or a vCard (.vcf) file."),
])
def test_a_file_the_browser_refused_is_explained_beside_the_field(
        develop: Any, codes: Any, message: str) -> None:
    call(develop, "refuse_file", codes)
    assert develop.errors == {"file": message}
    assert count(Contact, Contact.name == "Dana Lookalike") == 0
