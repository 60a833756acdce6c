"""Where a conversation is in a checklist, as kept in the `checklist` slot.

The slot is a convenience for routing; the case store's checklist progress row is the durable
copy, so a lost or expired conversation resumes from the database.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# What the next message is expected to be.
ANSWER = "answer"                  # an option (or typed text for free-text items)
NOTE = "note"                      # the note an option requires (evidence, reasoning)
PII_CONFIRM = "pii_confirm"        # rephrase, or "keep it" to record text that looks personal
TRIAGE_SELECT = "triage_select"    # which of the numbered factors are present / not known
TRIAGE_CONFIRM = "triage_confirm"  # confirm the triage answers before they are recorded


@dataclass
class ChecklistState:
    case: str
    checklist: str
    item: str | None
    awaiting: str = ANSWER
    pending: dict[str, Any] = field(default_factory=dict)

    def to_slot(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_slot(cls, value: Any) -> "ChecklistState | None":
        if not isinstance(value, dict) or not value.get("case") or not value.get("checklist"):
            return None
        return cls(case=value["case"], checklist=value["checklist"], item=value.get("item"),
                   awaiting=value.get("awaiting") or ANSWER, pending=dict(value.get("pending") or {}))
