"""A fired flag names the entry that raised it (the latest answer meeting its rule), so the
caller can record it: `raise_flag(reference, rule, flag.raised_by_entry_id)`."""
from __future__ import annotations

import knowledge
from casestore.overview import overview
from casestore.service import CaseService

RULE = "consider-leaving-home"  # any 3.4 item answered "yes"


def fired(service: CaseService, reference: str):
    return {f.rule.id: f for f in overview(knowledge.load(), service.summary(reference)).flags}


def test_the_flag_names_the_answer_that_raised_it(alice: CaseService, case_ref: str) -> None:
    alice.record_answer(case_ref, "3.4", "previous-history", "no")
    assert RULE not in fired(alice, case_ref)
    trigger = alice.record_answer(case_ref, "3.4", "previous-contact-abuse", "yes")
    flag = fired(alice, case_ref)[RULE]
    assert flag.raised_by_entry_id == trigger.id
    recorded = alice.raise_flag(case_ref, RULE, flag.raised_by_entry_id)
    assert alice.export_case(case_ref)["flags"][0]["raised_by_entry_id"] == trigger.id
    assert recorded.raised_by_entry_id == trigger.id


def test_a_correction_that_raises_it_is_named(alice: CaseService, case_ref: str) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "no")
    correction = alice.correct(first.id, "yes")
    assert fired(alice, case_ref)[RULE].raised_by_entry_id == correction.id
