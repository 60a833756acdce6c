"""Personal details guard: find dates, phone numbers, postcodes, NHS numbers, e-mail
addresses and names in free text before it is written to the case record.

Patterns live in `casestore/pii_patterns.yml` (spaCy Matcher token patterns on a blank English
tokenizer, no model). The pipeline and matcher are built once per process. The case service
does not screen by itself: the caller decides (ask to rephrase, or record on confirmation).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PATTERNS_FILE = Path(__file__).resolve().parent / "pii_patterns.yml"


@dataclass(frozen=True)
class Finding:
    kind: str  # date | phone | postcode | nhs_number | email | titled_name | given_name
    label: str  # e.g. "a phone number"
    text: str
    start: int  # character offsets in the screened text
    end: int


@functools.lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, Any, dict[str, str]]:
    import spacy
    from spacy.matcher import Matcher

    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab, validate=True)
    labels: dict[str, str] = {}
    for kind, spec in data["kinds"].items():
        labels[kind] = spec["label"]
        matcher.add(kind, spec["patterns"])
    return nlp, matcher, labels


def screen(text: str) -> list[Finding]:
    """Personal details found in `text`, in order; an empty list means none were found."""
    if not text or not text.strip():
        return []
    from spacy.util import filter_spans

    nlp, matcher, labels = _pipeline()
    doc = nlp.make_doc(text)
    spans = filter_spans(matcher(doc, as_spans=True))
    return [
        Finding(s.label_, labels[s.label_], s.text, s.start_char, s.end_char)
        for s in sorted(spans, key=lambda s: s.start)
    ]


def redact(text: str, findings: list[Finding] | None = None) -> str:
    """`text` with each finding replaced by `[kind]` (e.g. to echo it back safely)."""
    findings = screen(text) if findings is None else findings
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = f"{text[: finding.start]}[{finding.kind}]{text[finding.end :]}"
    return text


def describe(findings: list[Finding]) -> str:
    """A short plain-English list, e.g. "a phone number and a postcode"."""
    labels = list(dict.fromkeys(f.label for f in findings))
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]
