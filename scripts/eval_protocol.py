"""Measure which paragraphs the assistant cites for a set of questions.

    python scripts/eval_protocol.py [QUESTIONS.yml]            # through answer_question (no Rasa)
    python scripts/eval_protocol.py --rest http://127.0.0.1:5005  # through a running Rasa REST channel
    python scripts/eval_protocol.py --baseline                 # BM25 over unit texts only
    python scripts/eval_protocol.py tests/heldout/fresh_questions.yml --half even   # the never-inspected half
    python scripts/eval_protocol.py --bank-cv                  # 5-fold cross-validation over the question bank
    options: --json (metrics as JSON), --failures N (how many failures to print; default all)

Question files are YAML lists of {q, expect: [unit ids, best first] | out_of_scope, silent, section,
tags}. Scores: strict (first citation == expect[0]), any (first citation in expect), top-3 (expect[0]
among the first three ids offered), out-of-scope clean (no citations at all for out_of_scope).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout_sets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_SET = ROOT / "tests" / "protocol" / "dev_questions.yml"


@dataclass
class Result:
    question: dict
    citations: list[str]
    offered: list[str]       # ids shown or ranked, for top-3
    outcome: str
    seconds: float

    @property
    def in_scope(self) -> bool:
        return self.question.get("expect") != "out_of_scope"

    @property
    def strict(self) -> bool:
        return self.in_scope and bool(self.citations) and self.citations[0] == self.question["expect"][0]

    @property
    def any(self) -> bool:
        return self.in_scope and bool(self.citations) and self.citations[0] in self.question["expect"]

    @property
    def top3(self) -> bool:
        return self.in_scope and self.question["expect"][0] in self.offered[:3]

    @property
    def clean(self) -> bool:
        return not self.in_scope and not self.citations


def direct() -> Callable[[str], tuple[list[str], list[str], str]]:
    from actions.protocol_answer import answer_question

    def ask(question: str) -> tuple[list[str], list[str], str]:
        answer = answer_question(question, None)
        offered = list(dict.fromkeys(answer.citations[:1] + answer.ranked + answer.citations))
        return answer.citations, offered, answer.outcome
    return ask


def rest(url: str) -> Callable[[str], tuple[list[str], list[str], str]]:
    endpoint = url.rstrip("/") + "/webhooks/rest/webhook"

    def ask(question: str) -> tuple[list[str], list[str], str]:
        body = json.dumps({"sender": f"eval-{uuid.uuid4().hex[:12]}", "message": question}).encode()
        request = urllib.request.Request(endpoint, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            replies = json.loads(response.read())
        citations: list[str] = []
        for reply in replies:
            custom = reply.get("custom") or {}
            if isinstance(custom, dict) and custom.get("citations"):
                citations = list(custom["citations"])
                break
        offered = citations + [re.sub(r"^show me ", "", b.get("payload", "")) for r in replies
                               for b in r.get("buttons") or []]
        return citations, offered, "answer" if citations else "declined"
    return ask


def baseline() -> Callable[[str], tuple[list[str], list[str], str]]:
    from rank_bm25 import BM25Okapi

    import knowledge

    kb = knowledge.load()
    ids = list(kb.units)
    tokenise = lambda text: re.findall(r"[a-z0-9]+", text.lower())  # noqa: E731
    bm25 = BM25Okapi([tokenise(kb.units[unit_id].text) for unit_id in ids])

    def ask(question: str) -> tuple[list[str], list[str], str]:
        scores = bm25.get_scores(tokenise(question))
        ranked = [ids[i] for i in sorted(range(len(ids)), key=lambda i: -scores[i])[:3]]
        return ranked[:1], ranked, "answer"
    return ask


def run(questions: list[dict], ask: Callable[[str], tuple[list[str], list[str], str]]) -> list[Result]:
    results = []
    for question in questions:
        started = time.perf_counter()
        citations, offered, outcome = ask(str(question["q"]))
        results.append(Result(question, citations, offered, outcome, time.perf_counter() - started))
    return results


def rate(hits: list[bool]) -> float | None:
    return round(100 * sum(hits) / len(hits), 1) if hits else None


def metrics(results: list[Result]) -> dict:
    in_scope = [r for r in results if r.in_scope]
    declined = [r for r in results if not r.in_scope]
    sections: dict[str, list[Result]] = defaultdict(list)
    tags: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        sections[str(result.question.get("section", "?"))].append(result)
        for tag in result.question.get("tags") or []:
            tags[tag].append(result)

    def summary(group: list[Result]) -> dict:
        scoped = [r for r in group if r.in_scope]
        return {"n": len(group), "strict": rate([r.strict for r in scoped]), "any": rate([r.any for r in scoped]),
                "top3": rate([r.top3 for r in scoped]),
                "out_of_scope_clean": rate([r.clean for r in group if not r.in_scope])}
    timings = sorted(r.seconds * 1000 for r in results)
    return {
        "questions": len(results), "in_scope": len(in_scope), "out_of_scope": len(declined),
        "strict": rate([r.strict for r in in_scope]), "any": rate([r.any for r in in_scope]),
        "top3": rate([r.top3 for r in in_scope]), "out_of_scope_clean": rate([r.clean for r in declined]),
        "outcomes": dict(sorted(defaultdict(int, {o: sum(1 for r in results if r.outcome == o)
                                                  for o in {r.outcome for r in results}}).items())),
        "latency_ms": {"p50": round(statistics.median(timings), 2),
                       "p95": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
                       "max": round(timings[-1], 2)} if timings else {},
        "per_section": {name: summary(group) for name, group in sorted(sections.items())},
        "per_tag": {name: summary(group) for name, group in sorted(tags.items())},
    }


def failures(results: list[Result]) -> list[str]:
    lines = []
    for result in results:
        if result.in_scope and not result.strict:
            lines.append(f"  [{result.outcome}] {result.question['q']!r}: expected {result.question['expect']}, "
                         f"cited {result.citations[:3]} (offered {result.offered[:3]})")
        elif not result.in_scope and not result.clean:
            lines.append(f"  [{result.outcome}] {result.question['q']!r}: expected no citations, cited "
                         f"{result.citations[:3]}")
    return lines


def bank_cross_validation(folds: int = 5, seed: int = 1, failures: int = 0) -> int:
    """How well the retriever answers bank questions it has not been given: a measure of how it
    generalises to new phrasings, and a check on bank questions that point at the wrong unit."""
    import random
    from dataclasses import replace

    import knowledge
    from actions.retrieval import data as retrieval_data
    from actions.retrieval.frequency import Informativeness, load_probabilities
    from actions.retrieval.retriever import Retriever
    from actions.retrieval.text import Normaliser, load_pipeline

    kb = knowledge.load()
    data = retrieval_data.load(kb)
    normaliser, informativeness = Normaliser(load_pipeline()), Informativeness(load_probabilities())
    items = [(unit_id, question) for unit_id, questions in data.asked.items() for question in questions]
    random.Random(seed).shuffle(items)
    right = cited = 0
    misses = []
    started = time.perf_counter()
    for fold in range(folds):
        held = items[fold::folds]
        left_out = set(held)
        kept: dict[str, list[str]] = {}
        for unit_id, question in items:
            if (unit_id, question) not in left_out:
                kept.setdefault(unit_id, []).append(question)
        retriever = Retriever(kb, replace(data, asked=kept), normaliser, informativeness)
        for unit_id, question in held:
            decision = retriever.search(question)
            first = decision.unit_ids[:1] if decision.outcome.value in ("answer", "unsure") else []
            right += first == [unit_id]
            cited += bool(first)
            if first != [unit_id]:
                misses.append(f"  {unit_id}: {question!r} -> {decision.outcome.value} {decision.unit_ids[:3]}")
    n = len(items)
    print(f"question bank, {folds}-fold cross-validation: {n} questions over {len(data.asked)} units, "
          f"{time.perf_counter() - started:.0f} s")
    print(f"  strict first citation {100 * right / n:.1f}%   cited at all {100 * cited / n:.1f}%")
    print("\n".join(misses[:failures]))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--rest", metavar="URL", help="ask a running Rasa server's REST channel")
    parser.add_argument("--baseline", action="store_true", help="BM25 over unit texts only")
    parser.add_argument("--json", action="store_true", help="print metrics as JSON")
    parser.add_argument("--failures", type=int, default=None, help="print at most N failures")
    parser.add_argument("--half", choices=["odd", "even"],
                        help="only entries [1::2] (odd) or [0::2] (even); see tests/heldout/README.md")
    parser.add_argument("--bank-cv", action="store_true",
                        help="k-fold cross-validation over knowledge/data/questions: each bank question asked "
                             "of a retriever built without its fold")
    args = parser.parse_args()
    if args.bank_cv:
        return bank_cross_validation(failures=args.failures or 0)
    questions = yaml.safe_load(Path(args.questions).read_text(encoding="utf-8"))
    questions = heldout_sets.half_of(questions, args.half)
    ask = rest(args.rest) if args.rest else baseline() if args.baseline else direct()
    ask("warm up")
    results = run(questions, ask)
    report = metrics(results)
    report["mode"] = "rest" if args.rest else "baseline" if args.baseline else "direct"
    report["set"] = str(Path(args.questions))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['set']} via {report['mode']}: {report['questions']} questions "
          f"({report['in_scope']} in scope, {report['out_of_scope']} to decline)")
    print(f"  strict first citation {report['strict']}%   any {report['any']}%   top-3 {report['top3']}%   "
          f"out-of-scope clean {report['out_of_scope_clean']}%")
    print(f"  outcomes {report['outcomes']}   latency {report['latency_ms']}")
    print("  per section:")
    for name, row in report["per_section"].items():
        print(f"    {name:<14} n={row['n']:<3} strict={row['strict']} any={row['any']} top3={row['top3']} "
              f"clean={row['out_of_scope_clean']}")
    print("  per tag:")
    for name, row in report["per_tag"].items():
        print(f"    {name:<14} n={row['n']:<3} strict={row['strict']} any={row['any']} top3={row['top3']} "
              f"clean={row['out_of_scope_clean']}")
    lines = failures(results)
    print(f"  failures ({len(lines)}):")
    print("\n".join(lines[:args.failures] if args.failures is not None else lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
