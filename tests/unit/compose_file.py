"""docker-compose.yml as Compose itself resolves it, and ways to read its services.

``docker-compose config`` validates the file against Compose's schema, fills in
the variables from .env and merges the YAML anchors; the tests read its output.
Its output differs a little between Compose v1 (Debian's) and v2, so every reader
here takes both forms.
"""

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
COMPOSE = ROOT / "docker-compose.yml"
SECRETS = ROOT / "deploy" / "secrets"


def _compose_command() -> list[str] | None:
    """Debian's docker-compose (v1), else a Docker CLI with the compose plugin."""
    if binary := shutil.which("docker-compose"):
        return [binary]
    docker = shutil.which("docker")
    probe = [docker, "compose", "version"] if docker else None
    if probe and subprocess.run(probe, capture_output=True).returncode == 0:
        return [docker, "compose"]
    return None


@functools.cache
def _resolved() -> dict | str:
    compose = _compose_command()
    if compose is None:
        return "docker-compose is not installed (make test installs Debian's as root)"
    # Only .env may fill the variables: none from the shell running the tests.
    clean = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    done = subprocess.run(
        [*compose, "--project-directory", str(ROOT), "-f", str(COMPOSE)]
        + ["--profile", "monitoring", "config"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=clean,
    )
    assert done.returncode == 0, f"docker-compose config failed:\n{done.stderr}"
    return yaml.safe_load(done.stdout)


def resolved() -> dict:
    """The whole resolved file; the test skips if docker-compose is missing."""
    config = _resolved()
    if isinstance(config, str):
        pytest.skip(config)
    return config


def services() -> dict[str, dict]:
    return resolved()["services"]


def env(service: dict) -> dict[str, str]:
    given = service.get("environment") or {}
    if isinstance(given, list):
        given = dict(item.split("=", 1) for item in given)
    return {key: "" if value is None else str(value) for key, value in given.items()}


def brokers() -> dict[str, dict]:
    return {
        name: service
        for name, service in services().items()
        if service["image"].startswith("apache/kafka:")
        and "KAFKA_PROCESS_ROLES" in env(service)
    }


def ledger_services() -> dict[str, dict]:
    """Every service that runs the ledger's own command."""
    return {
        name: service
        for name, service in services().items()
        if (service.get("command") or [None])[0] == "ledger"
    }


def workers() -> dict[str, dict]:
    return {
        name: service
        for name, service in ledger_services().items()
        if service["command"] == ["ledger", "worker"]
    }


def mounts(service: dict) -> dict[str, dict]:
    """Each mount by its target: {"source": ..., "type": "volume" | "bind"}."""
    found = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target, *_ = volume.split(":")
            kind = "bind" if source.startswith(("/", ".")) else "volume"
            volume = {"source": source, "target": target, "type": kind}
        found[volume["target"]] = volume
    return found


def secret_names(service: dict) -> set[str]:
    return {
        s["source"] if isinstance(s, dict) else s for s in service.get("secrets", [])
    }


def depends_on(service: dict) -> dict[str, str]:
    """Each dependency with the condition the service waits for."""
    given = service.get("depends_on") or {}
    if isinstance(given, list):
        return dict.fromkeys(given, "service_started")
    return {
        name: spec.get("condition", "service_started") for name, spec in given.items()
    }


def healthcheck(service: dict) -> list[str]:
    test = (service.get("healthcheck") or {}).get("test") or []
    return [test] if isinstance(test, str) else test


def dotenv() -> dict[str, str]:
    """The committed .env, the one file an operator edits."""
    lines = (ROOT / ".env").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {key.strip(): value.strip() for key, value in pairs}
