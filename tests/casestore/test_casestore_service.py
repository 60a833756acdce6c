"""CaseService: cases, entries, corrections, the derived current view, closing, export."""
from __future__ import annotations

import json
from datetime import date, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casestore.errors import (
    AccessDenied,
    AlreadyCorrected,
    CannotOpenCase,
    CaseClosed,
    CaseExists,
    InvalidEntry,
    InvalidReference,
    UnknownCase,
    UnknownEntry,
)
from casestore.models import AuditEvent
from casestore.service import CaseService


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_open_and_get_case(session: Session, alice: CaseService) -> None:
    opened = alice.open_case(" nw/2026/0001 ", referral_date=date(2026, 11, 2))
    assert opened.reference == "NW/2026/0001"
    info = alice.get_case("NW/2026/0001")
    assert (info.team, info.status, info.opened_by) == ("Team A", "open", "alice")
    assert info.referral_date == date(2026, 11, 2)
    assert info.opened_at.tzinfo == timezone.utc
    assert actions(session) == ["open_case", "read_case"]


def test_open_case_twice_is_refused(alice: CaseService, case_ref: str) -> None:
    with pytest.raises(CaseExists):
        alice.open_case(case_ref)


def test_opening_another_teams_reference_is_refused_neutrally_and_audited(
    session: Session, bob: CaseService, case_ref: str
) -> None:
    with pytest.raises(CannotOpenCase) as refused:
        bob.open_case(case_ref, referral_date=date(2026, 11, 2))
    message = str(refused.value)
    assert message == (f"{case_ref} cannot be opened by your team. Check the reference, or ask "
                       "your manager. This attempt has been recorded.")
    assert "exists" not in message and "Team A" not in message
    assert isinstance(refused.value, AccessDenied)  # handled like every cross-team refusal
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.practitioner_id, event.channel) == (
        "refused_cross_team", bob.actor.id, "web")
    assert "attempted open" in event.detail


def test_referral_date_in_future_is_refused(alice: CaseService) -> None:
    with pytest.raises(InvalidEntry):
        alice.open_case("NW/2026/0002", referral_date=date.today() + timedelta(days=1))


@pytest.mark.parametrize("bad", ["", "NW/26/0012", "NW-2026-0012", "XX/2026/0012", "NW/2026/12",
                                 "NW/2026/00123", "Jane Smith", None])
def test_invalid_reference(alice: CaseService, bad: str) -> None:
    with pytest.raises(InvalidReference) as raised:
        alice.get_case(bad)
    assert "NW/2026/0012" in str(raised.value)  # the message shows the expected form


def test_unknown_case(alice: CaseService) -> None:
    with pytest.raises(UnknownCase) as raised:
        alice.record_answer("NW/2026/0999", "3.4", "previous-history", "yes")
    assert "NW/2026/0999" in str(raised.value)


def test_list_cases_shows_own_team_only(alice: CaseService, bob: CaseService) -> None:
    alice.open_case("NW/2026/0001")
    alice.open_case("NW/2026/0002")
    bob.open_case("NW/2026/0003")
    assert [c.reference for c in alice.list_cases()] == ["NW/2026/0001", "NW/2026/0002"]
    assert [c.reference for c in alice.list_cases(team="Team A")] == ["NW/2026/0001", "NW/2026/0002"]
    assert [c.reference for c in bob.list_cases()] == ["NW/2026/0003"]


def test_record_answer_and_current_view(alice: CaseService, case_ref: str) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "yes", note="known 2019")
    alice.record_answer(case_ref, "3.4", "substance-misuse", "not known")
    alice.record_answer(case_ref, "10.9", "contact-with-children", "no")
    assert first.id and first.recorded_at.tzinfo == timezone.utc
    assert first.channel == "web" and first.practitioner_id == alice.actor.id
    current = alice.current_answers(case_ref)
    assert {k: e.value for k, e in current.items()} == {
        "3.4:previous-history": "yes",
        "3.4:substance-misuse": "not known",
        "10.9:contact-with-children": "no",
    }
    assert set(alice.current_answers(case_ref, "3.4")) == {
        "3.4:previous-history",
        "3.4:substance-misuse",
    }


def test_correction_chain(session: Session, alice: CaseService, service_for, case_ref: str) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    second = alice.correct(first.id, "no", note="checked the records again")
    mandy = service_for("mandy", "teams")
    third = mandy.correct(second.id, "not known")
    assert (second.corrects_entry_id, third.corrects_entry_id) == (first.id, second.id)
    assert (third.checklist_id, third.item_id, third.kind) == ("3.4", "previous-history", "answer")
    assert alice.current_answers(case_ref)["3.4:previous-history"].id == third.id
    history = alice.history(case_ref)
    assert [(e.value, e.corrects_entry_id) for e in history] == [
        ("yes", None),
        ("no", first.id),
        ("not known", second.id),
    ]
    assert "correct" in actions(session)


def test_an_entry_is_corrected_once(alice: CaseService, case_ref: str) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    second = alice.correct(first.id, "no")
    with pytest.raises(AlreadyCorrected) as raised:
        alice.correct(first.id, "not known")
    assert raised.value.corrected_by == second.id


