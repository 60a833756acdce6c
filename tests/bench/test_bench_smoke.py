"""Smoke test of scripts/bench.py's own parts (no stack, no training, no timing assertions)."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from benchmarks import case_summary, latency, machine, report
from benchmarks.stats import latency_summary, percentile


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_latency_summary_has_the_reported_keys() -> None:
    summary = latency_summary([10.0, 20.0, 30.0, 40.0])
    assert summary == {"n": 4, "p50_ms": 20.0, "p95_ms": 40.0, "max_ms": 40.0, "mean_ms": 25.0}


def test_judge_says_met_or_not_and_by_how_much() -> None:
    assert report.judge(80.0, 100, " ms") == "✓ 20.0 ms under"
    assert report.judge(125.0, 100, " ms") == "✗ 25.0 ms over (+25%)"
    assert report.judge(90.0, 95.0, " pp", at_most=False) == "✗ 5.0 pp short (-5%)"
    assert report.judge(None, 1, "").startswith("✗")


def test_the_conversation_opens_a_case_then_mixes_answers_and_questions() -> None:
    script = list(itertools.islice(latency.conversation(itertools.count(100), ["q1", "q2"]), 40))
    assert script[0] == "open case NW/2026/0100"
    assert script[1] == "start the 3.4 check for NW/2026/0100"
    assert "q1" in script and "q2" in script
    assert set(latency.ANSWERS) <= set(script)
    assert "start the 10.9 check for NW/2026/0100" in script
    assert "open case NW/2026/0101" in script


def test_case_summary_timing_on_1000_entries() -> None:
    figures = case_summary.time_summary(entries=1_000, repeats=2)
    assert figures["entries"] == 1_000 and figures["repeats"] == 2
    assert 0 < figures["best_ms"] <= figures["median_ms"]
    assert figures["current_answers"] == 200


def sample_results() -> dict:
    scores = {"questions": 10, "in_scope": 8, "out_of_scope": 2, "strict": 87.5, "any": 87.5, "top3": 100.0,
              "out_of_scope_clean": 100.0}
    timings = {"users": 1, "messages": 4, "n": 4, "p50_ms": 20.0, "p95_ms": 40.0, "max_ms": 40.0,
               "mean_ms": 25.0, "errors": 0, "throughput_msg_per_s": 40.0,
               "answers_recorded": 3}
    return {
        "machine": machine.describe(), "command": "scripts/bench.py --test",
        "case_summary": {"entries": 1000, "repeats": 2, "best_ms": 4.0, "median_ms": 5.0},
        "training": {"unchanged_s": 0.1, "retrained": False, "cold_s": None, "warm_cache_s": None},
        "accuracy": {"ours": scores, "bm25": dict(scores, strict=50.0, out_of_scope_clean=0.0),
                     "ours_via": "REST", "strict_ratio": 1.75},
        "latency": {"one_user": timings, "concurrent": dict(timings, users=2, messages=8)},
        "memory": {"rasa": {"rss_mib": 700.0, "pss_mib": 650.0, "processes": 1},
                   "total": {"rss_mib": 700.0, "pss_mib": 650.0, "processes": 1}},
        "notes": ["a note"],
    }


def test_results_are_written_as_json_and_markdown(tmp_path: Path) -> None:
    results = sample_results()
    rows = report.build_rows(results)
    json_path, md_path = report.write(results, rows, tmp_path / "bench")
    written = json.loads(json_path.read_text(encoding="utf-8"))
    assert written["accuracy"]["strict_ratio"] == 1.75
    assert [row["measure"] for row in written["table"]] == [row.measure for row in rows]
    assert any(row["met"] is False for row in written["table"])  # 87.5 % strict misses 95 %
    markdown = md_path.read_text(encoding="utf-8")
    assert "| Measure | Ours | BM25 peer | Goal | Result |" in markdown
    assert f"{results['machine']['cores']} cores" in markdown and "`scripts/bench.py --test`" in markdown
    assert "skipped (--skip-training)" in markdown and "not run (--fresh-clone)" in markdown
    table = report.console_table(rows)
    assert all(row.measure in table for row in rows)
