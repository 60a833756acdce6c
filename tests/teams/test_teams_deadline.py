"""Answering within Teams' time limit (channels/teams/deadline.py)."""
from __future__ import annotations

import asyncio
import logging

import pytest

from channels.teams import deadline
from channels.teams.deadline import finish_or_notify


def run_turn(work_seconds: float, deadline: float, fail: bool = False) -> tuple[list[str], bool]:
    events: list[str] = []

    async def work() -> None:
        await asyncio.sleep(work_seconds)
        if fail:
            raise RuntimeError("late failure")
        events.append("answer")

    async def notify() -> None:
        events.append("still working")

    async def turn() -> bool:
        in_time = await finish_or_notify(work(), deadline, notify)
        events.append("request answered")
        await asyncio.sleep(work_seconds + 0.1)  # the server keeps running
        return in_time

    return events, asyncio.run(turn())


def test_work_within_the_deadline_answers_without_a_holding_message() -> None:
    events, in_time = run_turn(0.01, 1.0)
    assert in_time and events == ["answer", "request answered"]


def test_slow_work_gets_a_holding_message_then_its_answer() -> None:
    events, in_time = run_turn(0.3, 0.05)
    assert not in_time and events == ["still working", "request answered", "answer"]


def test_a_late_failure_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        events, _ = run_turn(0.2, 0.05, fail=True)
    assert events == ["still working", "request answered"]
    assert "finished after the deadline with an error" in caplog.text


def test_a_holding_message_that_hangs_does_not_hold_up_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deadline, "NOTIFY_SECONDS", 0.1)

    async def work() -> None:
        await asyncio.sleep(0.5)

    async def hanging_notify() -> None:
        await asyncio.sleep(10)

    async def turn() -> float:
        started = asyncio.get_running_loop().time()
        assert not await finish_or_notify(work(), 0.05, hanging_notify)
        return asyncio.get_running_loop().time() - started

    assert asyncio.run(turn()) < 0.5
