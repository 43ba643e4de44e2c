"""Uploads are parsed in a child process within a time and a memory budget
(services/core/isolation.py): a parse that would never end is stopped, one that needs too much
memory fails in the child, and the server's own memory is not touched. Real processes."""

import multiprocessing
from pathlib import Path

import pytest

from infoview_app.services.core import isolation
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.develop import contact_import as ci

# vobject's pattern for a property line backtracks exponentially on a line like this one
# (each added comma about doubles the time): the match holds the interpreter lock throughout.
BACKTRACKING = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rex Regex\r\nEMAIL;TYPE=" + "," * 60
                + "!\r\nEND:VCARD\r\n").encode()
SECOND = isolation.Budget(seconds=1.0, memory_bytes=ci.PARSE_BUDGET.memory_bytes)


def _allocate(size: int) -> int:
    return len(bytearray(size))


def _resident_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def _isolated_children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "infoview-isolated"]


def test_a_parse_is_answered_from_the_child_with_its_result_or_its_refusal() -> None:
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Child\r\nEND:VCARD\r\n"
    result = isolation.run_blocking(ci.parse_vcards, card, budget=ci.PARSE_BUDGET)
    assert result == ci.ParseResult([(1, ci.ContactDraft(name="Cy Child"))], [])
    with pytest.raises(InvalidInput, match="doesn't look like a vCard") as refused:
        isolation.run_blocking(ci.parse_vcards, b"hello", budget=ci.PARSE_BUDGET)
    assert refused.value.field == "file"


def test_a_parse_past_its_time_budget_is_stopped() -> None:
    with pytest.raises(isolation.OutOfTime):
        isolation.run_blocking(ci.parse_vcards, BACKTRACKING, budget=SECOND)
    assert _isolated_children() == []  # the child was killed, not left running


async def test_the_upload_hears_that_its_file_took_too_long(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ci, "PARSE_BUDGET", SECOND)
    with pytest.raises(InvalidInput) as refused:
        await ci.read_upload(ci.parse_vcards, BACKTRACKING)
    assert (refused.value.message, refused.value.field) == (ci.TOO_SLOW, "file")


def test_work_over_its_memory_budget_fails_in_the_child_not_in_the_server() -> None:
    before = _resident_bytes()
    with pytest.raises(isolation.OutOfMemory):
        isolation.run_blocking(_allocate, 1024 ** 3, budget=ci.PARSE_BUDGET)
    assert _resident_bytes() - before < 64 * 1024 ** 2
    small = 16 * 1024 ** 2  # positive control: within the budget the same work succeeds
    assert isolation.run_blocking(_allocate, small, budget=ci.PARSE_BUDGET) == small
