"""Typed records for the protocol's units and the hand-written data that cites them.

Data-file models are strict: unknown fields are rejected, strings must be strings (so an
unquoted `3.10` or `yes` in YAML is an error, not a silent `3.1` or `True`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Literal, Optional, Tuple

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr, root_validator, validator

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UnitKind = Literal["front", "paragraph", "section", "appendix", "appendix-part"]


class KnowledgeError(Exception):
    """A knowledge file is missing, malformed or inconsistent; the message names file and item."""


class Strict(BaseModel):
    class Config:
        extra = "forbid"
        allow_mutation = False
        allow_population_by_field_name = True


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"{value!r} is not a lower-case slug (letters, digits, hyphens)")
    return value


class Unit(Strict):
    id: StrictStr
    title: StrictStr
    section_title: StrictStr
    section: StrictStr                  # "3.0", "front", "appendix-1"
    kind: UnitKind
    parent: Optional[StrictStr] = None  # appendix parts: "appendix-N"
    text: StrictStr
    order: StrictInt
    spans: Tuple[Tuple[int, int], ...]  # 1-based inclusive source line ranges the text came from

    @property
    def label(self) -> str:
        """How to name the unit to a practitioner: "3.4 — Early significant-harm factors"."""
        if self.kind in ("paragraph", "section"):
            return f"{self.id} — {self.title}"
        if self.kind == "front":
            return self.title
        appendix = self.section.replace("appendix-", "Appendix ")
        if self.kind == "appendix":
            return f"{appendix} — {self.title}"
        return f"{appendix}, {self.title}"


class ProtocolMeta(Strict):
    title: StrictStr
    board: StrictStr
    version: StrictStr
    issued: StrictStr
    review_date: StrictStr
    review_passed: Optional[StrictBool] = None  # filled in by the loader from today's date
    source_file: StrictStr


class AnswerKind(Strict):
    id: StrictStr
    label: StrictStr
    options: List[StrictStr] = []           # empty: the typed text is the answer
    note: Literal["none", "optional", "required"]
    note_required_for: List[StrictStr] = []  # options that make the note required
    note_prompt: Optional[StrictStr] = None

    @root_validator(skip_on_failure=True)
    def _note_options_known(cls, values: dict) -> dict:
        unknown = set(values["note_required_for"]) - set(values["options"])
        if unknown:
            raise ValueError(f"note_required_for names options not in options: {sorted(unknown)}")
        return values

    @property
    def free_text(self) -> bool:
        return not self.options


class Item(Strict):
    id: StrictStr
    text: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)
    kind: Optional[StrictStr] = None       # None in the file: the checklist's kind (filled in)
    asked_of: Optional[StrictStr] = None   # None in the file: the checklist's asked_of (filled in)
    group: Optional[StrictStr] = None
    also_called: List[StrictStr] = Field(default_factory=list)  # practitioners' names for it (quick triage)

    _id_is_slug = validator("id", allow_reuse=True)(_slug)

    @property
    def names(self) -> List[str]:
        """Its text and the other words it is named by."""
        return [self.text, *self.also_called]


class Checklist(Strict):
    id: StrictStr
    title: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)
    purpose: StrictStr
    intro: Optional[StrictStr] = None
    asked_of: Optional[StrictStr] = None
    kind: StrictStr = "yes_no_unknown"
    triage: StrictBool = False
    items: List[Item] = Field(..., min_items=1)

    @property
    def name(self) -> str:
        """As practitioners read it: "10.9 — Factors of concern", "Appendix 1 — Capacity to protect -
        siblings" (the id, "appendix-1/siblings", stays the citation and storage key)."""
        reference = self.id.split("/")[0]
        if reference.startswith("appendix-"):
            reference = "Appendix " + reference.removeprefix("appendix-")
        return f"{reference} — {self.title}"

    @validator("id")
    def _id_usable_in_full_ids(cls, value: str) -> str:
        if not value or ":" in value or value != value.strip() or " " in value:
            raise ValueError(f"checklist id {value!r} must be non-empty, without spaces or ':'")
        return value

    @root_validator(skip_on_failure=True)
    def _items_inherit_defaults(cls, values: dict) -> dict:
        values["items"] = [
            item.copy(update={"kind": item.kind or values["kind"],
                              "asked_of": item.asked_of or values["asked_of"]})
            for item in values["items"]
        ]
        return values

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KnowledgeError(f"checklist {self.id}: no item {item_id!r}")

    def full_id(self, item: Item) -> str:
        return f"{self.id}:{item.id}"


