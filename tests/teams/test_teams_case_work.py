"""Teams case work: a checklist answered by card submissions lands in the practitioner's case
record; a Teams user who is not linked to a practitioner gets protocol answers but no case work."""
from __future__ import annotations

import itertools
from typing import Any

import pytest

from casestore import accounts
from casestore.db import make_engine, make_session_factory
from casestore.service import CaseService
from channels.teams.emulator import DEMO_AAD_OBJECT_ID, DEMO_USER, TENANT_ID, BotConnectorEmulator

_numbers = itertools.count(501)


def card_actions(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [action for reply in replies for attachment in reply.get("attachments", [])
            for action in attachment.get("content", {}).get("actions", [])]


def all_text(replies: list[dict[str, Any]]) -> str:
    texts = [r.get("text") or "" for r in replies]
    for reply in replies:
        for attachment in reply.get("attachments", []):
            texts += [b.get("text", "") for b in attachment.get("content", {}).get("body", [])]
    return "\n".join(texts)


@pytest.fixture(scope="module")
def case_store(stack: Any):
    engine = make_engine(stack.env["DATABASE_URL"])
    sessions = make_session_factory(engine)
    with sessions() as session:
        demo = accounts.get_practitioner(session, "demo")
        if not any(i.idp == "teams" for i in demo.identities):
            accounts.link_teams_identity(session, "demo", DEMO_AAD_OBJECT_ID, TENANT_ID)
            session.commit()
    yield sessions
    engine.dispose()


def test_a_checklist_answered_by_card_submissions_is_in_the_case_record(
        stack: Any, teams: BotConnectorEmulator, case_store) -> None:
    reference = f"NW/2026/{next(_numbers):04d}"
    opened = teams.send_message(f"open case {reference}", DEMO_USER)
    assert f"Opened case {reference}" in all_text(opened.wait(1))
    started = teams.send_message(f"start the 3.4 check for {reference}", DEMO_USER)
    teams.wait_until(lambda: "item 1 of 9" in all_text(started.replies()), 60)
    yes = next(a for a in card_actions(started.replies()) if a["title"] == "Yes")
    pressed = teams.send_submit(yes["data"], DEMO_USER)
    assert teams.wait_until(lambda: "item 2 of 9" in all_text(pressed.replies()), 60), pressed.replies()
    not_known = next(a for a in card_actions(pressed.replies()) if a["title"] == "Not known")
    second = teams.send_submit(not_known["data"], DEMO_USER)
    assert teams.wait_until(lambda: "item 3 of 9" in all_text(second.replies()), 60)
    with case_store() as session:
        service = CaseService(session, accounts.get_practitioner(session, "demo"), "test")
        answers = service.current_answers(reference, "3.4")
    assert answers["3.4:previous-history"].value == "yes"
    assert answers["3.4:previous-contact-abuse"].value == "not known"
    assert {e.channel for e in answers.values()} == {"teams"}


def test_an_unlinked_teams_user_gets_answers_but_no_case_work(stack: Any, teams: BotConnectorEmulator,
                                                              case_store) -> None:
    stranger = teams.new_user("Unlinked Practitioner")
    turn = teams.send_message("start the 3.4 check for NW/2026/0012", stranger)
    said = "Your Teams account is not set up for case work yet; ask your system administrator to link it."
    assert teams.wait_until(lambda: said in all_text(turn.replies()), 60), turn.replies()
    assert stranger.aad_object_id not in all_text(turn.replies())  # identifiers go to the log only
