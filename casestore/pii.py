"""Personal details guard: find dates of birth, phone numbers, postcodes, NHS numbers, e-mail
addresses, street addresses and names in free text before it is written to the case record (and,
in the web chat, before a message is passed to Rasa, whose conversation store keeps it).

Names are found where something says it is one: a title ("Mr Smith"), "called"/"named"/"known
as", a known first name followed by a surname ("Sarah Davies"), or an age in brackets after a
capitalised word ("Mia (4)"). A lone first name, and any name typed in lower case ("dad is
gareth"), is not found: patterns cannot tell those from ordinary words reliably.

A date is reported only when it reads as a date of birth: after a cue such as "DOB" or "born",
or with a year well in the past (`date_of_birth` in the patterns file). Event dates in notes
("seen 12/03/2026") are left alone.

Patterns live in `casestore/pii_patterns.yml` (spaCy Matcher token patterns on a blank English
tokenizer, no model). The pipeline and matcher are built once per process. The case service
does not screen by itself: the caller decides (ask to rephrase, or record on confirmation).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

PATTERNS_FILE = Path(__file__).resolve().parent / "pii_patterns.yml"


@dataclass(frozen=True)
class Finding:
    kind: str  # date | phone | postcode | nhs_number | email | address | titled_name | given_name
    #            | full_name | name_with_age
    label: str  # e.g. "a phone number"
    text: str
    start: int  # character offsets in the screened text
    end: int


@dataclass(frozen=True)
class BirthDateRule:
    cues: frozenset[str]
    window: int
    past_years: int
    labels: tuple[tuple[str, ...], ...]  # "DOB", "date of birth": taken with the date they label


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    return yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _birth_date_rule() -> BirthDateRule:
    spec = _patterns()["date_of_birth"]
    labels = tuple(sorted({tuple(label.lower().split()) for label in spec.get("labels") or ()}, key=len,
                          reverse=True))
    return BirthDateRule(frozenset(spec["cues"]), spec["window"], spec["past_years"], labels)


@functools.lru_cache(maxsize=1)
def _exclusions() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Per kind: the words that make a match something else when they come just before it
    (`not_after`), and the matches that are not personal details (`not_these`), lower-cased."""
    kinds = _patterns()["kinds"].items()
    return ({kind: frozenset(w.lower() for w in spec.get("not_after") or ()) for kind, spec in kinds},
            {kind: frozenset(t.lower() for t in spec.get("not_these") or ()) for kind, spec in kinds})


@functools.lru_cache(maxsize=1)
def _pipeline() -> tuple[Any, Any, dict[str, str]]:
    import spacy
    from spacy.matcher import Matcher

    data = _patterns()
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
    not_after, not_these = _exclusions()
    spans = [s for s in matcher(doc, as_spans=True)
             if not (s.start and doc[s.start - 1].lower_ in not_after[s.label_])
             and s.text.lower() not in not_these[s.label_]]
    found = [s for s in sorted(filter_spans(spans), key=lambda s: s.start)
             if s.label_ != "date" or _reads_as_birth_date(doc, s)]
    found = [_with_label(doc, s) if s.label_ == "date" else s for s in found]
    return [Finding(s.label_, labels[s.label_], s.text, s.start_char, s.end_char) for s in found]


def _reads_as_birth_date(doc: Any, span: Any) -> bool:
    """A cue such as "DOB" or "born" just before the date, or a year well in the past."""
    rule = _birth_date_rule()
    before = doc[max(0, span.start - rule.window) : span.start]
    if any(token.lower_.rstrip(".:") in rule.cues for token in before):
        return True
    year = _year_of(span.text)
    return year is not None and year <= date.today().year - rule.past_years


def _with_label(doc: Any, span: Any) -> Any:
    """The date with the words labelling it as a date of birth just before it ("DOB: 12/03/2015")."""
    start = span.start - 1 if span.start and doc[span.start - 1].text in (":", "-") else span.start
    for label in _birth_date_rule().labels:
        begin = start - len(label)
        if begin >= 0 and tuple(token.lower_ for token in doc[begin:start]) == label:
            return doc.char_span(doc[begin].idx, span.end_char, label=span.label_)
    return span


def _year_of(text: str) -> int | None:
    """The year of a matched date: four digits, or a two-digit year at the end (not in the
    future, so 26 is 2026 in 2026 and 27 is 1927)."""
    four = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text)
    if four:
        return int(four.group())
    two = re.search(r"[/.\-]\s*(\d{2})$", text)
    if not two:
        return None
    this_year = date.today().year
    year = this_year // 100 * 100 + int(two.group(1))
    return year if year <= this_year else year - 100


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
