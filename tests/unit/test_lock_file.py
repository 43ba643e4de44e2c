"""The lock files pin every package the two commands install, at the versions tested here.

`make install` and `make install-test` install requirements/run.lock and requirements/test.lock
with `--no-deps --require-hashes`: pip resolves nothing itself, so a package the project needs
(directly or through Reflex and the rest) that is missing from a lock, or pinned there at
another version than the one installed in the environment the suite runs in, is exactly what
a fresh machine would get wrong. The needs are read from pyproject.toml and then from each
installed package's own metadata, with its markers evaluated for this interpreter.
"""

import tomllib
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


class Pin(NamedTuple):
    version: str
    applies_here: bool
    hashes: list[str]


def read_lock(name: str) -> dict[NormalizedName, Pin]:
    """The pins of requirements/NAME: one `name==version [; marker] --hash=...` per package."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    pins: dict[NormalizedName, Pin] = {}
    for line in text.replace("\\\n", " ").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        spec, *hashes = line.split("--hash=")
        requirement = Requirement(spec)
        (pinned,) = requirement.specifier
        assert pinned.operator == "==", line
        pins[canonicalize_name(requirement.name)] = Pin(
            pinned.version,
            requirement.marker is None or requirement.marker.evaluate(),
            [value.strip() for value in hashes],
        )
    return pins


def applies(requirement: Requirement, extras: set[str]) -> bool:
    """Whether a requirement counts here, for a package installed with these extras."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in {""} | extras)


def direct_requirements(*, test: bool) -> list[Requirement]:
    """What pyproject.toml asks for: the app's dependencies, the build backend, the test extra."""
    listed = PYPROJECT["project"]["dependencies"] + PYPROJECT["dependency-groups"]["build"]
    if test:
        listed = listed + PYPROJECT["project"]["optional-dependencies"]["test"]
    return [Requirement(line) for line in listed]


def installed_closure(roots: list[Requirement]) -> dict[NormalizedName, str]:
    """Every installed distribution the roots need here, transitively, with its version."""
    extras_of: dict[NormalizedName, set[str]] = {}
    queue = [root for root in roots if applies(root, set())]
    while queue:
        requirement = queue.pop()
        name = canonicalize_name(requirement.name)
        seen = extras_of.get(name)
        if seen is not None and set(requirement.extras) <= seen:
            continue
        extras = extras_of[name] = (seen or set()) | set(requirement.extras)
        for line in metadata.distribution(name).requires or []:
            dependency = Requirement(line)
            if applies(dependency, extras):
                queue.append(dependency)
    return {name: metadata.version(name) for name in extras_of}


@pytest.mark.parametrize(("lock", "test"), [("run.lock", False), ("test.lock", True)])
def test_the_lock_pins_exactly_what_is_installed_and_needed(lock: str, test: bool) -> None:
    pins = read_lock(lock)
    needed = installed_closure(direct_requirements(test=test))
    locked_here = {name: pin.version for name, pin in pins.items() if pin.applies_here}
    assert locked_here == needed
    print(f"{lock}: {len(needed)} packages needed here, all pinned at the installed version")


@pytest.mark.parametrize("lock", ["run.lock", "test.lock"])
def test_every_pin_carries_hashes(lock: str) -> None:
    for name, pin in read_lock(lock).items():
        assert pin.hashes, name
        assert all(value.startswith("sha256:") and len(value) == 7 + 64 for value in pin.hashes)


@pytest.mark.parametrize(("lock", "test"), [("run.lock", False), ("test.lock", True)])
def test_every_direct_pin_of_pyproject_is_the_locked_version(lock: str, test: bool) -> None:
    pins = read_lock(lock)
    for requirement in direct_requirements(test=test):
        (pinned,) = requirement.specifier
        assert pinned.operator == "==", requirement
        assert pins[canonicalize_name(requirement.name)].version == pinned.version, requirement


def test_the_run_lock_agrees_with_the_test_lock() -> None:
    test_pins = read_lock("test.lock")
    for name, pin in read_lock("run.lock").items():
        assert test_pins[name].version == pin.version, name
        assert test_pins[name].hashes == pin.hashes, name


def test_the_locked_build_backend_is_the_one_pyproject_builds_with() -> None:
    assert PYPROJECT["build-system"]["requires"] == PYPROJECT["dependency-groups"]["build"]
