"""Referral dates and timescales in the chat (second practitioner trial, 25 Nov 2026): a date with
no year that would be in the future is not guessed; a correction names the earlier date; the case
summary shows the referral date; "what are the timescales for <case>" shows the case's dates, counted
as the web case page counts them, each with its paragraph."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from rasa_sdk.events import SlotSet

from actions import runtime
from actions.case_refs import referral_date
from actions.cases import ActionCaseSummary, ActionCaseTimescales, ActionOpenCase, ActionRecordReferralDate
from actions.commands import says_command
from casestore import accounts
from casestore.service import CaseService

from test_actions import CASE, case_store, run, slot, tracker  # noqa: F401  (case_store: the fixture)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(("typed", "when", "yearless"), [
    ("open case NW/2026/7508 referred on 3 Dec", None, date(2026, 12, 3)),
    ("referral date for NW/2026/7508 is 30 December", None, date(2026, 12, 30)),
    ("open case NW/2026/7508 referred on 3 Nov", date(2026, 11, 3), None),
    ("referral date for NW/2026/7508 is 25 Nov", TODAY, None),
    ("referral date for NW/2026/7508 is 3 December 2025", date(2025, 12, 3), None),
])
def test_a_date_without_a_year_is_not_put_in_last_year(typed, when, yearless):
    given = referral_date(typed, TODAY)
    assert (given.when, given.yearless) == (when, yearless)


def _tomorrow_without_a_year() -> str:
    tomorrow = date.today() + timedelta(days=1)
    if tomorrow.year != date.today().year:
        pytest.skip("on 31 December, tomorrow without a year is last year's date")
    return f"{tomorrow:%-d %b}"


def test_opening_a_case_referred_on_a_yearless_future_date_records_no_date_and_asks_the_year():
    typed = _tomorrow_without_a_year()
    events, messages = run(ActionOpenCase(), tracker(f"open case NW/2026/0013 referred on {typed}", "open_case"))
    text = messages[0]["text"]
    assert text.startswith("Opened case NW/2026/0013 for Demo Team.")
    assert f"“{typed}” has no year" in text and "so no referral date is recorded. Which year?" in text
    last_year = f"{(date.today() + timedelta(days=1)).replace(year=date.today().year - 1):%-d %B %Y}"
    assert messages[0]["buttons"][0] == {"title": last_year,
                                         "payload": f"referral date for NW/2026/0013 is {last_year}"}
    assert SlotSet("current_case", "NW/2026/0013") in events
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        assert service.get_case("NW/2026/0013").referral_date is None


def test_recording_a_yearless_future_date_records_nothing_and_asks_the_year():
    typed = _tomorrow_without_a_year()
    events, messages = run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is {typed}",
                                                               "record_referral_date"))
    assert events == [] and "Which year?" in messages[0]["text"] and messages[0]["buttons"]
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        assert service.get_case(CASE).referral_date is None and service.referral_date_history(CASE) == []


def test_a_corrected_referral_date_says_what_it_was():
    _, messages = run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is 20 November 2026",
                                                          "record_referral_date"))
    assert messages[0]["text"].startswith(f"Recorded the referral date for {CASE}: 20 November 2026.")
    _, messages = run(ActionRecordReferralDate(), tracker(f"correct the referral date for {CASE}: 18 November 2026",
                                                          "record_referral_date"))
    assert messages[0]["text"].startswith(f"Corrected the referral date for {CASE}: 18 November 2026 (it was "
                                          "20 November 2026; the earlier date stays in the case history).")
    _, messages = run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is 18 November 2026",
                                                          "record_referral_date"))
    assert "is already 18 November 2026; nothing was changed" in messages[0]["text"]
    with runtime.sessions()() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "web")
        assert [str(d.referral_date) for d in service.referral_date_history(CASE)] == ["2026-11-20", "2026-11-18"]


def test_the_case_summary_shows_the_referral_date():
    _, messages = run(ActionCaseSummary(), tracker(f"what's missing for {CASE}", "case_summary"))
    assert messages[0]["text"].startswith(f"Case {CASE} (open; no referral date recorded yet).")
    run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is 20 November 2026", "record_referral_date"))
    _, messages = run(ActionCaseSummary(), tracker(f"what's missing for {CASE}", "case_summary"))
    assert messages[0]["text"].startswith(f"Case {CASE} (open; referral date 20 November 2026).")


def test_the_timescales_of_a_case_count_from_its_referral_date_and_cite_their_paragraphs():
    run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is 20 November 2026", "record_referral_date"))
    events, messages = run(ActionCaseTimescales(), tracker(f"what are the timescales for {CASE}", "case_timescales"))
    text = messages[0]["text"]
    assert text.startswith(f"Timescales for case {CASE}, counted from its referral date, 20 November 2026")
    assert "• Fri 20 November 2026: Care and Support Assessment / S.47 Enquiry begins — on the day of the referral " \
           "(best practice; 3.8)" in text
    # 42 working days, without weekends and the Wales bank holidays of Christmas and New Year (the case page's count)
    assert "• Fri 22 January 2027: Comprehensive Assessment (Care and Support Assessment) completed — 42 working " \
           "days after the referral (note; 2.3)" in text
    assert "The protocol does not say when this runs from; 3.8 says" in text
    assert "9 months after the initial conference (must; 8.2). The case record has no date for the initial " \
           "conference" in text
    assert "Safeguards put in place (should; 3.7)" in text and "Statutory timeline" in text
    citations = messages[0]["custom"]["citations"]
    assert {"3.8", "2.3", "7.3", "8.2", "3.7"} <= set(citations)
    assert SlotSet("current_case", CASE) in events


def test_the_same_count_as_the_case_page():
    from knowledge.timeline import timeline
    from actions.runtime import kb

    entries = {e.timescale.id: e for e in timeline(kb().timescales, {"referral": date(2026, 11, 20)})}
    run(ActionRecordReferralDate(), tracker(f"referral date for {CASE} is 20 November 2026", "record_referral_date"))
    _, messages = run(ActionCaseTimescales(), tracker(f"timescales for {CASE}", "case_timescales"))
    due = entries["comprehensive-assessment-42-working-days"].due
    assert f"{due:%a %-d %B %Y}: Comprehensive Assessment" in messages[0]["text"]


def test_timescales_without_a_referral_date_say_so_and_guess_nothing():
    events, messages = run(ActionCaseTimescales(), tracker(f"what are the deadlines for {CASE}", "case_timescales"))
    text = messages[0]["text"]
    assert text.startswith(f"Case {CASE} has no referral date recorded, so no timescale has a date yet.")
    assert "• Fri" not in text and "The case record has no date for the referral" in text


def test_timescales_read_as_a_summary_still_show_the_timescales():
    _, messages = run(ActionCaseSummary(), tracker(f"what are the timescales for {CASE}", "case_summary"))
    assert "has no referral date recorded, so no timescale has a date yet" in messages[0]["text"]


def test_timescales_of_another_case_pause_the_checklist():
    from actions.checklist.actions import ActionStartChecklist

    started, _ = run(ActionStartChecklist(), tracker(f"start the 3.4 check for {CASE}", "start_checklist"))
    with runtime.sessions()() as session:
        CaseService(session, accounts.get_practitioner(session, "demo"), "web").open_case("NW/2026/0013")
    events, messages = run(ActionCaseTimescales(), tracker("timescales for NW/2026/0013", "case_timescales",
                                                           {"checklist": slot(started, "checklist"),
                                                            "checklist_active": True}))
    assert messages[0]["text"].startswith("Paused 3.4") and SlotSet("checklist", None) in events


@pytest.mark.parametrize(("text", "passes"), [
    ("what are the timescales for NW/2026/0012", True),
    ("timescales for this case", True),
    ("what are the timescales for the comprehensive assessment", False),  # a protocol question
    ("is there a deadline for holding the strategy meeting", False),
])
def test_the_timescales_command_needs_a_case(text, passes):
    assert says_command("case_timescales", text) is passes
