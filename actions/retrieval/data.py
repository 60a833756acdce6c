"""knowledge/data/retrieval.yml: hints, synonyms and decline cues, validated against the units."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from knowledge import KnowledgeBase, KnowledgeError

RETRIEVAL_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "retrieval.yml"


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
    spellings: dict[str, str] = field(default_factory=dict)
    topic_terms: list[str] = field(default_factory=list)


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
                          "spellings", "topic_terms"}
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
    triggers = {}
    for loss_id, phrases in (raw.get("loss_triggers") or {}).items():
        if loss_id not in loss_ids:
            raise KnowledgeError(f"retrieval.yml: loss_triggers: unknown loss {loss_id!r}")
        triggers[loss_id] = _strings(phrases, f"loss_triggers.{loss_id}")
    spellings = raw.get("spellings") or {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in spellings.items()):
        raise KnowledgeError("retrieval.yml: spellings: expected word: replacement strings")
    return RetrievalData(hints=hints, synonyms=synonyms, related=related,
                         out_of_scope=_strings(raw.get("out_of_scope") or [], "out_of_scope"),
                         silent=silent, loss_triggers=triggers,
                         spellings={k.lower(): v.lower() for k, v in spellings.items()},
                         topic_terms=_strings(raw.get("topic_terms") or [], "topic_terms"))


def load(kb: KnowledgeBase, path: Path = RETRIEVAL_FILE) -> RetrievalData:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError(f"retrieval.yml: not found at {path}") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"retrieval.yml: malformed YAML: {error}") from None
    return parse(raw, kb)
