"""docs/deploy.md and deploy/: every command in the doc's shell blocks is run by the script or
test its block names, the scripts parse, and the systemd units pass ``systemd-analyze verify``.

Each shell block is preceded by ``<!-- run by: PATH -->``. A command that is one of the
deploy/ scripts must be executable, parse (``bash -n``) and be run by a test, unless it needs
systemd as process 1 (``NEEDS_SYSTEMD``, which the test machines do not have). Any other
command (``infoview migrate``, ``systemd-analyze verify``) must have its program and
subcommand in the named file, which must be a test."""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploy.md"
UNITS = sorted((ROOT / "deploy" / "systemd").iterdir())
# Scripts that call systemctl/journalctl on the host they run on; the doc says so.
NEEDS_SYSTEMD = {"deploy/install.sh", "deploy/upgrade.sh", "deploy/status.sh"}
_BLOCK = re.compile(r"<!-- run by: (?P<file>[^ ]+) -->\n```sh\n(?P<body>.*?)```", re.S)


def _blocks() -> list[tuple[str, list[str]]]:
    text = DOC.read_text()
    blocks = [(found["file"], _commands(found["body"])) for found in _BLOCK.finditer(text)]
    assert len(blocks) == text.count("```sh"), "a shell block without its run-by tag"
    return blocks


def _commands(body: str) -> list[str]:
    joined = body.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines()
            if line.strip() and not line.strip().startswith("#")]


def _program(command: str) -> tuple[str, str]:
    """(program, subcommand) of a command line, past any VAR=value assignments."""
    words = shlex.split(command)
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        words.pop(0)
    program = words[0] if words[0].startswith("deploy/") else Path(words[0]).name
    sub = words[1] if len(words) > 1 and not words[1].startswith(("-", "/")) else ""
    return program, sub


def _tests_text() -> str:
    return "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))


def test_the_doc_has_its_blocks() -> None:
    runners = [runner for runner, _ in _blocks()]
    assert {"deploy/install.sh", "deploy/upgrade.sh",
            "tests/integration/test_backup_restore.py"} <= set(runners)


@pytest.mark.parametrize("runner,commands", _blocks())
def test_every_command_is_run_by_what_its_block_names(runner: str, commands: list[str]) -> None:
    assert (ROOT / runner).is_file(), runner
    for command in commands:
        program, sub = _program(command)
        if program.startswith("deploy/"):
            script = ROOT / program
            assert os.access(script, os.X_OK), f"{program} is not executable"
            if program in NEEDS_SYSTEMD:
                assert runner == program, f"{program} runs itself (it needs systemd)"
            else:
                assert runner.startswith("tests/") and program in (ROOT / runner).read_text(), \
                    f"{program}: name the test that runs it"
        else:
            assert runner.startswith("tests/"), f"{command}: not run by a test"
            text = (ROOT / runner).read_text()
            assert program in text and (not sub or sub in text), f"{runner} does not run {command}"


def test_every_deploy_script_parses_and_is_run_by_a_test_or_needs_systemd() -> None:
    tests = _tests_text()
    for script in sorted((ROOT / "deploy").glob("*.sh")):
        name = f"deploy/{script.name}"
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, f"{name}: {done.stderr}"
        assert name in tests or name in NEEDS_SYSTEMD or name == "deploy/db_env.sh", name


def test_systemd_units_verify(tmp_path: Path) -> None:
    """``systemd-analyze verify`` on copies pointed at this checkout (it checks that each
    ExecStart's program exists), with a warning counted as a failure."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: tests/setup_services.sh installs systemd"
    env_file = tmp_path / "infoview.env"
    env_file.write_text((ROOT / "deploy" / "infoview.env.example").read_text())
    for unit in UNITS:
        text = unit.read_text().replace("/srv/infoview", str(ROOT))
        (tmp_path / unit.name).write_text(text.replace("/etc/infoview/infoview.env",
                                                       str(env_file)))
    command = [analyze, *shlex.split("verify --man=no --recursive-errors=no")]
    done = subprocess.run([*command, *(unit.name for unit in UNITS)], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")


def test_the_workers_restart_on_failure_and_never_rebuild() -> None:
    service = (ROOT / "deploy" / "systemd" / "infoview.service").read_text()
    assert "Restart=on-failure" in service
    assert "EnvironmentFile=/etc/infoview/infoview.env" in service
    assert re.search(r"^ExecStart=\S+/infoview serve ", service, re.M)
    assert "build" not in re.findall(r"^ExecStart\S*=(.*)$", service, re.M).__str__()
    timers = {unit.name for unit in UNITS if unit.suffix == ".timer"}
    assert timers == {"infoview-reminders.timer", "infoview-backup.timer"}
    assert "infoview send-reminders" in (ROOT / "deploy/systemd/infoview-reminders.service"
                                         ).read_text()
