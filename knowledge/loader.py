"""Read and validate knowledge/: the source text, its units and the data files that cite them.

Every problem raises KnowledgeError naming the file (relative to the knowledge root) and the
item. Optional data files that do not exist yet load as empty; files that exist are strict.
"""
from __future__ import annotations

import calendar
import datetime
import functools
import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Type, TypeVar, Union

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.model import (AnswerKind, Caution, Checklist, FlagRule, GlossaryTerm, Item,
                             KnowledgeBase, KnowledgeError, Loss, Process, ProtocolMeta, Timescale, Unit)
from knowledge.units import SEGMENTS_FILE, derive_units, normalise

PACKAGE_ROOT = Path(__file__).resolve().parent
Model = TypeVar("Model", bound=BaseModel)
MAX_PROBLEMS = 5  # per file in one error message


class _StrictYamlLoader(yaml.SafeLoader):
    """YAML 1.2-style booleans (only true/false, so `answer: no` stays a string) and no
    duplicate keys (PyYAML would silently keep the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read_yaml(root: Path, relative: str) -> object:
    try:
        with open(root / relative, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictYamlLoader)
    except FileNotFoundError:
        raise KnowledgeError(f"{relative}: file not found under {root}") from None
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{relative}: malformed YAML: {error}") from None


def _entry_label(entry: object, index: int) -> object:
    if isinstance(entry, dict) and "id" in entry:
        return entry["id"]
    if isinstance(entry, dict) and "from" in entry and "to" in entry:
        return f"{entry['from']}->{entry['to']}"
    return index


def _where(loc: Iterable[Union[int, str]], raw: object) -> str:
    """A pydantic error location with list indexes replaced by the ids of the entries."""
    path: List[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            label = _entry_label(node, key)
            path.append(f"[{label}]")
        else:
            node = node.get(key) if isinstance(node, dict) else None
            path.append(f".{key}" if path else str(key))
    return "".join(path)


def _parse(model: Type[Model], raw: object, relative: str, what: str) -> Model:
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        problems = [f"{_where(e['loc'], raw)}: {e['msg']}" for e in error.errors()]
        if len(problems) > MAX_PROBLEMS:
            problems[MAX_PROBLEMS:] = [f"... and {len(problems) - MAX_PROBLEMS} more"]
        raise KnowledgeError(f"{relative}: {what}: {'; '.join(problems)}") from None


def _entries(root: Path, relative: str, model: Type[Model]) -> List[Model]:
    """A list file of records with ids; a missing file is an empty list."""
    if not (root / relative).exists():
        return []
    raw = read_yaml(root, relative)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise KnowledgeError(f"{relative}: expected a list of entries, got {type(raw).__name__}")
    entries = []
    for number, entry in enumerate(raw, start=1):
        label = entry.get("id", f"entry {number}") if isinstance(entry, dict) else f"entry {number}"
        entries.append(_parse(model, entry, relative, str(label)))
    _unique([entry.id for entry in entries], relative, "id")
    return entries


def _unique(ids: List[str], relative: str, what: str) -> None:
    seen = set()
    for item_id in ids:
        if item_id in seen:
            raise KnowledgeError(f"{relative}: {item_id}: duplicate {what}")
        seen.add(item_id)


def review_passed(review_date: str, today: Optional[datetime.date] = None) -> bool:
    """True once the whole review period ("2021", "June 2018", "2021-06-30") is over."""
    today = today or datetime.date.today()
    text = review_date.strip()
    if re.fullmatch(r"\d{4}", text):
        last_day = datetime.date(int(text), 12, 31)
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        last_day = datetime.date.fromisoformat(text)
    else:
        try:
            month_start = datetime.datetime.strptime(text, "%B %Y").date()
        except ValueError:
            raise KnowledgeError(f"data/protocol.yml: review_date {review_date!r} is not "
                                 "'YYYY', 'Month YYYY' or 'YYYY-MM-DD'") from None
        days = calendar.monthrange(month_start.year, month_start.month)[1]
        last_day = month_start.replace(day=days)
    return today > last_day


def _meta(root: Path) -> ProtocolMeta:
    relative = "data/protocol.yml"
    meta = _parse(ProtocolMeta, read_yaml(root, relative), relative, "protocol")
    passed = review_passed(meta.review_date)
    if meta.review_passed is not None and meta.review_passed != passed:
        raise KnowledgeError(f"{relative}: review_passed: says {meta.review_passed} but the review "
                             f"date {meta.review_date} has {'' if passed else 'not '}passed")
    return meta.copy(update={"review_passed": passed})


def _answer_kinds(root: Path) -> Dict[str, AnswerKind]:
    relative = "data/answer_kinds.yml"
    if not (root / relative).exists():
        raise KnowledgeError(f"{relative}: file not found under {root}")
    return {kind.id: kind for kind in _entries(root, relative, AnswerKind)}


class _Checker:
    """Cross-file checks: citations resolve, kinds exist, item texts are the protocol's words."""

    def __init__(self, units: Dict[str, Unit], answer_kinds: Dict[str, AnswerKind]):
        self.units = units
        self.answer_kinds = answer_kinds
        self.normalised_units = {unit_id: normalise(unit.text) for unit_id, unit in units.items()}

    def cites(self, relative: str, owner: str, cites: List[str]) -> None:
        for unit_id in cites:
            if unit_id not in self.units:
                raise KnowledgeError(f"{relative}: {owner}: cites unknown unit {unit_id!r}")

    def kind(self, relative: str, owner: str, kind: Optional[str]) -> None:
        if kind not in self.answer_kinds:
            raise KnowledgeError(f"{relative}: {owner}: unknown answer kind {kind!r} "
                                 f"(known: {', '.join(self.answer_kinds)})")

    def checklist(self, relative: str, checklist: Checklist) -> None:
        owner = f"checklist {checklist.id}"
        self.cites(relative, owner, checklist.cites)
        self.kind(relative, owner, checklist.kind)
        _unique([item.id for item in checklist.items], relative, f"item id in {owner}")
        for item in checklist.items:
            item_owner = f"{checklist.full_id(item)}"
            self.cites(relative, item_owner, item.cites)
            self.kind(relative, item_owner, item.kind)
            self.item_text(relative, item_owner, item)

    def item_text(self, relative: str, owner: str, item: Item) -> None:
        wanted = normalise(item.text).rstrip(";. ")
        if wanted not in self.normalised_units[item.cites[0]]:
            raise KnowledgeError(f"{relative}: {owner}: text {item.text!r} is not found in its "
                                 f"first cited unit {item.cites[0]}")

    def quote(self, relative: str, owner: str, unit_id: str, text: str) -> None:
        self.cites(relative, owner, [unit_id])
        if normalise(text) not in self.normalised_units[unit_id]:
            raise KnowledgeError(f"{relative}: {owner}: quote {text[:60]!r}... is not found verbatim in "
                                 f"its cited unit {unit_id}")

    def flag(self, relative: str, flag: FlagRule, checklists: Dict[str, Checklist]) -> None:
        self.cites(relative, flag.id, flag.cites)
        for condition in flag.when.any:
            if condition.item is not None:
                checklist_id, _, item_id = condition.item.rpartition(":")
                checklist = checklists.get(checklist_id)
                item = next((i for i in checklist.items if i.id == item_id), None) if checklist else None
                if item is None:
                    raise KnowledgeError(f"{relative}: {flag.id}: condition refers to unknown "
                                         f"checklist item {condition.item!r}")
                kind, target = item.kind, condition.item
            else:
                checklist = checklists.get(condition.checklist or "")
                if checklist is None:
                    raise KnowledgeError(f"{relative}: {flag.id}: condition refers to unknown "
                                         f"checklist {condition.checklist!r}")
                kind, target = checklist.kind, f"checklist {checklist.id}"
            options = self.answer_kinds[kind or ""].options
            if condition.answer not in options:
                raise KnowledgeError(f"{relative}: {flag.id}: answer {condition.answer!r} is not one "
                                     f"of the {kind} options {options} for {target}")


