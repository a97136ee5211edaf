"""deploy/Dockerfile: hadolint finds nothing; multi-stage, non-root, a health
check, dependencies from the hashed lock, which pins what pyproject.toml asks."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
LOCK = ROOT / "deploy" / "requirements.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
BUILD_TOOLS = re.compile(r"\b(apt-get|apk|gcc|g\+\+|build-essential|make)\b")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined, comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    found = [line.split(None, 1) for line in lines if line and line[0] != "#"]
    return [(word.upper(), rest) for word, rest in found]


def stages() -> list[list[tuple[str, str]]]:
    split: list[list[tuple[str, str]]] = []
    for instruction in instructions():
        if instruction[0] == "FROM":
            split.append([])
        if split:
            split[-1].append(instruction)
    return split


def final_stage(instruction: str) -> list[str]:
    return [rest for word, rest in stages()[-1] if word == instruction]


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or Path(sys.executable).with_name("hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (pyproject's test extra has it)")
    linted = subprocess.run(
        [str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_final_stage_copies_only_the_built_environment():
    assert len(stages()) >= 2
    copies = final_stage("COPY")
    assert copies and all(c.startswith("--from=") for c in copies)
    assert not any(BUILD_TOOLS.search(run) for run in final_stage("RUN"))


def test_it_runs_as_a_non_root_user():
    (user,) = final_stage("USER")
    assert user.split(":")[0] not in ("root", "0")


def test_its_health_check_asks_livez_with_python():
    (check,) = final_stage("HEALTHCHECK")
    assert "/livez" in check and "urllib.request" in check
    assert "curl" not in check and "wget" not in check


def test_base_images_are_pinned_to_a_release():
    args = dict(
        rest.split("=", 1) for word, rest in instructions() if word == "ARG"
    )  # fmt: skip
    for stage in stages():
        image = stage[0][1].split()[0]
        image = args.get(image.strip("${}"), image)
        assert re.fullmatch(r"[\w./-]+:\d+\.\d+\.\d+[\w.-]*", image), image


def test_dependencies_are_installed_from_the_lock_with_their_hashes():
    runs = [rest for word, rest in stages()[0] if word == "RUN"]
    (install,) = [run for run in runs if "-r requirements.lock" in run]
    assert "--require-hashes" in install and "--only-binary=:all:" in install
    assert any(rest.startswith("deploy/requirements.lock") for _, rest in stages()[0])


def locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", LOCK.read_text(), re.M)
    return {canonicalize_name(name): version for name, version in pins}


def test_the_lock_pins_everything_pyproject_asks_for():
    """A new dependency without `make lock` would be missing from the image."""
    pins = locked()
    wanted = [
        *PYPROJECT["project"]["dependencies"],
        *PYPROJECT["build-system"]["requires"],
    ]
    for requirement in map(Requirement, wanted):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {LOCK.name}: run make lock"
        assert pins[name] in requirement.specifier, (name, pins[name])
    hashed = re.findall(r"^\S+==\S+ \\\n\s+--hash=sha256:", LOCK.read_text(), re.M)
    assert len(hashed) == len(pins)


def test_the_build_context_leaves_out_secrets_and_local_state():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip()[:1] not in ("", "#")]
    assert patterns[0] == "*", "the context should be an allow-list"
    allowed = [p[1:] for p in patterns if p.startswith("!")]
    for private in ("deploy/secrets/", ".env", ".venv/", "data/"):
        assert not any(private.startswith(a) for a in allowed), private
