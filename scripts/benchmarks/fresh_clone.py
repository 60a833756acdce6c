"""Fresh clone to first answer: `git clone` beside this repository, `make run` there, time the first cited answer.

The clone goes to ../bench-clone-XXXX so that ../shared resolves as it does for this checkout;
nothing else is copied (no virtualenvs, no build/, no var/). `make run` installs both
virtualenvs (from pip's local cache/index on this machine, so this is a warm-cache figure),
generates, builds the spaCy pipeline, trains from cold and starts the three processes on
free ports. The clock stops at the first REST reply with citations; then everything the clone
started is stopped (by process id) and the clone is deleted.

`what="head"` measures the committed HEAD, as a newcomer gets it. `what="worktree"` then lays this
checkout's working tree (tracked and untracked files git does not ignore; never .venv-*, build/
or var/) over the clone: "a fresh clone once the current work is committed".
"""
from __future__ import annotations


import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

import psutil
import requests

import run as runner  # scripts/run.py


ROOT = Path(__file__).resolve().parents[2]
QUESTION = "what is the purpose of this protocol"
DEADLINE_S = 30 * 60
POLL_S = 2.0
# Variables of this checkout's environment that must not leak into the clone's `make run`.
NOT_INHERITED = ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES", "PYTHONPATH", "RASA_CACHE_DIRECTORY",
                 "VIRTUAL_ENV", "DATABASE_URL", "TRACKER_DB_URL", "IDENTITY_SECRET", "FLASK_SECRET_KEY",
                 "IIOC_VAR_DIR", "DEMO_PASSWORD", "RASA_URL", "ACTION_SERVER_URL", "ACTION_ENDPOINT_URL")


def _log_lines(stream: IO[str], log: Path, started: float, steps: list[tuple[float, str]]) -> None:
    """Copy `make run`'s output to `log`, noting when each '==>' step began."""
    with open(log, "w", encoding="utf-8") as sink:
        for line in stream:
            elapsed = time.monotonic() - started
            sink.write(f"[{elapsed:7.1f}s] {line}")
            sink.flush()
            text = line.strip()
            if text.startswith("==>") or text.startswith("The assistant is running"):
                steps.append((round(elapsed, 1), text[:90]))


def _last_lines(log: Path, count: int = 3) -> list[str]:
    """The last lines of `make run`'s output that are not pip's index warnings (the failure, usually)."""
    lines = [line.rstrip() for line in log.read_text(errors="replace").splitlines() if "WARNING: Location" not in line]
    return lines[-count:]


def _first_cited_answer(rasa_url: str) -> bool:
    try:
        response = requests.post(f"{rasa_url}/webhooks/rest/webhook", timeout=30,
                                 json={"sender": "bench-fresh-clone", "message": QUESTION})
        replies = response.json() if response.status_code == 200 else []
    except (requests.RequestException, ValueError):
        return False
    return any((reply.get("custom") or {}).get("citations") for reply in replies)


def _stop(make: subprocess.Popen[str]) -> None:
    """SIGTERM the `make run` process group (scripts/run.py stops its three), then any survivor by pid."""
    try:
        started = [make.pid, *(child.pid for child in psutil.Process(make.pid).children(recursive=True))]
    except psutil.NoSuchProcess:
        started = [make.pid]
    try:
        os.killpg(make.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        make.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    survivors = []
    for pid in started:
        try:
            process = psutil.Process(pid)
            process.terminate()
            survivors.append(process)
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(survivors, timeout=20)
    for process in alive:
        process.kill()
    if make.poll() is None:
        make.wait(timeout=10)


def _lay_worktree_over(clone: Path) -> int:
    """Copy this checkout's non-ignored files over `clone` and delete what the work tree deleted."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    deleted = subprocess.run(["git", "ls-files", "-z", "--deleted"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    copied = 0
    for name in filter(None, listed):
        source, target = ROOT / name, clone / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
            copied += 1
    for name in filter(None, deleted):
        (clone / name).unlink(missing_ok=True)
    return copied


def fresh_clone_to_first_answer(log: Path, what: str = "head") -> dict[str, Any]:
    shared = ROOT.parent / "shared"
    clone = Path(tempfile.mkdtemp(prefix="bench-clone-", dir=ROOT.parent))
    ports = {key: str(runner.free_port()) for key in ("RASA_PORT", "ACTION_PORT", "WEB_PORT")}
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED} | ports
    steps: list[tuple[float, str]] = []
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    make: subprocess.Popen[str] | None = None
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        steps.append((round(time.monotonic() - started, 1), "git clone done"))
        if what == "worktree":
            copied = _lay_worktree_over(clone)
            steps.append((round(time.monotonic() - started, 1), f"work tree laid over the clone ({copied} files)"))
        make = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        reader = threading.Thread(target=_log_lines, args=(make.stdout, log, started, steps), daemon=True)
        reader.start()
        rasa_url = f"http://127.0.0.1:{ports['RASA_PORT']}"
        while time.monotonic() - started < DEADLINE_S:
            if make.poll() is not None:
                return {"what": what, "error": f"make run exited with {make.returncode} (log: {log})",
                        "steps": list(steps), "last_lines": _last_lines(log)}
            if _first_cited_answer(rasa_url):
                seconds = time.monotonic() - started
                return {"what": what, "seconds": round(seconds, 1), "steps": list(steps),
                        "shared_present": shared.is_dir(), "log": str(log), "question": QUESTION}
            time.sleep(POLL_S)
        return {"what": what, "error": f"no answer within {DEADLINE_S} s (log: {log})", "steps": list(steps),
                "last_lines": _last_lines(log)}
    finally:
        if make is not None:
            _stop(make)
        shutil.rmtree(clone, ignore_errors=True)