class Condition(Strict):
    item: Optional[StrictStr] = None       # "<checklist id>:<item id>"
    checklist: Optional[StrictStr] = None  # any item of this checklist
    answer: StrictStr

    @root_validator(skip_on_failure=True)
    def _exactly_one_target(cls, values: dict) -> dict:
        if (values["item"] is None) == (values["checklist"] is None):
            raise ValueError("a condition names exactly one of 'item' or 'checklist'")
        return values


class When(Strict):
    any: List[Condition] = Field(..., min_items=1)


class FlagRule(Strict):
    id: StrictStr
    when: When
    for_: Literal["strategy meeting", "child protection plan", "assessment"] = Field(..., alias="for")
    says: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)

    _id_is_slug = validator("id", allow_reuse=True)(_slug)


class GlossaryTerm(Strict):
    id: StrictStr
    term: StrictStr
    aliases: List[StrictStr] = []
    meaning: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)

    _id_is_slug = validator("id", allow_reuse=True)(_slug)

    @property
    def names(self) -> List[str]:
        return [self.term, *self.aliases]


class Offset(Strict):
    days: Optional[StrictInt] = None
    working_days: Optional[StrictInt] = None
    months: Optional[StrictInt] = None

    @root_validator(skip_on_failure=True)
    def _exactly_one_non_negative(cls, values: dict) -> dict:
        given = {unit: n for unit, n in values.items() if n is not None}
        if len(given) != 1 or next(iter(given.values())) < 0:
            raise ValueError("offset has exactly one of days, working_days, months, >= 0")
        return values

    @property
    def unit(self) -> str:
        return next(unit for unit in ("days", "working_days", "months") if getattr(self, unit) is not None)

    @property
    def amount(self) -> int:
        return getattr(self, self.unit)


class Timescale(Strict):
    id: StrictStr
    event: StrictStr
    from_: StrictStr = Field(..., alias="from")
    # Required, but may be null: some protocol timescales have no fixed length ("as soon as
    # possible", "within statutory timescales").
    offset: Optional[Offset] = Field(...)
    strength: Literal["must", "should", "best practice", "note"]
    says: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)

    _id_is_slug = validator("id", allow_reuse=True)(_slug)


class Step(Strict):
    id: StrictStr
    label: StrictStr
    kind: Literal["step", "decision", "outcome"]
    cites: List[StrictStr] = Field(..., min_items=1)

    _id_is_slug = validator("id", allow_reuse=True)(_slug)


class Edge(Strict):
    from_: StrictStr = Field(..., alias="from")
    to: StrictStr
    label: Optional[StrictStr] = None
    cites: List[StrictStr] = []


class Process(Strict):
    steps: List[Step] = []
    edges: List[Edge] = []

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KnowledgeError(f"process: no step {step_id!r}")

    def next_steps(self, step_id: str) -> List[Edge]:
        return [edge for edge in self.edges if edge.from_ == step_id]


class Loss(Strict):
    id: StrictStr
    says: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)

    _id_is_slug = validator("id", allow_reuse=True)(_slug)


class CautionQuote(Strict):
    cite: StrictStr                         # the unit the words are found in
    text: StrictStr                         # the protocol's words, verbatim (checked by the loader)


class Caution(Strict):
    """What the assistant says when asked for a verdict it cannot give or told a wrong premise:
    its own one-sentence reply, then the protocol's words that say why."""
    id: StrictStr
    reply: StrictStr
    quotes: List[CautionQuote] = Field(..., min_items=1)
    leads: StrictBool = False               # the quoted paragraph corrects the premise: it is the answer

    _id_is_slug = validator("id", allow_reuse=True)(_slug)

    @property
    def cites(self) -> List[str]:
        return list(dict.fromkeys(quote.cite for quote in self.quotes))