def test_correct_unknown_entry(alice: CaseService, case_ref: str) -> None:
    with pytest.raises(UnknownEntry):
        alice.correct(123456, "no")


def test_skip_then_answer_by_correction(alice: CaseService, case_ref: str) -> None:
    skipped = alice.record_skip(case_ref, "3.4", "previous-history", reason="records not yet seen")
    assert (skipped.kind, skipped.value, skipped.note) == ("skip", None, "records not yet seen")
    assert alice.current_answers(case_ref)["3.4:previous-history"].kind == "skip"
    answered = alice.correct(skipped.id, "yes")
    assert answered.kind == "answer"
    assert alice.current_answers(case_ref)["3.4:previous-history"].value == "yes"


def test_later_answer_to_same_item_is_current(alice: CaseService, case_ref: str) -> None:
    alice.record_answer(case_ref, "3.4", "previous-history", "not known")
    later = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    assert alice.current_answers(case_ref)["3.4:previous-history"].id == later.id


def test_judgement_needs_reasoning(alice: CaseService, case_ref: str) -> None:
    with pytest.raises(InvalidEntry):
        alice.record_answer(case_ref, "8.4", "harm", "serious", kind="judgement")
    entry = alice.record_answer(
        case_ref, "8.4", "harm", "serious", reasoning="frequent unsupervised contact", kind="judgement"
    )
    assert entry.reasoning == "frequent unsupervised contact"
    with pytest.raises(InvalidEntry):
        alice.correct(entry.id, "extreme")
    assert alice.correct(entry.id, "extreme", reasoning="new police information").kind == "judgement"


@pytest.mark.parametrize(
    ("checklist", "item", "value", "kind"),
    [
        ("3.4", "previous-history", "", "answer"),
        ("3.4", "previous-history", "   ", "answer"),
        ("", "previous-history", "yes", "answer"),
        ("3.4", None, "yes", "answer"),
        ("3.4", "a:b", "yes", "answer"),
        ("3.4", "previous-history", "x" * 20_001, "answer"),
        ("3.4", "previous-history", "closed", "status"),
        ("3.4", "previous-history", "yes", "verdict"),
    ],
)
def test_invalid_entries_are_refused(
    alice: CaseService, case_ref: str, checklist, item, value, kind
) -> None:
    with pytest.raises(InvalidEntry):
        alice.record_answer(case_ref, checklist, item, value, kind=kind)
    assert alice.history(case_ref) == []


def test_notes(alice: CaseService, case_ref: str) -> None:
    note = alice.record_note(case_ref, "Strategy meeting arranged")
    item_note = alice.record_note(case_ref, "asked twice", "3.4", "previous-history")
    assert (note.kind, note.value, note.checklist_id) == ("note", "Strategy meeting arranged", None)
    assert item_note.full_item_id == "3.4:previous-history"
    assert alice.current_answers(case_ref) == {}  # notes are not answers


def test_close_case_is_an_event(session: Session, alice: CaseService, case_ref: str) -> None:
    alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    with pytest.raises(InvalidEntry):
        alice.close_case(case_ref, "  ")
    closed = alice.close_case(case_ref, "No further action after strategy meeting")
    assert closed.status == "closed" and closed.closed_at is not None
    assert alice.close_case(case_ref, "again").status == "closed"  # no second event
    info = alice.get_case(case_ref)
    assert info.status == "closed"
    assert alice.current_answers(case_ref)["3.4:previous-history"].value == "yes"
    history = alice.history(case_ref)
    assert [(e.kind, e.value) for e in history] == [("answer", "yes"), ("status", "closed")]
    assert history[-1].note == "No further action after strategy meeting"
    with pytest.raises(CaseClosed):
        alice.record_answer(case_ref, "3.4", "substance-misuse", "no")
    with pytest.raises(CaseClosed):
        alice.correct(history[0].id, "no")
    assert [c.status for c in alice.list_cases()] == ["closed"]
    reopened = alice.reopen_case(case_ref, "new referral received")
    assert reopened.status == "open" and reopened.closed_at is None
    alice.record_answer(case_ref, "3.4", "substance-misuse", "no")
    assert "close_case" in actions(session) and "reopen_case" in actions(session)


def test_flags(alice: CaseService, case_ref: str) -> None:
    entry = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    flag = alice.raise_flag(case_ref, "consider-leaving-home", entry.id)
    again = alice.raise_flag(case_ref, "consider-leaving-home", entry.id)
    assert again.id == flag.id
    alice.raise_flag(case_ref, "inform-police")
    flags = alice.flags(case_ref)
    assert [(f.rule_id, f.raised_by_entry_id) for f in flags] == [
        ("consider-leaving-home", entry.id),
        ("inform-police", None),
    ]
    assert flags[0].practitioner_id == alice.actor.id and flags[0].raised_at is not None


def test_flag_entry_must_belong_to_the_case(alice: CaseService, case_ref: str) -> None:
    alice.open_case("NW/2026/0013")
    other = alice.record_answer("NW/2026/0013", "3.4", "previous-history", "yes")
    with pytest.raises(InvalidEntry):
        alice.raise_flag(case_ref, "consider-leaving-home", other.id)


