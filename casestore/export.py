"""The full record of one case as a JSON-able dict, for handover and subject access requests.

Called by `CaseService.export_case`, which checks access and audits the export first (so the
export's own audit row is part of it).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent, Case, Entry, Flag, ReferralDate
from .queries import latest_answer_ids, usernames
from .timeutil import now_utc
from .views import CaseInfo

EXPORT_FORMAT = "iioc-casestore-export"
EXPORT_FORMAT_VERSION = 1


def build_export(session: Session, case: Case, info: CaseInfo, exported_by: str) -> dict[str, Any]:
    entries = session.scalars(
        select(Entry).where(Entry.case_id == case.id).order_by(Entry.id)
    ).all()
    flags = session.scalars(select(Flag).where(Flag.case_id == case.id).order_by(Flag.id)).all()
    referral_dates = session.scalars(
        select(ReferralDate).where(ReferralDate.case_id == case.id).order_by(ReferralDate.id)
    ).all()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id)
    ).all()
    names = usernames(
        session,
        [e.practitioner_id for e in entries]
        + [f.practitioner_id for f in flags]
        + [r.practitioner_id for r in referral_dates]
        + [a.practitioner_id for a in events],
    )
    corrected_by = {e.corrects_entry_id: e.id for e in entries if e.corrects_entry_id}
    current = set(latest_answer_ids(session, case.id))
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": now_utc().isoformat(),
        "exported_by": exported_by,
        "case": {
            "reference": info.reference,
            "team": info.team,
            "status": info.status,
            "opened_at": _iso(info.opened_at),
            "opened_by": info.opened_by,
            "referral_date": info.referral_date.isoformat() if info.referral_date else None,
            "closed_at": _iso(info.closed_at),
        },
        "referral_dates": [
            {
                "referral_date": r.referral_date.isoformat(),
                "practitioner": names.get(r.practitioner_id),
                "channel": r.channel,
                "recorded_at": _iso(r.recorded_at),
                "current": i == len(referral_dates) - 1,
            }
            for i, r in enumerate(referral_dates)
        ],
        "entries": [
            {
                "id": e.id,
                "kind": e.kind,
                "item": e.full_item_id,
                "checklist_id": e.checklist_id,
                "item_id": e.item_id,
                "value": e.value,
                "note": e.note,
                "reasoning": e.reasoning,
                "channel": e.channel,
                "practitioner": names.get(e.practitioner_id),
                "recorded_at": _iso(e.recorded_at),
                "corrects_entry_id": e.corrects_entry_id,
                "corrected_by_entry_id": corrected_by.get(e.id),
                "current": e.id in current,
            }
            for e in entries
        ],
        "current": {e.full_item_id: e.id for e in entries if e.id in current},
        "flags": [
            {
                "id": f.id,
                "rule_id": f.rule_id,
                "raised_by_entry_id": f.raised_by_entry_id,
                "practitioner": names.get(f.practitioner_id),
                "channel": f.channel,
                "raised_at": _iso(f.raised_at),
            }
            for f in flags
        ],
        "audit": [
            {
                "id": a.id,
                "at": _iso(a.at),
                "action": a.action,
                "practitioner": names.get(a.practitioner_id) if a.practitioner_id else None,
                "channel": a.channel,
                "detail": a.detail,
            }
            for a in events
        ],
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
