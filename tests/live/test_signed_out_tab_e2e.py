"""A student on a shared computer signs out; the next person reloads the tab (issue 10).

Nothing is on screen, but the browser's developer tools show every websocket frame: this test
reads them through the DevTools protocol, as such a person would, and finds none of the
strings planted in the student's research notes, pitch, contact and interview notes.
"""

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.live.conftest import main_nav, sign_in, wait_hydrated
from tests.private_data import planted_journey


def _capture_websocket_frames(page: Page) -> list[str]:
    """Every websocket frame the page sends or receives from now on, as DevTools shows it."""
    frames: list[str] = []
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    for direction in ("Received", "Sent"):
        devtools.on(f"Network.webSocketFrame{direction}",
                    lambda event: frames.append(event["response"]["payloadData"]))
    return frames


def test_after_sign_out_a_reload_carries_nothing_of_the_student(
        page: Page, viewport_name: str, make_user: Callable[..., dict[str, Any]]) -> None:
    student = make_user(name="Shira Shared")
    journey = planted_journey(student["id"])
    frames = _capture_websocket_frames(page)
    sign_in(page, student["email"], student["password"])
    expect(page.get_by_role("heading", name="Welcome, Shira Shared")).to_be_visible()
    for path in journey.pages():
        page.goto(path)
        wait_hydrated(page)
    # Positive control: the frames of the signed-in pages did carry the student's data.
    assert journey.found_in("".join(frames)) == list(journey.secrets)

    main_nav(page, viewport_name).get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    frames.clear()
    page.reload()
    wait_hydrated(page)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    page.goto(journey.pages()[-3])  # the interview step of the student's exploration
    expect(page).to_have_url(re.compile(r"/login"))
    wait_hydrated(page)

    assert frames, "no websocket frame was captured after the reload"
    assert journey.found_in("".join(frames)) == []
    assert "Shira Shared" not in "".join(frames)
