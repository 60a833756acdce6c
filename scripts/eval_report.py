"""Write docs/EVALUATION.md: protocol-answer accuracy per set, per section and per tag.

    .venv-app/bin/python scripts/eval_report.py --rest http://127.0.0.1:5005   # through the running bot
    .venv-app/bin/python scripts/eval_report.py                               # the retriever in-process

Uses scripts/eval_protocol.py's scoring on the four held-out sets (the later three also by
halves; see tests/heldout/README.md for which halves have never been inspected).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import eval_protocol  # noqa: E402

THIRD = ("tests/heldout/third_teams.yml", "tests/heldout/third_induction.yml")
SETS = [  # title, question files, half of each file ("even": never inspected) or None for all
    ("Fourth set, never-inspected half", ("tests/heldout/fourth_questions.yml",), "even"),
    ("Fourth set, whole", ("tests/heldout/fourth_questions.yml",), None),
    ("Third set, never-inspected halves", THIRD, "even"),
    ("Third set, whole", THIRD, None),
    ("Fresh set, never-inspected half", ("tests/heldout/fresh_questions.yml",), "even"),
    ("Fresh set, whole", ("tests/heldout/fresh_questions.yml",), None),
    ("First held-out set (read before; optimistic)", ("tests/heldout/questions.yml",), None),
]


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
    for title, paths, half in SETS:
        questions = []
        for path in paths:
            listed = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
            questions += (listed[0::2] if half == "even" else listed[1::2]) if half else listed
        report = eval_protocol.metrics(eval_protocol.run(questions, ask))
        named = " + ".join(f"`{path}`" for path in paths)
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
