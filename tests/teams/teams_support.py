"""Helpers for the Teams tests: start the connector harness (teams_harness.py) in the Rasa
environment, pointed at a Bot Connector emulator or at the defaults."""
from __future__ import annotations

from run import free_port  # scripts/run.py (on sys.path via tests/conftest.py)

import json
import os
import signal
import subprocess
import sys
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from channels.teams.emulator import BotConnectorEmulator
from channels.teams.settings import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
HARNESS = Path(__file__).with_name("teams_harness.py")
HARNESS_DEADLINE_SECONDS = 2.0

sys.path.insert(0, str(ROOT / "scripts"))
import run as runner  # noqa: E402  (scripts/run.py)


@dataclass
class Harness:
    emulator: BotConnectorEmulator | None
    url: str
    log: Path
    identity_secret: str
    proc: subprocess.Popen
    requests_at_start: dict[str, int] = field(default_factory=dict)

    def received(self) -> list[dict[str, Any]]:
        """The messages that reached the (scripted) bot."""
        with urllib.request.urlopen(f"{self.url}/received", timeout=5) as response:
            return json.loads(response.read())

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start_harness(tmp: Path, env_overrides: dict[str, str], emulator: BotConnectorEmulator | None
                  ) -> Harness:
    port = free_port()
    secret = uuid.uuid4().hex
    env = {**os.environ, **DEFAULTS, **env_overrides, "IDENTITY_SECRET": secret,
           "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    log = tmp / f"harness-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(RASA_PY), str(HARNESS), "--port", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        runner.wait_for(f"{url}/webhooks/teams/", 120, proc)
    except Exception:
        stop_harness(proc)
        raise AssertionError(f"the harness did not start:\n{log.read_text(errors='replace')[-3000:]}")
    return Harness(emulator, url, log, secret, proc,
                   requests_at_start=dict(emulator.requests) if emulator else {})


def stop_harness(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


