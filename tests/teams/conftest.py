"""Fixtures for the Teams channel tests.

- `emulator`: a Bot Connector emulator in this process (no Rasa), for auth and client tests.
- `harness`: the Teams connector running inside a Sanic server in the Rasa environment with a
  scripted bot (tests/teams/teams_harness.py), pointed at its own emulator: connector behaviour
  end to end without a trained model.
- `teams`: the emulator of the full `stack` (tests/conftest.py), attached to its Rasa server.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from channels.teams.emulator import BotConnectorEmulator
from teams_support import HARNESS_DEADLINE_SECONDS, Harness, start_harness, stop_harness


@pytest.fixture
def emulator() -> Iterator[BotConnectorEmulator]:
    emulator = BotConnectorEmulator().start()
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    emulator = BotConnectorEmulator().start()
    env = emulator.env() | {"TEAMS_REPLY_DEADLINE_SECONDS": str(HARNESS_DEADLINE_SECONDS),
                            "WEB_PUBLIC_URL": "https://iioc.example.test"}
    running = start_harness(tmp_path_factory.mktemp("teams"), env, emulator)
    emulator.attach(running.url)
    yield running
    stop_harness(running.proc)
    emulator.stop()


@pytest.fixture
def teams(stack: Any) -> BotConnectorEmulator:
    """The full stack's emulator, sending to its Rasa server."""
    if stack.teams is None:
        pytest.fail("the stack started without the Teams emulator")
    return stack.teams.attach(stack.rasa_url)
