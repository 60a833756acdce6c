"""The one results table (console and Markdown), the goals it is judged against, and the results files."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

GOAL_RSS_MIB = 1.5 * 1024


@dataclass(frozen=True)
class Row:
    measure: str
    ours: str
    peer: str = "—"        # the BM25 keyword-search peer, where it has a figure
    goal: str = ""
    verdict: str = ""      # "✓ ..." / "✗ ..." / "" (no goal)

    @property
    def met(self) -> bool | None:
        return None if not self.verdict else self.verdict.startswith("✓")


def judge(value: float | None, limit: float, unit: str, at_most: bool = True, digits: int = 1) -> str:
    """'✓ 12.0 ms under' / '✗ 3.1 pp short (-3%)': met or not, and by how much."""
    if value is None:
        return "✗ not measured"
    met = value <= limit if at_most else value >= limit
    gap = abs(limit - value)
    if gap == 0:
        return "✓ met exactly"
    word = ("under" if met else "over") if at_most else ("above" if met else "short")
    relative = f" ({(value - limit) / limit:+.0%})" if limit and not met else ""
    return f"{'✓' if met else '✗'} {gap:.{digits}f}{unit} {word}{relative}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _ms(block: dict[str, Any] | None, key: str) -> float | None:
    return None if not block or key not in block else float(block[key])


def accuracy_rows(accuracy: dict[str, Any] | None) -> list[Row]:
    if not accuracy:
        return [Row("Held-out protocol questions", "skipped")]
    ours, bm25, ratio = accuracy["ours"], accuracy["bm25"], accuracy["strict_ratio"]
    n_in, n_out, via = ours["in_scope"], ours["out_of_scope"], accuracy["ours_via"]
    return [
        Row(f"Strict first citation ({n_in} in scope, {via})", _pct(ours["strict"]), _pct(bm25["strict"]),
            "≥ 95 %", judge(ours["strict"], 95.0, " pp", at_most=False)),
        Row("Strict first citation, ours ÷ BM25", "—" if ratio is None else f"{ratio:.2f}×", "1.00×",
            "≥ 1.65×", judge(ratio, 1.65, "×", at_most=False, digits=2)),
        Row("Any-citation", _pct(ours["any"]), _pct(bm25["any"])),
        Row("Top-3", _pct(ours["top3"]), _pct(bm25["top3"])),
        Row(f"Out-of-scope kept clean ({n_out})", _pct(ours["out_of_scope_clean"]),
            _pct(bm25["out_of_scope_clean"]), "100 %",
            judge(ours["out_of_scope_clean"], 100.0, " pp", at_most=False)),
    ]


def latency_rows(latency: dict[str, Any] | None) -> list[Row]:
    if not latency:
        return [Row("Latency through REST", "skipped")]
    one, many = latency["one_user"], latency["concurrent"]
    label_one = f"1 user, {one['messages']} msgs"
    label_many = f"{many['users']} users × {many['messages'] // max(1, many['users'])} msgs"
    rows = [
        Row(f"Latency p50, {label_one}", f"{_ms(one, 'p50_ms')} ms", goal="≤ 100 ms",
            verdict=judge(_ms(one, "p50_ms"), 100, " ms")),
        Row(f"Latency p95, {label_one}", f"{_ms(one, 'p95_ms')} ms", goal="≤ 250 ms",
            verdict=judge(_ms(one, "p95_ms"), 250, " ms")),
        Row(f"Latency max, {label_one}", f"{_ms(one, 'max_ms')} ms"),
    ]
    if one.get("p50_per_block_ms"):
        blocks = " → ".join(f"{p50:.0f}" for p50 in one["p50_per_block_ms"])
        rows.append(Row(f"Latency p50 per {one['block']} msgs as that conversation grows", f"{blocks} ms"))
    rows += [
        Row(f"Latency p50, {label_many}", f"{_ms(many, 'p50_ms')} ms"),
        Row(f"Latency p95, {label_many}", f"{_ms(many, 'p95_ms')} ms", goal="≤ 1 000 ms",
            verdict=judge(_ms(many, "p95_ms"), 1000, " ms")),
        Row(f"Latency max, {label_many}", f"{_ms(many, 'max_ms')} ms"),
        Row(f"Throughput, 1 user / {many['users']} users", f"{one['throughput_msg_per_s']} / "
            f"{many['throughput_msg_per_s']} msg/s"),
    ]
    rows.append(Row(f"Checklist answers recorded, 1 user / {many['users']} users",
                    f"{one['answers_recorded']} / {many['answers_recorded']}"))
    errors = one["errors"] + many["errors"]
    rows.append(Row("Failed messages (HTTP error / no reply)", str(errors), goal="none",
                    verdict="✓ none" if errors == 0 else f"✗ {errors} failed"))
    return rows


def training_rows(training: dict[str, Any]) -> list[Row]:
    rows = []
    if training.get("cold_s") is None:
        rows.append(Row("Training from cold (rasa train, empty cache)", "skipped (--skip-training)", goal="≤ 180 s"))
    else:
        rows += [Row("Training from cold (rasa train, empty cache)", f"{training['cold_s']:.0f} s", goal="≤ 180 s",
                     verdict=judge(training["cold_s"], 180, " s", digits=0)),
                 Row("Training again, cache populated (rasa train)", f"{training['warm_cache_s']:.0f} s"
                     + (" (inputs changed meanwhile)" if training.get("inputs_changed") else ""))]
    label = "make train, inputs unchanged (scripts/train.py)"
    if training.get("unchanged_s") is None:
        rows.append(Row(label, f"not measured: {training.get('said', '')}", goal="no retraining"))
    elif training["retrained"]:
        rows.append(Row(label, f"{training['unchanged_s']:.2f} s, RETRAINED", goal="no retraining",
                        verdict="✗ it retrained"))
    else:
        rows.append(Row(label, f"{training['unchanged_s']:.2f} s, no retraining", goal="no retraining",
                        verdict="✓ no retraining"))
    return rows


def memory_rows(memory: dict[str, Any] | None) -> list[Row]:
    if not memory:
        return [Row("Resident memory", "skipped")]
    rows = [Row(f"RSS {name} (with children)", f"{block['rss_mib']:.0f} MiB")
            for name, block in memory.items() if name != "total"]
    total = memory["total"]["rss_mib"]
    rows.append(Row("RSS all three processes", f"{total:.0f} MiB", goal="≤ 1 536 MiB",
                    verdict=judge(total, GOAL_RSS_MIB, " MiB", digits=0)))
    return rows


def summary_rows(summary: dict[str, Any]) -> list[Row]:
    n = f"{summary['entries']:,}".replace(",", " ")
    return [Row(f"Case summary, {n} entries (best / median of {summary['repeats']})",
                f"{summary['best_ms']:.1f} / {summary['median_ms']:.1f} ms", goal="≤ 50 ms",
                verdict=judge(summary["median_ms"], 50, " ms"))]


def fresh_clone_rows(clone: dict[str, Any] | None) -> list[Row]:
    if not clone:
        return [Row("Fresh clone → first answer (make run)", "not run (--fresh-clone)")]
    label = f"Fresh clone of {'HEAD' if clone['what'] == 'head' else 'HEAD + work tree'} → first answer"
    if clone.get("error"):
        reached = clone["steps"][-1] if clone.get("steps") else (0, "nothing")
        return [Row(label, f"FAILED after {reached[0]:.0f} s at “{reached[1][:40]}”", goal="answers",
                    verdict="✗ make run failed")]
    return [Row(f"{label} (make run, warm pip cache)", f"{clone['seconds']:.0f} s", goal="answers",
                verdict="✓ answered")]


PHASE_LABELS = {"case_summary": "summary", "training": "training", "accuracy": "accuracy",
                "latency_one_user": "1 user", "latency_concurrent": "many users", "fresh_clone": "clone"}


def others_load_row(load: dict[str, dict[str, float]] | None) -> list[Row]:
    """Other people's CPU use while we measured (a shared machine makes timings pessimistic)."""
    if not load:
        return []
    phases = [f"{PHASE_LABELS.get(phase, phase)} {figures['others_cores']:.1f}" for phase, figures in load.items()]
    return [Row("Others' CPU while measuring (cores)", " · ".join(phases))]


