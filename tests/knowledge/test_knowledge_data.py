"""The real knowledge/data files, whichever exist: they load, cite real units and quote them.

These iterate the files present, so they grow as checklists, flags, glossary ... are added.
"""
from __future__ import annotations

from typing import List

import pytest

import knowledge
from knowledge.loader import PACKAGE_ROOT, read_yaml
from knowledge.units import normalise

DATA = PACKAGE_ROOT / "data"
CHECKLIST_FILES = sorted(path.name for path in (DATA / "checklists").glob("*.yml"))
CITING_LIST_FILES = [name for name in ("flags.yml", "glossary.yml", "timescales.yml", "losses.yml")
                     if (DATA / name).exists()]


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    knowledge.load.cache_clear()
    return knowledge.load()


def test_the_real_knowledge_base_loads(kb: knowledge.KnowledgeBase) -> None:
    assert kb.meta.version == "09" and kb.meta.review_date == "2021"
    assert kb.meta.review_passed is True  # today (2026) is past the 2021 review date
    assert len(kb.units) == 117


def test_answer_kinds_match_the_schema(kb: knowledge.KnowledgeBase) -> None:
    assert {kind.id: kind.options for kind in kb.answer_kinds.values()} == {
        "yes_no_unknown": ["yes", "no", "not known"],
        "free_text": [],
        "sign": ["observed", "not observed", "not known"],
        "done_not_done": ["done", "not done", "not known"],
        "judgement_harm": ["extreme", "serious", "concerning"],
        "judgement_probability": ["highly likely", "likely", "unlikely"],
    }
    assert "extreme, serious or concerning" in kb.units["8.4"].text
    assert "highly likely, likely or unlikely" in kb.units["8.4"].text


def test_checklists_are_in_document_order(kb: knowledge.KnowledgeBase) -> None:
    orders = [kb.units[checklist.cites[0]].order for checklist in kb.checklists.values()]
    assert orders == sorted(orders)


def _cites(entry: dict) -> List[str]:
    return list(entry.get("cites", []))


@pytest.mark.parametrize("file_name", CHECKLIST_FILES)
def test_checklist_items_quote_their_first_cited_unit(kb: knowledge.KnowledgeBase, file_name: str) -> None:
    checklist = read_yaml(PACKAGE_ROOT, f"data/checklists/{file_name}")
    for unit_id in _cites(checklist):
        assert unit_id in kb.units, f"{file_name}: cites {unit_id}"
    for item in checklist["items"]:
        for unit_id in _cites(item):
            assert unit_id in kb.units, f"{file_name}: {item['id']} cites {unit_id}"
        wanted = normalise(item["text"]).rstrip(";. ")
        assert wanted in normalise(kb.units[item["cites"][0]].text), f"{file_name}: {item['id']}"


@pytest.mark.parametrize("file_name", CITING_LIST_FILES)
def test_every_citation_resolves(kb: knowledge.KnowledgeBase, file_name: str) -> None:
    for entry in read_yaml(PACKAGE_ROOT, f"data/{file_name}") or []:
        assert _cites(entry), f"{file_name}: {entry.get('id')} cites nothing"
        for unit_id in _cites(entry):
            assert unit_id in kb.units, f"{file_name}: {entry.get('id')} cites {unit_id}"


def test_process_citations_resolve(kb: knowledge.KnowledgeBase) -> None:
    for step in kb.process.steps:
        assert step.cites and all(unit_id in kb.units for unit_id in step.cites), step.id


def test_flag_conditions_name_real_items(kb: knowledge.KnowledgeBase) -> None:
    for flag in kb.flags:
        for condition in flag.when.any:
            if condition.item:
                item = kb.item(condition.item)
                assert condition.answer in kb.answer_kind(item).options, flag.id
            else:
                assert condition.checklist in kb.checklists, flag.id


def test_every_checklist_file_is_found_by_its_id(kb: knowledge.KnowledgeBase) -> None:
    for checklist in kb.checklists.values():
        assert kb.checklist_for(checklist.id) is checklist
        assert kb.checklist_for(f"the {checklist.id} check") is checklist
