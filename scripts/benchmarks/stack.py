"""A stack of its own for the bench: scripts/run.py's Stack on free loopback ports, fresh databases.

Started as tests/conftest.py starts one: a temporary var dir with new SQLite case and tracker
stores (migrated, demo practitioner seeded), new secrets, the model `make train` named in
build/models/CURRENT.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import run as runner  # scripts/run.py

from .quiet import output_to


@dataclass
class BenchStack:
    stack: runner.Stack
    env: dict[str, str]
    var: Path
    model: Path

    @property
    def rasa_url(self) -> str:
        return self.env["RASA_URL"]

    @property
    def identity_secret(self) -> str:
        return self.env["IDENTITY_SECRET"]

    def pids(self) -> dict[str, int]:
        """Process id of each of the three processes, by name (rasa, actions, web)."""
        return {name: proc.pid for name, proc in self.stack.procs.items()}


@contextmanager
def running_stack(log: Path) -> Iterator[BenchStack]:
    """Start Rasa server, action server and web app on free ports; stop them and delete the var dir.

    The migration and seeding output goes to `log`; the servers' logs die with the var dir."""
    var = Path(tempfile.mkdtemp(prefix="iioc-bench-var-"))
    env = runner.isolated_env(var)
    stack = runner.Stack(env=env, logs=var / "log")
    model = runner.current_model()  # what start_all() serves: build/models/CURRENT
    try:
        with output_to(log):
            stack.prepare(seed_demo=True)
        stack.start_all()
        yield BenchStack(stack=stack, env=env, var=var, model=model)
    finally:
        stack.stop_all()
        shutil.rmtree(var, ignore_errors=True)
