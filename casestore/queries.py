"""Read queries shared by the service and the export (no access checks here: callers check)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import ANSWER_KINDS, Entry, Practitioner, ReferralDate

CaseStatus = tuple[str, datetime | None]  # ("open" | "closed", closed at)


def latest_answer_ids(session: Session, case_id: int, checklist_id: str | None = None) -> list[int]:
    """Ids of the current entries: the latest answer/judgement/skip per (checklist, item).

    Corrections are later entries for the same item, so the latest entry is the end of its
    correction chain. One grouped query over the (case, checklist, item, id) index.
    """
    query = select(func.max(Entry.id)).where(
        Entry.case_id == case_id, Entry.kind.in_(ANSWER_KINDS)
    )
    if checklist_id is not None:
        query = query.where(Entry.checklist_id == checklist_id)
    return list(session.scalars(query.group_by(Entry.checklist_id, Entry.item_id)))


def latest_answer_ids_of_cases(session: Session, case_ids: Iterable[int]) -> list[int]:
    """`latest_answer_ids` for several cases in one grouped query."""
    ids = list(case_ids)
    if not ids:
        return []
    query = (
        select(func.max(Entry.id))
        .where(Entry.case_id.in_(ids), Entry.kind.in_(ANSWER_KINDS))
        .group_by(Entry.case_id, Entry.checklist_id, Entry.item_id)
    )
    return list(session.scalars(query))


def case_statuses(session: Session, case_ids: Iterable[int]) -> dict[int, CaseStatus]:
    """Status per case from its latest status entry; cases without one are absent (= open)."""
    ids = list(case_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(Entry.id))
        .where(Entry.case_id.in_(ids), Entry.kind == "status")
        .group_by(Entry.case_id)
    )
    rows = session.execute(
        select(Entry.case_id, Entry.value, Entry.recorded_at).where(Entry.id.in_(latest))
    ).all()
    return {r.case_id: (r.value, r.recorded_at if r.value == "closed" else None) for r in rows}


def case_status(session: Session, case_id: int) -> CaseStatus:
    return case_statuses(session, [case_id]).get(case_id, ("open", None))


def current_referral_dates(session: Session, case_ids: Iterable[int]) -> dict[int, date]:
    """The current referral date per case (its latest ReferralDate row); cases without one are
    absent."""
    ids = list(case_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(ReferralDate.id))
        .where(ReferralDate.case_id.in_(ids))
        .group_by(ReferralDate.case_id)
    )
    rows = session.execute(
        select(ReferralDate.case_id, ReferralDate.referral_date).where(ReferralDate.id.in_(latest))
    ).all()
    return {r.case_id: r.referral_date for r in rows}


def usernames(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Practitioner.id, Practitioner.username).where(Practitioner.id.in_(wanted))
    ).all()
    return {r.id: r.username for r in rows}
