"""CaseService: every read and write of case content goes through here.

Each public method is one unit of work (one transaction, bounded retries on contention,
`StoreUnavailable` if the database fails, so callers can say "not recorded"). Each checks team
scope through `casestore.access` and writes an audit row.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from . import audit
from .access import require_case_access, require_team_access
from .db import unit_of_work
from .errors import (
    AlreadyCorrected,
    CannotOpenCase,
    CaseClosed,
    CaseExists,
    InvalidEntry,
    UnknownCase,
    UnknownEntry,
    UnknownTeam,
)
from .export import build_export
from .models import Case, ChecklistProgress, Entry, Flag, Practitioner, ReferralDate, Team
from .queries import (CaseStatus, case_status, case_statuses, current_referral_dates,
                      latest_answer_ids, latest_answer_ids_of_cases)
from .refs import normalise_reference
from .timeutil import now_utc
from .views import CaseInfo, CaseSummary, CurrentAnswer, ProgressInfo, ReferralDateInfo

__all__ = ["CaseService", "CaseInfo", "CaseSummary", "CurrentAnswer", "ProgressInfo",
           "ReferralDateInfo"]

MAX_TEXT_LENGTH = 20_000
MAX_ID_LENGTH = 64
RECORDABLE_KINDS = ("answer", "judgement", "skip", "note")


class CaseService:
    """Case work for one practitioner (`actor`) through one channel ("web", "teams", ...)."""

    def __init__(self, session: Session, actor: Practitioner, channel: str) -> None:
        if not channel or len(channel) > 32:
            raise ValueError("channel must be a short non-empty name such as 'web' or 'teams'")
        self.session = session
        self.channel = channel
        self.actor: Practitioner = session.get(Practitioner, actor.id) or actor

    # ----- cases -------------------------------------------------------------------------

    @unit_of_work("Opening the case")
    def open_case(self, reference: str, referral_date: date | None = None) -> CaseInfo:
        reference = normalise_reference(reference)
        require_team_access(self.actor, self.actor.team_id, self.channel, "open")
        if referral_date is not None:
            _check_referral_date(referral_date)
        existing = self._find_case(reference)
        if existing is not None:
            # another team's reference: the same neutral, audited refusal as other cross-team work
            require_case_access(self.actor, existing, self.channel, "open", CannotOpenCase)
            raise CaseExists(reference)
        case = Case(
            reference=reference,
            team_id=self.actor.team_id,
            opened_by_id=self.actor.id,
            referral_date=referral_date,
        )
        self.session.add(case)
        self.session.flush()
        self._audit(audit.OPEN_CASE, case)
        if referral_date is not None:  # the first row of its history (open_case audits it)
            self._add_referral_date(case, referral_date)
        return self._info(case)

    @unit_of_work("Recording the referral date")
    def record_referral_date(self, reference: str, referral_date: date) -> CaseInfo:
        """Record or correct the case's referral date (not in the future; the case open).

        Append-only: a new row becomes current and earlier values stay in the history
        (`referral_dates`). Recording the date it already has changes nothing.
        """
        case = self._case(reference, "record")
        self._require_open(case)
        _check_referral_date(referral_date)
        current = current_referral_dates(self.session, [case.id]).get(case.id)
        if current != referral_date:
            self._add_referral_date(case, referral_date)
            was = current.isoformat() if current else "none"
            self._audit(audit.RECORD_REFERRAL_DATE, case,
                        f"referral date {referral_date.isoformat()} (was {was})")
        return self._info(case)

    @unit_of_work("Reading the case history")
    def referral_date_history(self, reference: str) -> list[ReferralDateInfo]:
        """Every referral date recorded on the case, oldest first; the last is current."""
        case = self._case(reference, "read")
        rows = self.session.scalars(
            select(ReferralDate).where(ReferralDate.case_id == case.id).order_by(ReferralDate.id)
        ).all()
        self._audit(audit.READ_CASE, case, "referral date history")
        return [
            ReferralDateInfo(r.referral_date, r.practitioner.username, r.channel, r.recorded_at,
                             current=i == len(rows) - 1)
            for i, r in enumerate(rows)
        ]

    @unit_of_work("Reading the case")
    def get_case(self, reference: str) -> CaseInfo:
        case = self._case(reference, "read")
        self._audit(audit.READ_CASE, case, "case")
        return self._info(case)

    @unit_of_work("Listing cases")
    def list_cases(self, team: str | None = None) -> list[CaseInfo]:
        """The actor's team's cases (another team's name is refused and audited)."""
        team_id = self.actor.team_id
        if team is not None:
            named = self.session.scalar(select(Team).where(Team.name == team))
            if named is None:
                raise UnknownTeam(team)
            team_id = named.id
        require_team_access(self.actor, team_id, self.channel, "list")
        cases = self._team_cases(team_id)
        self._audit(audit.LIST_CASES, None, f"{len(cases)} cases")
        return self._infos(cases)

    @unit_of_work("Listing cases")
    def list_case_summaries(self) -> list[CaseSummary]:
        """A summary of each of the actor's team's cases (for the team's case list: flags and
        checklist progress), in a handful of queries however many cases there are."""
        cases = self._team_cases(self.actor.team_id)
        self._audit(audit.LIST_CASES, None, f"{len(cases)} case summaries")
        return self._summaries(cases, self._infos(cases))

    def _team_cases(self, team_id: int) -> list[Case]:
        return list(self.session.scalars(
            select(Case)
            .where(Case.team_id == team_id)
            .options(selectinload(Case.opened_by))
            .order_by(Case.reference)
        ).all())

    def _infos(self, cases: list[Case]) -> list[CaseInfo]:
        ids = [c.id for c in cases]
        statuses = case_statuses(self.session, ids)
        referral_dates = current_referral_dates(self.session, ids)
        return [
            self._info(c, statuses.get(c.id, ("open", None)), referral_dates.get(c.id))
            for c in cases
        ]

    @unit_of_work("Closing the case")
    def close_case(self, reference: str, reason: str) -> CaseInfo:
        """Record that the case is closed (an event: the case stays readable)."""
        return self._change_status(reference, "closed", reason, audit.CLOSE_CASE)

    @unit_of_work("Reopening the case")
    def reopen_case(self, reference: str, reason: str) -> CaseInfo:
        return self._change_status(reference, "open", reason, audit.REOPEN_CASE)

    # ----- entries -----------------------------------------------------------------------

    @unit_of_work("Recording the answer")
    def record_answer(
        self,
        reference: str,
        checklist_id: str,
        item_id: str,
        value: str | None,
        note: str | None = None,
        reasoning: str | None = None,
        kind: str = "answer",
    ) -> Entry:
        """Append an answer, judgement (reasoning required), skip or note to a checklist item.

        Free text is stored as given: screening for personal details (`casestore.pii`) is the
        caller's decision.
        """
        case = self._case(reference, "record")
        self._require_open(case)
        return self._append(case, kind, checklist_id, item_id, value, note, reasoning, None)

    @unit_of_work("Recording the skip")
    def record_skip(
        self, reference: str, checklist_id: str, item_id: str, reason: str | None = None
    ) -> Entry:
        case = self._case(reference, "record")
        self._require_open(case)
        return self._append(case, "skip", checklist_id, item_id, None, reason, None, None)

    @unit_of_work("Recording the note")
    def record_note(
        self,
        reference: str,
        text: str,
        checklist_id: str | None = None,
        item_id: str | None = None,
    ) -> Entry:
        case = self._case(reference, "record")
        self._require_open(case)
        return self._append(case, "note", checklist_id, item_id, text, None, None, None)

    @unit_of_work("Recording the correction")
    def correct(
        self,
        entry_id: int,
        value: str | None,
        note: str | None = None,
        reasoning: str | None = None,
        kind: str | None = None,
    ) -> Entry:
        """Append a new entry that replaces `entry_id` (which stays in the history)."""
        old = self.session.get(Entry, entry_id)
        if old is None:
            raise UnknownEntry(entry_id)
        case = self.session.get(Case, old.case_id)
        assert case is not None
        require_case_access(self.actor, case, self.channel, "correct")
        self._require_open(case)
        if old.kind == "status":
            raise InvalidEntry(
                "A case status change cannot be corrected; close or reopen the case."
            )
        newer = self.session.scalar(select(Entry.id).where(Entry.corrects_entry_id == old.id))
        if newer is not None:
            raise AlreadyCorrected(old.id, newer)
        new_kind = kind or ("answer" if old.kind == "skip" else old.kind)
        return self._append(
            case, new_kind, old.checklist_id, old.item_id, value, note, reasoning, old.id
        )

    @unit_of_work("Reading the case")
    def current_answers(
        self, reference: str, checklist_id: str | None = None
    ) -> dict[str, Entry]:
        """Current view: full item id ("3.4:previous-history") -> its latest entry."""
        case = self._case(reference, "read")
        latest = latest_answer_ids(self.session, case.id, checklist_id)
        entries = self.session.scalars(
            select(Entry).where(Entry.id.in_(latest)).order_by(Entry.id)
        ).all()
        self._audit(audit.READ_CASE, case, f"current answers {checklist_id or 'all'}")
        return {e.full_item_id: e for e in entries if e.full_item_id}

    @unit_of_work("Reading the case history")
    def history(self, reference: str) -> list[Entry]:
        """Every entry on the case in the order recorded, corrections included."""
        case = self._case(reference, "read")
        entries = self.session.scalars(
            select(Entry).where(Entry.case_id == case.id).order_by(Entry.id)
        ).all()
        self._audit(audit.READ_CASE, case, "history")
        return list(entries)

    # ----- flags -------------------------------------------------------------------------

    @unit_of_work("Recording the flag")
    def raise_flag(self, reference: str, rule_id: str, entry_id: int | None = None) -> Flag:
        """Record that flag rule `rule_id` fired on the case (once per case and rule)."""
        case = self._case(reference, "record")
        _check_id("rule id", rule_id)
        existing = self.session.scalar(
            select(Flag).where(Flag.case_id == case.id, Flag.rule_id == rule_id)
        )
        if existing is not None:
            return existing
        self._require_open(case)
        if entry_id is not None:
            entry = self.session.get(Entry, entry_id)
            if entry is None or entry.case_id != case.id:
                raise InvalidEntry(f"Entry {entry_id} is not an entry of case {case.reference}.")
        flag = Flag(
            case_id=case.id,
            rule_id=rule_id,
            raised_by_entry_id=entry_id,
            practitioner_id=self.actor.id,
            channel=self.channel,
        )
        self.session.add(flag)
        self.session.flush()
        self._audit(audit.RAISE_FLAG, case, f"flag {rule_id} (entry {entry_id})")
        return flag

    @unit_of_work("Reading the flags")
    def flags(self, reference: str) -> list[Flag]:
        case = self._case(reference, "read")
        result = self.session.scalars(
            select(Flag).where(Flag.case_id == case.id).order_by(Flag.id)
        ).all()
        self._audit(audit.READ_CASE, case, "flags")
        return list(result)

    # ----- summary and export ------------------------------------------------------------

    @unit_of_work("Reading the case summary")
    def summary(self, reference: str) -> CaseSummary:
        """Current answers per checklist, flags, status: a handful of indexed queries."""
        case = self._case(reference, "read")
        self._audit(audit.READ_CASE, case, "summary")
        return self._summary(case)

    @unit_of_work("Exporting the case")
    def export_summary(self, reference: str, what: str) -> CaseSummary:
        """The summary, for a document made from it (a Word export), audited as an export of `what`."""
        case = self._case(reference, "export")
        self._audit(audit.EXPORT, case, what)
        return self._summary(case)

    @unit_of_work("Exporting the case")
    def export_case(self, reference: str) -> dict[str, Any]:
        """The full record of a case as a JSON-able dict (handover, subject access)."""
        case = self._case(reference, "export")
        self._audit(audit.EXPORT, case, "full export")
        self.session.flush()
        return build_export(self.session, case, self._info(case), self.actor.username)

    def _summary(self, case: Case) -> CaseSummary:
        return self._summaries([case], [self._info(case)])[0]

    def _summaries(self, cases: list[Case], infos: list[CaseInfo]) -> list[CaseSummary]:
        """Summaries of `cases` (with their `infos`) in four queries, however many cases."""
        ids = [c.id for c in cases]
        latest = latest_answer_ids_of_cases(self.session, ids)
        rows = self.session.execute(
            select(
                Entry.id,
                Entry.case_id,
                Entry.kind,
                Entry.checklist_id,
                Entry.item_id,
                Entry.value,
                Entry.recorded_at,
                Entry.corrects_entry_id,
                Entry.note,
                Entry.reasoning,
                Practitioner.username,
            )
            .join(Practitioner, Practitioner.id == Entry.practitioner_id)
            .where(Entry.id.in_(latest))
            .order_by(Entry.id)
        ).all() if latest else []
        answers: dict[int, dict[str, dict[str, CurrentAnswer]]] = {i: {} for i in ids}
        for row in rows:
            answers[row.case_id].setdefault(row.checklist_id, {})[row.item_id] = CurrentAnswer(
                row.id, row.kind, row.value, row.recorded_at, row.corrects_entry_id is not None,
                note=row.note, reasoning=row.reasoning, recorded_by=row.username,
            )
        flags: dict[int, list[str]] = {i: [] for i in ids}
        for case_id, rule_id in self.session.execute(
            select(Flag.case_id, Flag.rule_id).where(Flag.case_id.in_(ids)).order_by(Flag.id)
        ):
            flags[case_id].append(rule_id)
        counts = {
            r.case_id: (r.count, r.last)
            for r in self.session.execute(
                select(
                    Entry.case_id,
                    func.count(Entry.id).label("count"),
                    func.max(Entry.recorded_at).label("last"),
                )
                .where(Entry.case_id.in_(ids))
                .group_by(Entry.case_id)
            )
        }
        return [
            CaseSummary(info, answers[c.id], flags[c.id], *counts.get(c.id, (0, None)))
            for c, info in zip(cases, infos)
        ]

    # ----- checklist progress (working state; not audited) -------------------------------

    @unit_of_work("Reading the checklist position")
    def get_progress(self, reference: str, checklist_id: str) -> str | None:
        """The item the actor was at in `checklist_id` on this case, if any."""
        case = self._case(reference, "read")
        row = self._progress_row(case.id, checklist_id)
        return row.cursor_item_id if row else None

    @unit_of_work("Reading the checklist position")
    def progress(self, reference: str) -> dict[str, str | None]:
        """All of the actor's checklist positions on this case: checklist id -> item id."""
        case = self._case(reference, "read")
        rows = self.session.scalars(
            select(ChecklistProgress)
            .where(
                ChecklistProgress.case_id == case.id,
                ChecklistProgress.practitioner_id == self.actor.id,
            )
            .order_by(ChecklistProgress.updated_at.desc())
        ).all()
        return {r.checklist_id: r.cursor_item_id for r in rows}

    @unit_of_work("Reading the checklist position")
    def latest_progress(self, reference: str | None = None) -> ProgressInfo | None:
        """The actor's most recently touched unfinished checklist (cursor set), on `reference`
        or on any case of their team; None if there is none."""
        query = (
            select(Case.reference, ChecklistProgress.checklist_id,
                   ChecklistProgress.cursor_item_id, ChecklistProgress.updated_at)
            .join(Case, Case.id == ChecklistProgress.case_id)
            .where(
                ChecklistProgress.practitioner_id == self.actor.id,
                ChecklistProgress.cursor_item_id.is_not(None),
                Case.team_id == self.actor.team_id,
            )
            .order_by(ChecklistProgress.updated_at.desc(), ChecklistProgress.id.desc())
            .limit(1)
        )
        if reference is not None:
            query = query.where(Case.id == self._case(reference, "read").id)
        row = self.session.execute(query).first()
        return ProgressInfo(*row) if row else None

    @unit_of_work("Saving the checklist position")
    def set_progress(self, reference: str, checklist_id: str, cursor_item_id: str | None) -> None:
        case = self._case(reference, "record")
        _check_id("checklist id", checklist_id)
        row = self._progress_row(case.id, checklist_id)
        if row is None:
            self.session.add(
                ChecklistProgress(
                    case_id=case.id,
                    checklist_id=checklist_id,
                    practitioner_id=self.actor.id,
                    cursor_item_id=cursor_item_id,
                    updated_at=now_utc(),  # microseconds: orders positions touched in a row
                )
            )
        else:
            row.cursor_item_id = cursor_item_id
            row.updated_at = now_utc()

    @unit_of_work("Saving the checklist position")
    def clear_progress(self, reference: str, checklist_id: str) -> None:
        case = self._case(reference, "record")
        row = self._progress_row(case.id, checklist_id)
        if row is not None:
            self.session.delete(row)

    # ----- internals ---------------------------------------------------------------------

    def _find_case(self, reference: str) -> Case | None:
        return self.session.scalar(select(Case).where(Case.reference == reference))

    def _case(self, reference: str, action: str) -> Case:
        """The case, after checking the reference format, existence and team scope."""
        reference = normalise_reference(reference)
        case = self._find_case(reference)
        if case is None:
            raise UnknownCase(reference)
        require_case_access(self.actor, case, self.channel, action)
        return case

    def _require_open(self, case: Case) -> None:
        if case_status(self.session, case.id)[0] == "closed":
            raise CaseClosed(case.reference)

    def _change_status(self, reference: str, status: str, reason: str, action: str) -> CaseInfo:
        case = self._case(reference, "close" if status == "closed" else "reopen")
        if case_status(self.session, case.id)[0] != status:
            reason_text = _clean_text("reason", reason, required=True)
            self.session.add(
                Entry(
                    case_id=case.id,
                    kind="status",
                    value=status,
                    note=reason_text,
                    channel=self.channel,
                    practitioner_id=self.actor.id,
                )
            )
            self.session.flush()
            self._audit(action, case, f"case {status}")
        return self._info(case)

    def _append(
        self,
        case: Case,
        kind: str,
        checklist_id: str | None,
        item_id: str | None,
        value: str | None,
        note: str | None,
        reasoning: str | None,
        corrects_entry_id: int | None,
    ) -> Entry:
        if kind not in RECORDABLE_KINDS:
            raise InvalidEntry(f"Entries of kind {kind!r} cannot be recorded here.")
        if kind != "note" or checklist_id is not None or item_id is not None:
            _check_id("checklist id", checklist_id)
            _check_id("item id", item_id)
        entry = Entry(
            case_id=case.id,
            kind=kind,
            checklist_id=checklist_id,
            item_id=item_id,
            value=_clean_text("answer", value, required=kind in ("answer", "judgement", "note")),
            note=_clean_text("note", note, required=False),
            reasoning=_clean_text("reasoning", reasoning, required=kind == "judgement"),
            channel=self.channel,
            practitioner_id=self.actor.id,
            corrects_entry_id=corrects_entry_id,
        )
        self.session.add(entry)
        self.session.flush()
        action = audit.CORRECT if corrects_entry_id else audit.RECORD_ACTIONS[kind]
        detail = f"entry {entry.id} {kind} {entry.full_item_id or ''}".rstrip()
        if corrects_entry_id:
            detail += f" corrects entry {corrects_entry_id}"
        self._audit(action, case, detail)
        return entry

    def _progress_row(self, case_id: int, checklist_id: str) -> ChecklistProgress | None:
        return self.session.scalar(
            select(ChecklistProgress).where(
                ChecklistProgress.case_id == case_id,
                ChecklistProgress.checklist_id == checklist_id,
                ChecklistProgress.practitioner_id == self.actor.id,
            )
        )

    def _add_referral_date(self, case: Case, referral_date: date) -> None:
        self.session.add(
            ReferralDate(
                case_id=case.id,
                referral_date=referral_date,
                practitioner_id=self.actor.id,
                channel=self.channel,
                recorded_at=now_utc(),  # microseconds: orders dates recorded in a row
            )
        )
        self.session.flush()

    def _info(
        self, case: Case, status: CaseStatus | None = None, referral_date: date | None = None
    ) -> CaseInfo:
        """What a caller sees of a case. List callers pass the status and current referral
        date they fetched for many cases at once; otherwise both are read here."""
        state, closed_at = status or case_status(self.session, case.id)
        if status is None:
            referral_date = current_referral_dates(self.session, [case.id]).get(case.id)
        return CaseInfo(
            reference=case.reference,
            team=case.team.name,
            status=state,
            opened_at=case.opened_at,
            opened_by=case.opened_by.username,
            referral_date=referral_date,
            closed_at=closed_at,
        )

    def _audit(self, action: str, case: Case | None, detail: str | None = None) -> None:
        audit.record(
            self.session,
            action,
            actor_id=self.actor.id,
            channel=self.channel,
            case_id=case.id if case else None,
            detail=detail,
        )


def _check_referral_date(value: date) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidEntry("The referral date must be a date.")
    if value > date.today():
        raise InvalidEntry("The referral date cannot be in the future.")


def _check_id(what: str, value: str | None) -> None:
    if not value or not isinstance(value, str) or len(value) > MAX_ID_LENGTH or ":" in value:
        raise InvalidEntry(f"A {what} is required (short, without ':'); got {value!r}.")


def _clean_text(what: str, value: str | None, *, required: bool) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InvalidEntry(f"The {what} must be text.")
    text = value.strip() if value else None
    if required and not text:
        raise InvalidEntry(f"The {what} is required.")
    if text and len(text) > MAX_TEXT_LENGTH:
        raise InvalidEntry(f"The {what} is too long (at most {MAX_TEXT_LENGTH} characters).")
    return text or None
