"""Generate the Rasa training data that comes from knowledge/ (run by the Makefile).

Checklist names, paragraph ids and glossary terms live once, in knowledge/; the NLU examples
that teach the bot to recognise them are written from there into bot/data/nlu/generated/
(ignored by git). Deterministic: the same knowledge gives byte-identical files.

    python bot/generate.py
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import knowledge  # noqa: E402

OUT = ROOT / "bot" / "data" / "nlu" / "generated"
STORIES_OUT = ROOT / "tests" / "stories" / "generated"
EXAMPLE_REFS = ["NW/2026/0012", "NW/2026/0031", "NW/2025/0144", "NW/2026/0208"]
LOOKUP_TEMPLATES = ["show me the text of {id}", "paragraph {id} in full", "read {id} to me please",
                    "quote {id}", "can i see {id} please", "full wording of {id}"]
START_TEMPLATES = ["start the {name} check for {ref}", "start {name} for case {ref}",
                   "go through {name} for {ref}", "record the {name} checklist on {ref}"]
BANK_PER_UNIT = 4   # practitioner questions per unit from the question bank, so NLU knows how questions sound
TERM_TEMPLATES = ["explain the term {term} please", "meaning of {term} in the protocol",
                  "definition of {term} please", "protocol meaning of {term}"]


def hand_written_examples() -> set[str]:
    """Examples already in bot/data/nlu (Rasa rejects an example given twice)."""
    import yaml

    seen: set[str] = set()
    for path in (ROOT / "bot" / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                seen.add(line.strip().lstrip("- ").strip().lower())
    return seen


def _block(intent: str, examples: list[str], exclude: set[str]) -> str:
    unique = sorted(set(e.strip() for e in examples if e.strip() and e.strip().lower() not in exclude))
    lines = "\n".join(f"      - {_quote(e)}" for e in unique)
    return f"  - intent: {intent}\n    examples: |\n{lines}\n"


def _quote(text: str) -> str:
    # NLU example lines are Markdown-ish; brackets and parentheses would read as entities.
    return text.replace("[", "").replace("]", "").replace("(", "").replace(")", "")


def _display(unit_id: str) -> str:
    return unit_id.replace("appendix-", "appendix ").replace("/", " ").replace("-", " ")


def lookup_examples(kb: knowledge.KnowledgeBase, rng: random.Random) -> list[str]:
    examples = []
    for unit_id in kb.unit_order:
        template = rng.choice(LOOKUP_TEMPLATES)
        examples.append(template.format(id=_display(unit_id)))
    return examples


def glossary_examples(kb: knowledge.KnowledgeBase, rng: random.Random) -> list[str]:
    examples = []
    for term in kb.glossary.values():
        for name in [term.term, *term.aliases[:2]]:
            examples.append(rng.choice(TERM_TEMPLATES).format(term=name))
    return examples


def checklist_examples(kb: knowledge.KnowledgeBase, rng: random.Random) -> list[str]:
    examples = []
    for checklist in kb.checklists.values():
        for name in (_display(checklist.id), checklist.title.lower()):
            examples.append(rng.choice(START_TEMPLATES).format(name=name, ref=rng.choice(EXAMPLE_REFS)))
    return examples


def checklist_test_stories(kb: knowledge.KnowledgeBase) -> str:
    """One test story per checklist: start it, answer, ask why, go back, pause, resume."""
    stories = []
    for checklist in kb.checklists.values():
        name = _display(checklist.id)
        stories.append(f"""  - story: checklist {checklist.id}
    steps:
      - user: |
          start the {name} check for NW/2026/0012
        intent: start_checklist
      - action: action_start_checklist
      - slot_was_set:
          - checklist_active: true
      - user: |
          not known
        intent: not_known
      - action: action_checklist_turn
      - user: |
          why?
        intent: ask_why
      - action: action_checklist_turn
      - user: |
          go back
        intent: go_back
      - action: action_checklist_turn
      - user: |
          pause
        intent: pause
      - action: action_checklist_turn
      - slot_was_set:
          - checklist_active: false
      - user: |
          resume
        intent: resume_checklist
      - action: action_resume_checklist
      - slot_was_set:
          - checklist_active: true
""")
    return "version: \"3.1\"\nstories:\n" + "".join(stories)


def bank_examples(kb: knowledge.KnowledgeBase, rng: random.Random) -> list[str]:
    """A few questions per unit from knowledge/data/questions: without them, questions about forms
    and assessments ("what are the key areas in the analysis part") sound like checklist commands."""
    from actions.retrieval.data import load_questions

    bank = load_questions(kb)
    examples = []
    for unit_id in kb.unit_order:
        questions = sorted(bank.get(unit_id, []))
        examples += rng.sample(questions, min(BANK_PER_UNIT, len(questions)))
    return examples


def main() -> None:
    kb = knowledge.load()
    rng = random.Random(20180601)
    OUT.mkdir(parents=True, exist_ok=True)
    body = "version: \"3.1\"\nnlu:\n"
    exclude = hand_written_examples()
    body += _block("ask_protocol", lookup_examples(kb, rng) + glossary_examples(kb, rng) + bank_examples(kb, rng),
                   exclude)
    body += _block("start_checklist", checklist_examples(kb, rng), exclude)
    header = "# Generated by bot/generate.py from knowledge/; do not edit.\n"
    (OUT / "from_knowledge.yml").write_text(header + body, encoding="utf-8")
    STORIES_OUT.mkdir(parents=True, exist_ok=True)
    (STORIES_OUT / "checklists.yml").write_text(header + checklist_test_stories(kb), encoding="utf-8")
    print(f"==> Generated {OUT.relative_to(ROOT)}/from_knowledge.yml and "
          f"{STORIES_OUT.relative_to(ROOT)}/checklists.yml from knowledge/")


if __name__ == "__main__":
    main()
