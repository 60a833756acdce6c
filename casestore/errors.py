"""Errors raised by the case store. `str(error)` is a message fit to show a practitioner."""
from __future__ import annotations


class CaseStoreError(Exception):
    """Base class of every case store error."""


class InvalidReference(CaseStoreError, ValueError):
    def __init__(self, text: object) -> None:
        super().__init__(
            f"{text!r} is not a case reference. References look like NW/2026/0012 "
            "(NW, the year, and a four-digit number)."
        )
        self.text = text


class UnknownCase(CaseStoreError, LookupError):
    def __init__(self, reference: str) -> None:
        super().__init__(
            f"There is no case {reference} in the case record. Check the reference, "
            "or open the case first."
        )
        self.reference = reference


class CaseExists(CaseStoreError):
    def __init__(self, reference: str) -> None:
        super().__init__(f"Case {reference} already exists; it cannot be opened again.")
        self.reference = reference


class CaseClosed(CaseStoreError):
    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Case {reference} is closed, so nothing more can be recorded on it. "
            "Reopen it first if work on it has restarted."
        )
        self.reference = reference


class UnknownEntry(CaseStoreError, LookupError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"There is no entry {entry_id} in the case record.")
        self.entry_id = entry_id


class AlreadyCorrected(CaseStoreError):
    def __init__(self, entry_id: int, corrected_by: int) -> None:
        super().__init__(
            f"Entry {entry_id} has already been corrected by entry {corrected_by}; "
            "correct the latest entry instead."
        )
        self.entry_id = entry_id
        self.corrected_by = corrected_by


class InvalidEntry(CaseStoreError, ValueError):
    """An entry that cannot be recorded as given (missing value, reasoning, ...)."""


class UnknownTeam(CaseStoreError, LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is no team called {name!r}.")
        self.name = name


class StoreUnavailable(CaseStoreError):
    """The database failed; the transaction was rolled back, so nothing was recorded."""

    def __init__(self, what: str = "The change") -> None:
        super().__init__(
            f"{what} did not complete and nothing was recorded: the case record is "
            "unavailable just now. Please try again in a moment; if it keeps failing, "
            "tell your system administrator."
        )


class Refused(CaseStoreError):
    """A refusal that must be audited. `audit` holds the AuditEvent fields; the unit of work
    (`casestore.db.run_unit_of_work`) rolls back the refused work, commits that audit row and
    re-raises, so refusals are never lost."""

    audit: dict[str, object] | None = None

    def with_audit(self, **fields: object) -> "Refused":
        self.audit = fields
        return self


class AccessDenied(Refused, PermissionError):
    def __init__(self, reference: str | None, action: str) -> None:
        target = f"case {reference}" if reference else "that team's cases"
        super().__init__(
            f"You cannot {action.replace('_', ' ')} {target}: practitioners can only work on "
            "their own team's cases. This attempt has been recorded."
        )
        self.reference = reference
        self.action = action


class CannotOpenCase(AccessDenied):
    """Opening a reference another team holds: refused (and audited) in words that read the same
    as the other cross-team refusals, without saying which team holds it."""

    def __init__(self, reference: str, action: str = "open") -> None:
        Refused.__init__(
            self,
            f"{reference} cannot be opened by your team. Check the reference, or ask your "
            "manager. This attempt has been recorded.",
        )
        self.reference = reference
        self.action = action


class IdentityRefused(Refused):
    def __init__(self, reason: str) -> None:
        super().__init__(
            "Your identity could not be confirmed, so no case work is possible "
            f"({reason}). Sign in again through the web app or Teams; protocol "
            "questions can still be answered."
        )
        self.reason = reason


class UnknownPractitioner(IdentityRefused):
    """A verified identity that no active practitioner account is linked to. The message is
    for the person; the identifiers (`who`) go to the log and the audit row only."""

    ACCOUNTS = {"teams": "Your Teams account", "web": "Your web login"}

    def __init__(self, who: str, idp: str | None = None, inactive: bool = False) -> None:
        account = self.ACCOUNTS.get(idp or "", "Your account")
        state = "is no longer active for case work" if inactive else "is not set up for case work yet"
        Refused.__init__(
            self,
            f"{account} {state}; ask your system administrator to "
            f"{'reactivate' if inactive else 'link'} it. Protocol questions can still be answered.",
        )
        self.who = who
        self.reason = f"unknown practitioner {who}"
