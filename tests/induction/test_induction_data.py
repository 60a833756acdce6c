"""knowledge/data/induction.yml: every citation resolves, the tour runs in document order over the
whole protocol, and the cautions are the protocol's words, where they belong."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import knowledge
from knowledge import KnowledgeError, normalise
from knowledge.induction import INDUCTION_FILE, build_tour, load_tour
from knowledge.loader import PACKAGE_ROOT

RAW = yaml.safe_load((PACKAGE_ROOT / INDUCTION_FILE).read_text(encoding="utf-8"))


def test_every_cited_id_resolves(kb, tour) -> None:
    for stop in tour.stops:
        assert stop.cites and all(unit_id in kb.units for unit_id in stop.cites), stop.id
    for caution in tour.cautions:
        assert all(unit_id in kb.units for unit_id in caution.cites), caution.id


def test_the_tour_covers_the_whole_protocol_in_document_order(kb, tour) -> None:
    cited = [unit_id for stop in tour.stops for unit_id in stop.cites]
    assert cited == kb.unit_order  # every unit once, front sections to Appendix 7
    assert 40 <= len(tour.stops) <= 60
    assert tour.stops[0].cites[0] == "purpose" and tour.stops[-1].cites[-1] == "appendix-7/part-18"


def test_headings_are_one_plain_line(tour) -> None:
    assert all(stop.heading.strip() and "\n" not in stop.heading for stop in tour.stops)


@pytest.mark.parametrize(("unit_id", "words"), [
    ("appendix-5", "circumspect in drawing firm conclusions"),
    ("appendix-5/assessment-messages", "Low risk does not mean no risk"),
    ("10.4", "initial reaction can be a poor predictor"),
    ("10.11", "not to over-interpret behaviour"),
    ("3.7", "Safeguards need to be put in place at the start of your work"),
])
def test_the_cautions_a_new_worker_must_not_miss_are_in_the_protocols_words(kb, tour, unit_id, words) -> None:
    caution = next(c for c in tour.cautions if c.cites[0] == unit_id and words in c.text)
    assert caution.is_quote and normalise(caution.text) in normalise(kb.units[unit_id].text)
    stop = next(s for s in tour.stops if caution in tour.cautions_at(s.id))
    assert unit_id in stop.cites  # shown where it belongs


def test_the_lost_cross_check_marks_are_a_caution_at_12_2(kb, tour) -> None:
    caution = next(c for c in tour.cautions if c.id == "cross-check-marks-lost")
    loss = next(loss for loss in kb.losses if loss.id == "cross-check-marks-lost")
    assert not caution.is_quote and caution.text == " ".join(loss.says.split())
    assert caution in tour.cautions_at("interview-questions") and "12.2" in caution.cites


def _broken(change) -> dict:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(yaml.safe_dump(RAW))
    change(raw)
    return raw


@pytest.mark.parametrize(("change", "message"), [
    (lambda raw: raw["stops"][3]["cites"].append("99.9"), "cites unknown unit '99.9'"),
    (lambda raw: raw["stops"].reverse(), "not in document order"),
    (lambda raw: raw["stops"].append(dict(raw["stops"][0])), "duplicate stop id"),
    (lambda raw: raw["cautions"][0].update(quote="Safeguards are optional."), "quote is not found"),
    (lambda raw: raw["cautions"][0].update(stop="nowhere"), "unknown stop 'nowhere'"),
    (lambda raw: raw["cautions"][4].update(loss="no-such-loss"), "unknown loss"),
    (lambda raw: raw["stops"][0].update(heading="two\nlines"), "one non-empty line"),
    (lambda raw: raw["stops"][0].update(colour="red"), "extra fields not permitted"),
])
def test_bad_data_is_refused_naming_the_file_and_item(kb, change, message) -> None:
    with pytest.raises(KnowledgeError, match=INDUCTION_FILE) as raised:
        build_tour(kb, _broken(change))
    assert message in str(raised.value)


def test_a_modified_copy_of_the_data_changes_the_tour(knowledge_copy: Path) -> None:
    root = knowledge_copy
    raw = _broken(lambda raw: None)
    raw["stops"][0]["heading"] = "Why this protocol exists"
    raw["stops"][1:3] = [{"id": "scope-and-more", "heading": "Scope and the rest of the front",
                          "cites": ["scope", "responsibilities", "abbreviations", "equalities",
                                    "related-documents"]}]
    (root / INDUCTION_FILE).write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    changed, original = load_tour(root), load_tour()
    assert len(changed.stops) == len(original.stops) - 1
    assert changed.stops[0].heading == "Why this protocol exists"
    assert changed.stops[1].id == "scope-and-more"
    assert knowledge.load(root).unit_order == knowledge.load().unit_order
