"""docs/deploy.md and deploy/: every command in the doc's shell blocks is run by the script or
test its block names, the scripts parse, and the systemd units pass ``systemd-analyze verify``.

Each shell block is preceded by ``<!-- run by: PATH[, PATH] -->``, the tests (or test
helpers) that run its commands. A deploy/ script must be executable, parse (``bash -n``) and
be run by one of them (named as a string in its code), unless it needs systemd as process 1
(``NEEDS_SYSTEMD``, which the test machines do not have: then the block names the script
itself). Any other command (``infoview migrate``, ``systemd-analyze verify``) must have its
program and subcommand in one of the named files."""

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
_BLOCK = re.compile(r"<!-- run by: (?P<files>[^>]+?) -->\n```sh\n(?P<body>.*?)```", re.S)


def _blocks() -> list[tuple[tuple[str, ...], list[str]]]:
    text = DOC.read_text()
    blocks = [(tuple(name.strip() for name in found["files"].split(",")),
               _commands(found["body"])) for found in _BLOCK.finditer(text)]
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
    return "\n".join(path.read_text() for path in (ROOT / "tests").rglob("*.py"))


def test_the_doc_has_its_blocks() -> None:
    runners = {runner for names, _ in _blocks() for runner in names}
    assert {"deploy/install.sh", "deploy/upgrade.sh", "tests/backups.py"} <= runners


def _runs(runner: str, program: str, sub: str) -> bool:
    """Whether the test file ``runner`` runs the command: a deploy script named as a string
    in its code, or the program with its subcommand."""
    if not runner.startswith("tests/"):
        return False
    text = (ROOT / runner).read_text()
    if program.startswith("deploy/"):
        return f'"{program}"' in text
    return program in text and (not sub or f'"{sub}' in text)


@pytest.mark.parametrize("runners,commands", _blocks())
def test_every_command_is_run_by_what_its_block_names(runners: tuple[str, ...],
                                                      commands: list[str]) -> None:
    for runner in runners:
        assert (ROOT / runner).is_file(), runner
    for command in commands:
        program, sub = _program(command)
        if program in NEEDS_SYSTEMD:
            assert runners == (program,), f"{program} runs itself (it needs systemd)"
        else:
            assert any(_runs(runner, program, sub) for runner in runners), \
                f"no test among {runners} runs {command}"
        if program.startswith("deploy/"):
            assert os.access(ROOT / program, os.X_OK), f"{program} is not executable"


def test_every_deploy_script_parses_and_is_run_by_a_test_or_needs_systemd() -> None:
    tests = _tests_text()
    for script in sorted((ROOT / "deploy").glob("*.sh")):
        name = f"deploy/{script.name}"
        done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, f"{name}: {done.stderr}"
        assert f'"{name}"' in tests or name in NEEDS_SYSTEMD or name == "deploy/db_env.sh", name


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
