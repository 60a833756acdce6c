"""Measure the assistant: protocol answers against a BM25 keyword peer, latency, training, memory, case summary.

    make bench                                                  # everything but the fresh clone (~5-8 min)
    .venv-app/bin/python scripts/bench.py --skip-training       # quick run: no cold/warm rasa train
    .venv-app/bin/python scripts/bench.py --fresh-clone         # also clone -> make run -> first answer (+~10 min)
    .venv-app/bin/python scripts/bench.py --fresh-clone worktree   # ... of the clone with the uncommitted work laid over

Needs `make train` first (make bench does it). Starts its own stack (scripts/run.py's Stack) on free
loopback ports with fresh temporary databases and trains into temporary folders, so build/models,
build/rasa-cache and var/ are left alone. Prints one table and writes the same figures to
build/bench/results.json and build/bench/results.md (Rasa's training output: build/bench/training.log).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from benchmarks import (accuracy, case_summary, contention, fresh_clone, latency, machine,  # noqa: E402
                        memory, report, training)
from benchmarks.stack import running_stack  # noqa: E402

OUT = ROOT / "build" / "bench"
DEV_QUESTIONS = ROOT / "tests" / "protocol" / "dev_questions.yml"
OthersLoad = dict[str, dict[str, float]]


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def dev_questions_for_latency() -> list[str]:
    """In-scope questions of the development set (never the held-out set) for the latency mix."""
    return [str(q["q"]) for q in accuracy.load_questions(DEV_QUESTIONS) if q.get("expect") != "out_of_scope"]


def measure_stack(args: argparse.Namespace, others_load: OthersLoad) -> dict[str, Any]:
    """Accuracy over REST, latency for one and for many users, then memory, on one fresh stack."""
    step("Starting a stack of its own on free ports with fresh databases")
    held_out = accuracy.load_questions(args.questions)
    questions = dev_questions_for_latency()
    with running_stack(args.out / "stack.log") as bench:
        step(f"Protocol questions ({len(held_out)}, {args.questions.name}) through REST, then through BM25")
        with contention.watch(others_load, "accuracy"):
            ours = accuracy.ours_over_rest(bench.rasa_url, held_out)
        bm25 = accuracy.bm25_baseline(held_out)
        step(f"Latency: 1 signed-in user, {args.messages} messages")
        with contention.watch(others_load, "latency_one_user"):
            one = latency.one_user(bench.rasa_url, bench.identity_secret, questions, args.messages)
        step(f"Latency: {args.users} users at once, {args.messages_each} messages each")
        with contention.watch(others_load, "latency_concurrent"):
            many = latency.concurrent_users(bench.rasa_url, bench.identity_secret, questions, args.users,
                                            args.messages_each)
        step("Resident memory of the three processes")
        rss = memory.stack_memory(bench.pids())
    return {
        "accuracy": {"ours": ours, "bm25": bm25, "ours_via": "REST",
                     "strict_ratio": accuracy.ratio(ours["strict"], bm25["strict"])},
        "latency": {"one_user": one, "concurrent": many},
        "memory": rss,
        "model_served": bench.model.name,
    }


def measure_training(args: argparse.Namespace, others_load: OthersLoad) -> dict[str, Any]:
    step("Training: scripts/train.py with unchanged inputs")
    figures: dict[str, Any] = training.unchanged_inputs()
    if args.skip_training:
        return figures | {"cold_s": None, "warm_cache_s": None}
    log = args.out / "training.log"
    step(f"Training: rasa train from cold, then with its cache populated (1-4 minutes; log {log})")
    with contention.watch(others_load, "training"):
        return figures | training.cold_and_warm(log)


def notes(results: dict[str, Any]) -> list[str]:
    """What each figure is, in words, for the Markdown file."""
    found = [
        "Protocol scores: scripts/eval_protocol.py's scoring; ours asked through the running stack's Rasa REST "
        "channel (a new anonymous sender per question), BM25 over the same citation units on the same "
        "questions (it always cites, so it never keeps an out-of-scope question clean).",
        "Latency: client-side time per message through Rasa's REST channel, Rasa server + action server + "
        "SQLite case and tracker stores; signed in as 'demo' (a signed claim per message), checklist answers "
        "(3.4, then 10.9) with a development-set protocol question after every third answer, a new case "
        "after both checklists; the one-user run is one conversation (one sender), 20 users are 20 threads "
        "with no pause between messages.",
        "Training: cold = scripts/train.py's rasa train into a fresh RASA_CACHE_DIRECTORY and output folder, "
        "Rasa's start-up included; unchanged = scripts/train.py finding the model for these inputs.",
    ]
    if results.get("memory"):
        found.append("Memory: RSS of each process with its children after the latency runs (shared pages count "
                     f"once per process; PSS total {results['memory']['total']['pss_mib']:.0f} MiB).")
    found.append("Others' CPU: average cores used by processes this bench did not start, per phase; on a "
                 "shared machine a busy phase's timings are pessimistic.")
    clone = results.get("fresh_clone")
    if clone and not clone.get("error"):
        source = "the committed HEAD" if clone["what"] == "head" else "HEAD with this checkout's uncommitted files"
        found.append(f"Fresh clone: git clone of {source} beside this checkout, then make run (both "
                     "virtualenvs from pip's local cache — a warm-cache figure —, spaCy pipeline, cold training, "
                     "start-up) until the first cited REST answer; steps: "
                     + "; ".join(f"{seconds:.0f} s {text}" for seconds, text in clone["steps"]))
    return found


def command_line() -> str:
    command = " ".join([".venv-app/bin/python", "scripts/bench.py", *sys.argv[1:]])
    return f"make bench ({command})" if os.environ.get("MAKELEVEL") else command


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-training", action="store_true", help="skip cold and warm rasa train (quick runs)")
    parser.add_argument("--fresh-clone", nargs="?", const="head", choices=("head", "worktree"),
                        help="also time git clone -> make run -> first answer (reinstalls both virtualenvs); "
                             "'worktree' lays this checkout's uncommitted files over the clone first")
    parser.add_argument("--messages", type=int, default=200, help="messages in the one-user latency run")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--messages-each", type=int, default=25, help="messages per concurrent user")
    parser.add_argument("--summary-entries", type=int, default=10_000, help="entries in the summarised case")
    parser.add_argument("--questions", type=Path, default=accuracy.HELDOUT, help="protocol question set")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for results.json and results.md")
    args = parser.parse_args()
    args.out = args.out.resolve()
    return args


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    others_load: OthersLoad = {}
    results: dict[str, Any] = {"machine": machine.describe(), "command": command_line(), "others_load": others_load}
    step(f"Case summary with {args.summary_entries} entries (temporary SQLite store)")
    with contention.watch(others_load, "case_summary"):
        results["case_summary"] = case_summary.time_summary(args.summary_entries)
    results["training"] = measure_training(args, others_load)
    results |= measure_stack(args, others_load)
    if args.fresh_clone:
        step(f"Fresh clone ({args.fresh_clone}) -> make run -> first answer (reinstalls both virtualenvs: 5-10 min)")
        with contention.watch(others_load, "fresh_clone"):
            results["fresh_clone"] = fresh_clone.fresh_clone_to_first_answer(args.out / "fresh-clone.log",
                                                                             args.fresh_clone)
    results["notes"] = notes(results)
    results["bench_seconds"] = round(time.monotonic() - started)
    rows = report.build_rows(results)
    json_path, md_path = report.write(results, rows, args.out)
    print()
    print(report.console_table(rows))
    missed = sum(1 for row in rows if row.met is False)
    print(f"\n{missed} goal(s) missed. Written: {json_path}, {md_path} ({results['bench_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