def build_rows(results: dict[str, Any]) -> list[Row]:
    return (accuracy_rows(results.get("accuracy")) + latency_rows(results.get("latency"))
            + training_rows(results["training"]) + memory_rows(results.get("memory"))
            + summary_rows(results["case_summary"]) + fresh_clone_rows(results.get("fresh_clone"))
            + others_load_row(results.get("others_load")))


HEADER = ("Measure", "Ours", "BM25 peer", "Goal", "Result")


def _cells(row: Row) -> tuple[str, ...]:
    return row.measure, row.ours, row.peer, row.goal, row.verdict


def console_table(rows: list[Row]) -> str:
    widths = [max(len(cells[i]) for cells in [HEADER, *map(_cells, rows)]) for i in range(len(HEADER))]
    line = lambda cells: "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(HEADER), line(tuple("-" * w for w in widths)), *(line(_cells(r)) for r in rows)])


def markdown(results: dict[str, Any], rows: list[Row]) -> str:
    machine = results["machine"]
    lines = [
        f"Measured {machine['date']} on {machine['cores']} cores, {machine['memory_gib']} GiB, {machine['cpu']} "
        f"({machine['os']}, Python {machine['python']}, commit {machine['commit']}"
        + (f", model {results['model_served']}" if results.get("model_served") else "")
        + f"), by `{results['command']}`.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in _cells(row)) + " |" for row in rows),
    ]
    notes = results.get("notes") or []
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], rows: list[Row], folder: Path) -> tuple[Path, Path]:
    """results.json (every figure, the table rows and whether each goal was met) and results.md."""
    folder.mkdir(parents=True, exist_ok=True)
    as_json = dict(results, table=[asdict(row) | {"met": row.met} for row in rows])
    json_path, md_path = folder / "results.json", folder / "results.md"
    json_path.write_text(json.dumps(as_json, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results, rows), encoding="utf-8")
    return json_path, md_path