def test_summary(alice: CaseService, case_ref: str) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    alice.correct(first.id, "no")
    alice.record_answer(case_ref, "10.9", "contact-with-children", "yes")
    alice.raise_flag(case_ref, "consider-leaving-home", first.id)
    summary = alice.summary(case_ref)
    assert summary.case.reference == case_ref and summary.case.status == "open"
    assert summary.answers["3.4"]["previous-history"].value == "no"
    assert summary.answers["3.4"]["previous-history"].is_correction
    assert summary.answers["10.9"]["contact-with-children"].value == "yes"
    assert summary.flags == ["consider-leaving-home"]
    assert summary.entry_count == 3
    assert summary.last_recorded_at is not None and summary.last_recorded_at.tzinfo == timezone.utc


def test_export_contains_corrections_flags_and_audit(
    bob: CaseService, alice: CaseService, case_ref: str
) -> None:
    first = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    second = alice.correct(first.id, "no", note="misread the referral")
    alice.raise_flag(case_ref, "consider-leaving-home", first.id)
    alice.close_case(case_ref, "handover to another authority")
    exported = alice.export_case(case_ref)
    json.dumps(exported)  # JSON-able as it is
    assert exported["case"]["reference"] == case_ref and exported["case"]["status"] == "closed"
    by_id = {e["id"]: e for e in exported["entries"]}
    assert by_id[first.id]["corrected_by_entry_id"] == second.id
    assert by_id[first.id]["current"] is False
    assert by_id[second.id]["corrects_entry_id"] == first.id
    assert by_id[second.id]["value"] == "no" and by_id[second.id]["current"] is True
    assert by_id[second.id]["practitioner"] == "alice"
    assert exported["current"] == {"3.4:previous-history": second.id}
    assert [f["rule_id"] for f in exported["flags"]] == ["consider-leaving-home"]
    audit_actions = [a["action"] for a in exported["audit"]]
    assert audit_actions[0] == "open_case" and audit_actions[-1] == "export"
    assert "correct" in audit_actions and "close_case" in audit_actions


def test_progress_survives_a_new_session(
    session_factory, people, alice: CaseService, case_ref: str
) -> None:
    assert alice.get_progress(case_ref, "3.4") is None
    alice.set_progress(case_ref, "3.4", "previous-history")
    alice.set_progress(case_ref, "3.4", "substance-misuse")
    alice.set_progress(case_ref, "10.9", None)
    with session_factory() as fresh:
        restarted = CaseService(fresh, people["alice"], "teams")
        assert restarted.get_progress(case_ref, "3.4") == "substance-misuse"
        assert restarted.progress(case_ref) == {"3.4": "substance-misuse", "10.9": None}
        mandy = CaseService(fresh, people["mandy"], "web")
        assert mandy.get_progress(case_ref, "3.4") is None  # each practitioner has their own
        restarted.clear_progress(case_ref, "3.4")
        assert restarted.get_progress(case_ref, "3.4") is None


def test_latest_progress(service_for, alice: CaseService, bob: CaseService, case_ref: str) -> None:
    assert alice.latest_progress() is None
    alice.open_case("NW/2026/0013")
    alice.set_progress(case_ref, "3.4", "previous-history")
    alice.set_progress("NW/2026/0013", "10.9", "contact-with-children")
    latest = alice.latest_progress()
    assert latest is not None
    assert (latest.reference, latest.checklist_id, latest.cursor_item_id) == (
        "NW/2026/0013", "10.9", "contact-with-children"
    )
    on_case = alice.latest_progress(case_ref)
    assert on_case is not None and on_case.checklist_id == "3.4"
    alice.set_progress(case_ref, "3.4", "substance-misuse")  # touched last: now the latest
    assert alice.latest_progress().reference == case_ref
    alice.set_progress(case_ref, "3.4", None)  # finished checklists are not "in progress"
    assert alice.latest_progress(case_ref) is None
    assert service_for("mandy").latest_progress() is None  # positions are per practitioner
    bob.open_case("NW/2026/0099")
    bob.set_progress("NW/2026/0099", "3.4", "previous-history")
    assert alice.latest_progress().reference == "NW/2026/0013"


def test_every_case_operation_is_audited(session: Session, alice: CaseService, case_ref: str) -> None:
    entry = alice.record_answer(case_ref, "3.4", "previous-history", "yes")
    alice.record_skip(case_ref, "3.4", "substance-misuse")
    alice.record_answer(case_ref, "8.4", "harm", "serious", reasoning="r", kind="judgement")
    alice.record_note(case_ref, "note")
    alice.correct(entry.id, "no")
    alice.get_case(case_ref)
    alice.summary(case_ref)
    alice.export_case(case_ref)
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == [
        "open_case", "record_answer", "record_skip", "record_judgement", "record_note",
        "correct", "read_case", "read_case", "export",
    ]
    assert all(e.practitioner_id == alice.actor.id and e.channel == "web" for e in events)
    assert all("yes" not in (e.detail or "") for e in events)  # no answer text in the audit
