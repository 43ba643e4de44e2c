"""`infoview serve` refuses a start it can't serve, saying what to run (infoview_app/serving.py)."""

import json
from pathlib import Path

import pytest

from infoview_app import cli, serving


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(serving, "web_dir", lambda: tmp_path)
    return tmp_path


def _built(web: Path, event_url: str) -> None:
    (web / "build" / "client").mkdir(parents=True)
    (web / "build" / "client" / "index.html").write_text("<html></html>")
    (web / "env.json").write_text(json.dumps({"EVENT": event_url}))


def test_no_build_names_the_build_command(web: Path) -> None:
    with pytest.raises(serving.ServeError, match=r"run `infoview build --port 3000` first"):
        serving.check_build(3000)


def test_a_build_for_another_port_is_refused(web: Path) -> None:
    _built(web, "ws://localhost:4000/_event")
    with pytest.raises(serving.ServeError, match=r"build is for port 4000.*--port 3000"):
        serving.check_build(3000)


def test_a_build_for_this_port_or_a_public_address_serves(web: Path) -> None:
    _built(web, "ws://localhost:3000/_event")
    serving.check_build(3000)
    (web / "env.json").write_text(json.dumps({"EVENT": "wss://infoview.campus.edu/_event"}))
    serving.check_build(8000)


def test_several_workers_need_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    with pytest.raises(serving.ServeError, match="REFLEX_REDIS_URL"):
        serving.check_workers(2)
    serving.check_workers(1)


def test_serve_without_a_build_exits_with_the_message(web: Path, capsys: pytest.CaptureFixture
                                                      ) -> None:
    assert cli.main(["serve", "--port", "3999", "--workers", "1"]) == 2
    assert "infoview build --port 3999" in capsys.readouterr().err