LOOKUP_FILLER = {"the", "a", "check", "checks", "checklist", "list", "paragraph", "para", "section",
                 "form", "questions", "indicators", "signs"}


def lookup_key(name: str) -> str:
    """Loose key for names people type: "the 3.4 check" -> "3.4", "Appendix-1/Siblings" -> "appendix 1 siblings"."""
    words = re.sub(r"[-/_:,()]+", " ", name.lower().translate(str.maketrans("–—’", "--'"))).split()
    return " ".join(word.strip(".") for word in words if word.strip(".") not in LOOKUP_FILLER)


@dataclass(frozen=True)
class KnowledgeBase:
    meta: ProtocolMeta
    units: Dict[str, Unit]                 # in document order
    checklists: Dict[str, Checklist]       # in document order of each checklist's first citation
    flags: List[FlagRule]
    glossary: Dict[str, GlossaryTerm]
    timescales: List[Timescale]
    process: Process
    losses: List[Loss]
    answer_kinds: Dict[str, AnswerKind]
    cautions: List[Caution] = field(default_factory=list)

    @property
    def unit_order(self) -> List[str]:
        return list(self.units)

    def unit(self, unit_id: str) -> Unit:
        try:
            return self.units[unit_id]
        except KeyError:
            raise KnowledgeError(f"no unit {unit_id!r}") from None

    @property
    def triage(self) -> Checklist:
        """The checklist taken as the quick duty triage (`triage: true`; the loader allows one)."""
        marked = next((checklist for checklist in self.checklists.values() if checklist.triage), None)
        if marked is None:
            raise KnowledgeError("no checklist is marked `triage: true`")
        return marked

    def checklist(self, checklist_id: str) -> Checklist:
        try:
            return self.checklists[checklist_id]
        except KeyError:
            raise KnowledgeError(f"no checklist {checklist_id!r}") from None

    def item(self, full_id: str) -> Item:
        """The item named "<checklist id>:<item id>", e.g. "3.4:previous-history"."""
        checklist_id, colon, item_id = full_id.rpartition(":")
        if not colon:
            raise KnowledgeError(f"{full_id!r} is not '<checklist id>:<item id>'")
        return self.checklist(checklist_id).item(item_id)

    def checklist_for(self, name: str) -> Optional[Checklist]:
        """The checklist a practitioner means by "3.4", "the 3.4 check", "appendix 1 siblings",
        "appendix-7" or its title; None when no single checklist matches."""
        key = lookup_key(name)
        if not key:
            return None
        for checklist in self.checklists.values():
            if key in (lookup_key(checklist.id), lookup_key(checklist.title)):
                return checklist
        # "siblings" alone, or "appendix 1 victim" for "appendix-1/victim": a unique word-suffix match
        matches = [checklist for checklist in self.checklists.values()
                   if lookup_key(checklist.id).endswith(" " + key)]
        return matches[0] if len(matches) == 1 else None

    def glossary_lookup(self, term: str) -> Optional[GlossaryTerm]:
        """The glossary entry whose term, alias or id matches (case and spacing ignored)."""
        wanted = " ".join(term.strip().strip("?.!").lower().split())
        for entry in self.glossary.values():
            if wanted == entry.id or wanted in (" ".join(name.lower().split()) for name in entry.names):
                return entry
        return None

    def losses_about(self, item: Item) -> List[Loss]:
        """Loss notes that quote this item in its own unit ("a Child Protection Plan" under opposite
        headings): shown with the item, and the item kept out of the quiz."""
        from knowledge.units import normalise  # knowledge.units imports this module

        wanted = normalise(item.text).rstrip(";.: ")
        return [loss for loss in self.losses if item.cites[0] in loss.cites and wanted in normalise(loss.says)]

    def answer_kind(self, item: Item) -> AnswerKind:
        return self.answer_kinds[item.kind or "yes_no_unknown"]
