"""knowledge/data/retrieval.yml and the question bank (knowledge/data/questions/*.yml): hints, synonyms,
decline cues and practitioner questions per unit, validated against the units."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from knowledge import KnowledgeBase, KnowledgeError

RETRIEVAL_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "retrieval.yml"
QUESTIONS_DIR = RETRIEVAL_FILE.parent / "questions"
DECLINES_FILE = RETRIEVAL_FILE.parent / "declines.yml"
DECLINE_KINDS = ("out_of_scope", "silent")


@dataclass(frozen=True)
class Synonym:
    say: tuple[str, ...]
    means: str
    weight: float = 1.0


@dataclass(frozen=True)
class SilentTopic:
    topic: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class RetrievalData:
    hints: dict[str, list[str]]
    synonyms: list[Synonym]
    related: dict[str, list[str]]
    out_of_scope: list[str]
    silent: list[SilentTopic]
    loss_triggers: dict[str, list[str]] = field(default_factory=dict)
    caution_triggers: dict[str, list[str]] = field(default_factory=dict)  # caution id -> cue phrases
    document_questions: dict[str, list[str]] = field(default_factory=dict)  # loss id -> cue phrases
    spellings: dict[str, str] = field(default_factory=dict)
    topic_terms: list[str] = field(default_factory=list)
    asked: dict[str, list[str]] = field(default_factory=dict)   # the question bank: unit id -> questions
    declined: dict[str, list[str]] = field(default_factory=dict)  # the decline bank: kind -> questions


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise KnowledgeError(f"retrieval.yml: {where}: expected a list of non-empty strings")
    return list(value)


def _unit_ids(kb: KnowledgeBase, ids: Any, where: str) -> list[str]:
    for unit_id in _strings(ids, where):
        if unit_id not in kb.units:
            raise KnowledgeError(f"retrieval.yml: {where}: unknown unit {unit_id!r}")
    return list(ids)


def parse(raw: Any, kb: KnowledgeBase) -> RetrievalData:
    if not isinstance(raw, dict):
        raise KnowledgeError("retrieval.yml: expected a mapping at the top level")
    unknown = set(raw) - {"hints", "synonyms", "related", "out_of_scope", "silent", "loss_triggers",
                          "caution_triggers", "document_questions", "spellings", "topic_terms"}
    if unknown:
        raise KnowledgeError(f"retrieval.yml: unknown keys {sorted(unknown)}")
    hints = {}
    for unit_id, phrases in (raw.get("hints") or {}).items():
        _unit_ids(kb, [str(unit_id)], "hints")
        hints[str(unit_id)] = _strings(phrases, f"hints.{unit_id}")
    synonyms = []
    for index, entry in enumerate(raw.get("synonyms") or []):
        if not isinstance(entry, dict) or set(entry) - {"say", "means", "weight"} or "means" not in entry:
            raise KnowledgeError(f"retrieval.yml: synonyms[{index}]: needs say, means and optional weight")
        weight = float(entry.get("weight", 1.0))
        if not 0 < weight <= 1:
            raise KnowledgeError(f"retrieval.yml: synonyms[{index}]: weight must be in (0, 1]")
        synonyms.append(Synonym(tuple(_strings(entry.get("say"), f"synonyms[{index}].say")),
                                str(entry["means"]), weight))
    related = {str(unit_id): _unit_ids(kb, targets, f"related.{unit_id}")
               for unit_id, targets in (raw.get("related") or {}).items()}
    _unit_ids(kb, list(related), "related")
    silent = []
    for index, entry in enumerate(raw.get("silent") or []):
        if not isinstance(entry, dict) or set(entry) != {"topic", "cues"}:
            raise KnowledgeError(f"retrieval.yml: silent[{index}]: needs topic and cues")
        silent.append(SilentTopic(str(entry["topic"]), tuple(_strings(entry["cues"], f"silent[{index}]"))))
    loss_ids = {loss.id for loss in kb.losses}
    triggers = _cues_for(raw, "loss_triggers", loss_ids, "loss")
    caution_triggers = _cues_for(raw, "caution_triggers", {caution.id for caution in kb.cautions}, "caution")
    document_questions = _cues_for(raw, "document_questions", loss_ids, "loss")
    spellings = raw.get("spellings") or {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in spellings.items()):
        raise KnowledgeError("retrieval.yml: spellings: expected word: replacement strings")
    return RetrievalData(hints=hints, synonyms=synonyms, related=related,
                         out_of_scope=_strings(raw.get("out_of_scope") or [], "out_of_scope"),
                         silent=silent, loss_triggers=triggers, caution_triggers=caution_triggers,
                         document_questions=document_questions,
                         spellings={k.lower(): v.lower() for k, v in spellings.items()},
                         topic_terms=_strings(raw.get("topic_terms") or [], "topic_terms"))


def _cues_for(raw: dict, key: str, known: set[str], what: str) -> dict[str, list[str]]:
    """`key: {<a known id>: [cue phrases]}`; an unknown id is an error naming it."""
    cues = {}
    for owner, phrases in (raw.get(key) or {}).items():
        if owner not in known:
            raise KnowledgeError(f"retrieval.yml: {key}: unknown {what} {owner!r}")
        cues[owner] = _strings(phrases, f"{key}.{owner}")
    return cues


def fold(text: str) -> str:
    """Case, punctuation and spacing folded away: how two questions are compared for sameness."""
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def parse_questions(raw: Any, kb: KnowledgeBase, name: str) -> dict[str, list[str]]:
    """One question-bank file: unit id -> practitioner questions that unit answers best."""
    if not isinstance(raw, dict):
        raise KnowledgeError(f"questions/{name}: expected a mapping of unit id -> questions")
    bank: dict[str, list[str]] = {}
    for unit_id, questions in raw.items():
        _unit_ids(kb, [str(unit_id)], f"questions/{name}")
        bank[str(unit_id)] = list(dict.fromkeys(_strings(questions, f"questions/{name}: {unit_id}")))
    return bank


def load_questions(kb: KnowledgeBase, directory: Path = QUESTIONS_DIR) -> dict[str, list[str]]:
    """Every file of the bank, merged. The same question under two units is a contradiction."""
    bank: dict[str, list[str]] = {}
    owner: dict[str, tuple[str, str]] = {}
    for path in sorted(directory.glob("*.yml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise KnowledgeError(f"questions/{path.name}: malformed YAML: {error}") from None
        for unit_id, questions in parse_questions(raw, kb, path.name).items():
            for question in questions:
                first = owner.setdefault(fold(question), (unit_id, path.name))
                if first[0] != unit_id:
                    raise KnowledgeError(f"questions/{path.name}: {question!r} is under {unit_id} here and under "
                                         f"{first[0]} in questions/{first[1]}")
            bank.setdefault(unit_id, []).extend(questions)
    return bank


def load_declines(path: Path = DECLINES_FILE) -> dict[str, list[str]]:
    """Questions to decline, by kind: out of scope, or protocol-like where the protocol is silent."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except yaml.YAMLError as error:
        raise KnowledgeError(f"declines.yml: malformed YAML: {error}") from None
    if not isinstance(raw, dict) or set(raw) - set(DECLINE_KINDS):
        raise KnowledgeError(f"declines.yml: expected a mapping with the keys {', '.join(DECLINE_KINDS)}")
    declined = {}
    for kind in DECLINE_KINDS:
        questions = raw.get(kind) or []
        if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
            raise KnowledgeError(f"declines.yml: {kind}: expected a list of non-empty strings")
        declined[kind] = list(dict.fromkeys(questions))
    return declined


def load(kb: KnowledgeBase, path: Path = RETRIEVAL_FILE, questions: Path | None = QUESTIONS_DIR) -> RetrievalData:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"retrieval.yml: not found at {path}") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"retrieval.yml: malformed YAML: {error}") from None
    data = parse(raw, kb)
    if questions is None:
        return data
    asked, declined = load_questions(kb, questions), load_declines(questions.parent / DECLINES_FILE.name)
    answered = {fold(q): unit_id for source in (asked, data.hints) for unit_id, listed in source.items() for q in listed}
    for kind, listed in declined.items():
        for question in listed:
            if fold(question) in answered:
                raise KnowledgeError(f"declines.yml: {question!r} is to be declined ({kind}) but is answered by "
                                     f"{answered[fold(question)]} in the question bank or hints")
    return replace(data, asked=asked, declined=declined)
