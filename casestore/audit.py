"""Audit log actions and the one helper that writes an audit row."""
from __future__ import annotations

from sqlalchemy.orm import Session

from .models import AuditEvent

OPEN_CASE = "open_case"
READ_CASE = "read_case"
LIST_CASES = "list_cases"
RECORD_ANSWER = "record_answer"
RECORD_JUDGEMENT = "record_judgement"
RECORD_SKIP = "record_skip"
RECORD_NOTE = "record_note"
CORRECT = "correct"
RAISE_FLAG = "raise_flag"
RECORD_REFERRAL_DATE = "record_referral_date"
CLOSE_CASE = "close_case"
REOPEN_CASE = "reopen_case"
EXPORT = "export"
REFUSED_CROSS_TEAM = "refused_cross_team"
REFUSED_IDENTITY = "refused_identity"

RECORD_ACTIONS = {
    "answer": RECORD_ANSWER,
    "judgement": RECORD_JUDGEMENT,
    "skip": RECORD_SKIP,
    "note": RECORD_NOTE,
}


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    channel: str,
    case_id: int | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Add an audit row to the session's transaction. Never put answer text in `detail`."""
    event = AuditEvent(
        action=action, practitioner_id=actor_id, channel=channel, case_id=case_id, detail=detail
    )
    session.add(event)
    return event
