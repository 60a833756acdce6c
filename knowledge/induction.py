"""The induction tour (knowledge/data/induction.yml): ordered stops through the protocol, and the
cautions a new worker must not miss, validated against the units.

    tour = knowledge.induction.load_tour()      # cached per knowledge root, like knowledge.load()
    tour.stops[0].cites, tour.cautions_at("safeguards-first")
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Union

from pydantic import Field, StrictStr, ValidationError, root_validator, validator

from knowledge.loader import PACKAGE_ROOT, load, read_yaml
from knowledge.model import SLUG, KnowledgeBase, KnowledgeError, Loss, Strict, Unit
from knowledge.units import normalise

INDUCTION_FILE = "data/induction.yml"


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"{value!r} is not a lower-case slug (letters, digits, hyphens)")
    return value


class Point(Strict):
    """What a stop is for, in the protocol's words from elsewhere, when its own units do not say
    it (Appendix 1 opens with its source; 7.7 says what its indicators are for)."""
    lead: StrictStr                         # one plain line of our own words: "What Appendix 1 is for"
    quote: StrictStr                        # the protocol's words, found in cite
    cite: StrictStr


class Stop(Strict):
    id: StrictStr
    heading: StrictStr                      # one plain line of our own words
    cites: List[StrictStr] = Field(..., min_items=1)
    point: Optional[Point] = None           # shown first, before the cited units

    _id_is_slug = validator("id", allow_reuse=True)(_slug)

    @validator("heading")
    def _one_line(cls, value: str) -> str:
        if not value.strip() or "\n" in value:
            raise ValueError("heading must be one non-empty line")
        return value


class Caution(Strict):
    id: StrictStr
    stop: StrictStr
    cites: List[StrictStr] = Field(..., min_items=1)
    quote: Optional[StrictStr] = None       # the protocol's words, found in cites[0]
    loss: Optional[StrictStr] = None        # or a losses.yml entry

    _id_is_slug = validator("id", allow_reuse=True)(_slug)

    @root_validator(skip_on_failure=True)
    def _quote_or_loss(cls, values: dict) -> dict:
        if (values["quote"] is None) == (values["loss"] is None):
            raise ValueError("a caution has exactly one of 'quote' or 'loss'")
        return values


class InductionFile(Strict):
    stops: List[Stop] = Field(..., min_items=1)
    cautions: List[Caution] = []
    # Phrases the protocol uses, in different lists, for what a learner could fairly read as the
    # same thing; the quiz reads each group as one word when it chooses wrong options.
    same_subject: List[List[StrictStr]] = []


@dataclass(frozen=True)
class ShownCaution:
    """A caution as shown: its text (the quote, or what the loss says) and citations."""
    id: str
    text: str
    cites: List[str]
    is_quote: bool


@dataclass(frozen=True)
class Tour:
    stops: List[Stop]
    cautions: List[ShownCaution]
    caution_stops: Dict[str, str]           # caution id -> stop id
    same_subject: List[List[str]] = field(default_factory=list)

    def index(self, stop_id: str) -> Optional[int]:
        return next((i for i, stop in enumerate(self.stops) if stop.id == stop_id), None)

    def cautions_at(self, stop_id: str) -> List[ShownCaution]:
        return [c for c in self.cautions if self.caution_stops[c.id] == stop_id]


def build_tour(kb: KnowledgeBase, raw: object) -> Tour:
    """Validate the parsed induction file against the knowledge base."""
    try:
        data = InductionFile.parse_obj(raw)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:5])
        raise KnowledgeError(f"{INDUCTION_FILE}: {problems}") from None
    _unique([stop.id for stop in data.stops], "stop id")
    _unique([caution.id for caution in data.cautions], "caution id")
    previous = -1
    for stop in data.stops:
        orders = [_unit(kb, unit_id, f"stop {stop.id}").order for unit_id in stop.cites]
        if orders != sorted(orders) or orders[0] <= previous:
            raise KnowledgeError(f"{INDUCTION_FILE}: stop {stop.id}: cites are not in document order "
                                 "(within the stop, or after the stop before it)")
        previous = orders[-1]
        if stop.point is not None:
            _quoted(kb, stop.point.quote, stop.point.cite, f"stop {stop.id}: point")
            if not stop.point.lead.strip() or "\n" in stop.point.lead:
                raise KnowledgeError(f"{INDUCTION_FILE}: stop {stop.id}: point lead must be one non-empty line")
    for group in data.same_subject:
        for phrase in group:
            if not any(normalise(phrase) in normalise(unit.text) for unit in kb.units.values()):
                raise KnowledgeError(f"{INDUCTION_FILE}: same_subject: {phrase!r} is not the protocol's words")
    stop_ids = {stop.id for stop in data.stops}
    losses: Dict[str, Loss] = {loss.id: loss for loss in kb.losses}
    shown = []
    for caution in data.cautions:
        owner = f"caution {caution.id}"
        if caution.stop not in stop_ids:
            raise KnowledgeError(f"{INDUCTION_FILE}: {owner}: unknown stop {caution.stop!r}")
        first = _unit(kb, caution.cites[0], owner)
        for unit_id in caution.cites[1:]:
            _unit(kb, unit_id, owner)
        if caution.quote is not None:
            if normalise(caution.quote) not in normalise(first.text):
                raise KnowledgeError(f"{INDUCTION_FILE}: {owner}: quote is not found in its first "
                                     f"cited unit {first.id}")
            shown.append(ShownCaution(caution.id, " ".join(caution.quote.split()), caution.cites, True))
        else:
            loss = losses.get(caution.loss or "")
            if loss is None:
                raise KnowledgeError(f"{INDUCTION_FILE}: {owner}: unknown loss {caution.loss!r}")
            shown.append(ShownCaution(caution.id, " ".join(loss.says.split()),
                                      list(dict.fromkeys([*caution.cites, *loss.cites])), False))
    return Tour(data.stops, shown, {c.id: c.stop for c in data.cautions}, data.same_subject)


def _quoted(kb: KnowledgeBase, quote: str, unit_id: str, owner: str) -> Unit:
    unit = _unit(kb, unit_id, owner)
    if normalise(quote) not in normalise(unit.text):
        raise KnowledgeError(f"{INDUCTION_FILE}: {owner}: quote is not found in its cited unit {unit.id}")
    return unit


def _unit(kb: KnowledgeBase, unit_id: str, owner: str) -> Unit:
    if unit_id not in kb.units:
        raise KnowledgeError(f"{INDUCTION_FILE}: {owner}: cites unknown unit {unit_id!r}")
    return kb.units[unit_id]


def _unique(ids: List[str], what: str) -> None:
    seen = set()
    for item_id in ids:
        if item_id in seen:
            raise KnowledgeError(f"{INDUCTION_FILE}: {item_id}: duplicate {what}")
        seen.add(item_id)


@functools.lru_cache(maxsize=None)
def load_tour(root: Union[str, Path, None] = None) -> Tour:
    """The validated tour for the knowledge under root (default: this package), built once."""
    path = Path(root).resolve() if root is not None else PACKAGE_ROOT
    return build_tour(load(path) if root is not None else load(), read_yaml(path, INDUCTION_FILE))
