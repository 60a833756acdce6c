"""End to end: a checklist answer the web chat held back for personal details and the practitioner
sent as typed goes through the web app's forwarder, Rasa's REST channel and the action server,
and is recorded as typed without a second “keep it”."""
from __future__ import annotations

from channels.web import rasa_client

from test_e2e_checklists import Practitioner, case, record, texts  # noqa: F401  (case: the fixture)


def test_sent_as_typed_is_recorded_once_asked(stack, case):
    demo = Practitioner(stack)
    assert "Starting 10.11" in texts(demo.say(f"start the 10.11 check for {case}"))
    typed = "They met through Gareth Jones at 12 High Street"
    replies = rasa_client.send(stack.rasa_url, demo.sender, "demo", typed, 30, personal_details_confirmed=True)
    assert f"Recorded: “{typed}”. Kept as typed" in texts(replies) and "keep it" not in texts(replies)
    answers, _ = record(stack, case, "10.11")
    assert [entry.value for entry in answers.values()] == [typed]
    # the same words without the web app's confirmation are asked about, as before
    replies = rasa_client.send(stack.rasa_url, demo.sender, "demo", "Friends: Sarah Davies, 4 Bryn Road", 30)
    assert "say “keep it” to record it as written" in texts(replies)
