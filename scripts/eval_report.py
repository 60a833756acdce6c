"""Write docs/EVALUATION.md: protocol-answer accuracy per set, per section and per tag.

    .venv-app/bin/python scripts/eval_report.py --rest http://127.0.0.1:5005   # through the running bot
    .venv-app/bin/python scripts/eval_report.py                               # the retriever in-process

Uses scripts/eval_protocol.py's scoring on the held-out sets listed in tests/heldout/sets.yml (those
with a never-inspected half are also reported by that half; tests/heldout/README.md says how each
set was used).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import eval_protocol  # noqa: E402
import heldout_sets  # noqa: E402



def report_sets() -> list[tuple[str, heldout_sets.HeldOutSet, str | None]]:
    """Newest set first; a set with a never-inspected half is reported by that half, then whole."""
    rows = []
    for held in reversed(heldout_sets.load()):
        if held.never_inspected:
            rows.append((f"{held.title}, never-inspected half", held, held.never_inspected))
            rows.append((f"{held.title}, whole", held, None))
        else:
            rows.append((held.title, held, None))
    return rows


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def in_document_order(name: str) -> tuple:
    """front, 1 ... 14, appendix-1 ... appendix-7, then the rest (tags, "none")."""
    number = name.split(".")[0]
    if name == "front":
        return (0, 0)
    if number.isdigit():
        return (1, int(number))
    if name.startswith("appendix-") and name[9:].isdigit():
        return (2, int(name[9:]))
    return (3, name)


def table(rows: dict[str, dict]) -> list[str]:
    lines = ["| | n | strict | any | top-3 | kept clean |", "|---|---|---|---|---|---|"]
    for name, row in sorted(rows.items(), key=lambda item: in_document_order(item[0])):
        lines.append(f"| {name} | {row['n']} | {pct(row['strict'])} | {pct(row['any'])} | {pct(row['top3'])} | "
                     f"{pct(row['out_of_scope_clean'])} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rest", metavar="URL", help="ask a running Rasa server's REST channel")
    parser.add_argument("--out", default=str(ROOT / "docs" / "EVALUATION.md"))
    args = parser.parse_args()
    ask = eval_protocol.rest(args.rest) if args.rest else eval_protocol.direct()
    ask("warm up")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    mode = f"through the running bot's REST channel ({args.rest})" if args.rest else "in-process"
    out = ["# Protocol answers: evaluation", "",
           f"Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC at commit {commit}, {mode}, by",
           f"`scripts/eval_report.py{' --rest ' + args.rest if args.rest else ''}`. Scoring: "
           "`scripts/eval_protocol.py` (strict = first citation is the expected first unit; any = first "
           "citation among the expected units; top-3 = expected first unit among the three offered; kept "
           "clean = a question to decline got no citation). The goal is ≥ 95 % strict and every "
           "question to decline kept clean.", ""]
    for title, held, half in report_sets():
        questions = held.questions(half)
        report = eval_protocol.metrics(eval_protocol.run(questions, ask))
        named = " + ".join(f"`{f.path}`" for f in held.files)
        out += [f"## {title}", "", f"{named}{' (--half ' + half + ')' if half else ''}: {report['questions']} questions, "
                f"{report['in_scope']} in scope, {report['out_of_scope']} to decline. Strict "
                f"**{pct(report['strict'])}**, any {pct(report['any'])}, top-3 {pct(report['top3'])}, kept clean "
                f"{pct(report['out_of_scope_clean'])}; latency p50 {report['latency_ms']['p50']} ms, "
                f"p95 {report['latency_ms']['p95']} ms.", "", "Per section:", ""]
        out += table(report["per_section"]) + ["", "Per kind of question:", ""] + table(report["per_tag"]) + [""]
    Path(args.out).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