def _checklists(root: Path, checker: _Checker) -> Dict[str, Checklist]:
    found: Dict[str, Checklist] = {}
    files: Dict[str, str] = {}
    for path in sorted((root / "data" / "checklists").glob("*.yml")):
        relative = path.relative_to(root).as_posix()
        raw = read_yaml(root, relative)
        if not isinstance(raw, dict):
            raise KnowledgeError(f"{relative}: expected one checklist (a mapping)")
        checklist = _parse(Checklist, raw, relative, f"checklist {raw.get('id', '?')}")
        if checklist.id in found:
            raise KnowledgeError(f"{relative}: checklist {checklist.id}: duplicate checklist id "
                                 f"(also in {files[checklist.id]})")
        checker.checklist(relative, checklist)
        found[checklist.id] = checklist
        files[checklist.id] = relative
    triage = [checklist.id for checklist in found.values() if checklist.triage]
    if len(triage) > 1:
        raise KnowledgeError(f"data/checklists: only one checklist may be marked `triage: true` "
                             f"(the quick duty triage); found {', '.join(triage)}")
    ordered = sorted(found.values(), key=lambda c: checker.units[c.cites[0]].order)
    return {checklist.id: checklist for checklist in ordered}


def _glossary(root: Path, checker: _Checker) -> Dict[str, GlossaryTerm]:
    relative = "data/glossary.yml"
    terms = _entries(root, relative, GlossaryTerm)
    owners: Dict[str, str] = {}
    for term in terms:
        checker.cites(relative, term.id, term.cites)
        for name in {" ".join(name.lower().split()) for name in term.names}:
            if name in owners:
                raise KnowledgeError(f"{relative}: {term.id}: term or alias {name!r} is also "
                                     f"used by {owners[name]}")
            owners[name] = term.id
    return {term.id: term for term in terms}


