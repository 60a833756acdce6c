"""How busy the machine was with other people's work while a phase was measured.

System-wide busy CPU time minus the CPU time of this process and everything it started
(the stack, `rasa train`), averaged over the phase in cores. On a shared 2-core machine a
figure well above 0 means the timings of that phase are pessimistic.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0) - getattr(times, "guest", 0.0) \
        - getattr(times, "guest_nice", 0.0)


def _own_seconds() -> float:
    """CPU time of this process, its reaped children and its live descendants."""
    me = psutil.Process()
    mine = me.cpu_times()
    total = mine.user + mine.system + mine.children_user + mine.children_system
    for child in me.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@contextmanager
def watch(into: dict[str, dict[str, float]], phase: str) -> Iterator[None]:
    """Record {seconds, ours_cores, others_cores} for `phase` into `into`."""
    wall, busy, own = time.monotonic(), _busy_seconds(), _own_seconds()
    try:
        yield
    finally:
        seconds = time.monotonic() - wall
        ours = max(0.0, _own_seconds() - own)
        others = max(0.0, _busy_seconds() - busy - ours)
        into[phase] = {"seconds": round(seconds, 1), "ours_cores": round(ours / seconds, 2) if seconds else 0.0,
                       "others_cores": round(others / seconds, 2) if seconds else 0.0}
