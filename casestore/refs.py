"""Case references: `NW/YYYY/NNNN` (e.g. NW/2026/0012). The one pattern lives here."""
from __future__ import annotations

import re

from .errors import InvalidReference

REFERENCE_PATTERN = r"NW/(?P<year>20\d{2})/(?P<number>\d{4})"
REFERENCE_RE = re.compile(rf"^{REFERENCE_PATTERN}$")
# In free text a reference is also recognised typed with dashes or spaces ("NW-2026-0412").
_IN_TEXT_RE = re.compile(r"(?<![\w/-])NW(?P<sep>[/ -])(?P<year>20\d{2})(?P=sep)(?P<number>\d{4})(?![\w/-])",
                         re.IGNORECASE)


def normalise_reference(text: str) -> str:
    """Return the canonical reference (upper case, trimmed) or raise InvalidReference."""
    candidate = (text or "").strip().upper() if isinstance(text, str) else ""
    if not REFERENCE_RE.match(candidate):
        raise InvalidReference(text)
    return candidate


def is_valid_reference(text: str) -> bool:
    try:
        normalise_reference(text)
    except InvalidReference:
        return False
    return True


def find_reference(text: str) -> str | None:
    """The first case reference written in free text (e.g. a chat message), normalised."""
    match = _IN_TEXT_RE.search(text or "")
    return f"NW/{match.group('year')}/{match.group('number')}" if match else None