def _process(root: Path, checker: _Checker) -> Process:
    relative = "data/process.yml"
    if not (root / relative).exists():
        return Process()
    process = _parse(Process, read_yaml(root, relative) or {}, relative, "process")
    _unique([step.id for step in process.steps], relative, "step id")
    step_ids = {step.id for step in process.steps}
    for step in process.steps:
        checker.cites(relative, step.id, step.cites)
    for edge in process.edges:
        checker.cites(relative, f"edge {edge.from_} -> {edge.to}", edge.cites)
        for end in (edge.from_, edge.to):
            if end not in step_ids:
                raise KnowledgeError(f"{relative}: edge {edge.from_} -> {edge.to}: unknown step {end!r}")
    return process


def _cited(root: Path, relative: str, model: Type[Model], checker: _Checker) -> List[Model]:
    entries = _entries(root, relative, model)
    for entry in entries:
        checker.cites(relative, entry.id, entry.cites)  # type: ignore[attr-defined]
    return entries


def _cautions(root: Path, checker: _Checker) -> List[Caution]:
    relative = "data/cautions.yml"
    cautions = _entries(root, relative, Caution)
    for caution in cautions:
        for quote in caution.quotes:
            checker.quote(relative, caution.id, quote.cite, quote.text)
    return cautions


def build(root: Path) -> KnowledgeBase:
    """Read and validate everything under root (a directory holding source/ and data/)."""
    meta = _meta(root)
    try:
        source = (root / meta.source_file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(f"data/protocol.yml: source_file {meta.source_file!r} not found") from None
    units = {unit.id: unit for unit in derive_units(source, read_yaml(root, SEGMENTS_FILE))}
    answer_kinds = _answer_kinds(root)
    checker = _Checker(units, answer_kinds)
    checklists = _checklists(root, checker)
    flags = _cited(root, "data/flags.yml", FlagRule, checker)
    for flag in flags:
        checker.flag("data/flags.yml", flag, checklists)
    return KnowledgeBase(
        meta=meta, units=units, checklists=checklists, flags=flags,
        glossary=_glossary(root, checker),
        timescales=_cited(root, "data/timescales.yml", Timescale, checker),
        process=_process(root, checker),
        losses=_cited(root, "data/losses.yml", Loss, checker),
        answer_kinds=answer_kinds,
        cautions=_cautions(root, checker),
    )


@functools.lru_cache(maxsize=None)
def load(root: Union[str, Path, None] = None) -> KnowledgeBase:
    """The validated knowledge base, built once per process and root (default: this package)."""
    return build(Path(root).resolve() if root is not None else PACKAGE_ROOT)


def reload(root: Union[str, Path, None] = None) -> KnowledgeBase:
    load.cache_clear()
    return load(root)

