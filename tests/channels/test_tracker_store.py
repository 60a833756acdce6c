"""Rasa's tracker store must fail loudly, not fall back to memory (channels/tracker_store.py).

Runs in the Rasa environment (a subprocess of .venv-rasa's python): Rasa's own
FailSafeTrackerStore wraps our SQL store, whose database table is then removed behind its back.
"""
from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

SCRIPT = textwrap.dedent("""
    import asyncio, sqlite3, sys
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from channels.tracker_store import LoudSQLTrackerStore, TrackerStoreUnavailable

    db = sys.argv[1]
    store = FailSafeTrackerStore(LoudSQLTrackerStore(Domain.empty(), host="sqlite:///" + db))
    tracker = DialogueStateTracker("someone", [])
    tracker.update(UserUttered("hello"))

    async def main():
        await store.save(tracker)                      # works while the database is there
        assert (await store.retrieve("someone")) is not None
        sqlite3.connect(db).execute("DROP TABLE events")
        for attempt in (store.save(tracker), store.retrieve("someone")):
            try:
                await attempt
            except TrackerStoreUnavailable:
                print("loud")
            else:
                print("silent")

    asyncio.run(main())
""")


def in_rasa_environment(script: str, database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RASA_PYTHON), "-c", script, str(database)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})


def test_a_broken_tracker_database_is_an_error_not_a_silent_memory_fallback(tmp_path: Path) -> None:
    result = in_rasa_environment(SCRIPT, tmp_path / "tracker.db")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["loud", "loud"], result.stdout + result.stderr[-2000:]
    assert "Conversation store write failed" in result.stderr


KEPT_SCRIPT = textwrap.dedent("""
    import asyncio, sys
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from channels.tracker_store import LoudSQLTrackerStore

    db = "sqlite:///" + sys.argv[1]
    store = LoudSQLTrackerStore(Domain.empty(), host=db)

    async def main():
        tracker = DialogueStateTracker("someone", [])
        tracker.update(UserUttered("hello"))
        await store.save(tracker)
        again = await store.retrieve("someone")
        print("kept" if again is tracker else "reloaded")
        again.update(UserUttered("never saved"))       # a message that failed before its save
        fresh = await store.retrieve("someone")
        print("reloaded" if fresh is not again else "kept")
        print(len(fresh.events))
        restarted = LoudSQLTrackerStore(Domain.empty(), host=db)
        print(len((await restarted.retrieve("someone")).events))
        off = LoudSQLTrackerStore(Domain.empty(), host=db, keep=0)
        await off.save(fresh)
        print("kept" if (await off.retrieve("someone")) is fresh else "reloaded")

    asyncio.run(main())
""")


def test_a_kept_tracker_is_used_only_while_the_database_agrees_with_it(tmp_path: Path) -> None:
    result = in_rasa_environment(KEPT_SCRIPT, tmp_path / "tracker.db")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["kept", "reloaded", "1", "1", "reloaded"], result.stdout


VALIDATION_SCRIPT = textwrap.dedent("""
    import sys, time
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction
    import channels.tracker_store  # what Rasa imports from bot/endpoints.yml; it brings the change
    action = RemoteAction("action_answer_protocol", None)
    good = {"events": [{"event": "slot", "name": "checklist_active", "value": True}],
            "responses": [{"text": "3.4 says ...", "custom": {"citations": ["3.4"]}}]}
    assert action._validate_action_result(good) is True
    for bad in ({"events": [{"event": "slot", "name": 3}]}, {"events": "none"}, {"responses": [1]}):
        try:
            action._validate_action_result(bad)
        except ValidationError as error:
            assert "Failed to validate Action server response" in error.message
        else:
            print("accepted", bad)
            sys.exit(1)
    started = time.perf_counter()
    for _ in range(20):
        action._validate_action_result(good)
    print(f"{(time.perf_counter() - started) / 20 * 1000:.2f}")
""")


def test_action_responses_are_still_validated_with_rasas_error_but_without_rechecking_the_schema(tmp_path: Path) -> None:
    result = in_rasa_environment(VALIDATION_SCRIPT, tmp_path / "unused.db")
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    milliseconds = float(result.stdout.split()[-1])
    assert milliseconds < 10, f"{milliseconds} ms per response: the schema is being re-checked"  # ~35 ms if so
