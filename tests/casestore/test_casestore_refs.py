"""Case reference format NW/YYYY/NNNN."""
from __future__ import annotations

import pytest

from casestore.errors import InvalidReference
from casestore.refs import find_reference, is_valid_reference, normalise_reference


@pytest.mark.parametrize("text", ["NW/2026/0012", "nw/2026/0012", " NW/2018/9999 "])
def test_valid_references(text: str) -> None:
    assert normalise_reference(text) == text.strip().upper()


@pytest.mark.parametrize(
    "text", ["NW/2026/012", "NW/1999/0012", "NW/2026/0012/1", "NW 2026 0012", "SW/2026/0012", ""]
)
def test_invalid_references(text: str) -> None:
    assert not is_valid_reference(text)
    with pytest.raises(InvalidReference):
        normalise_reference(text)


def test_find_reference_in_text() -> None:
    assert find_reference("record this for nw/2026/0012 please") == "NW/2026/0012"
    assert find_reference("paragraph 3.4, no case here") is None
    assert find_reference("XNW/2026/00123") is None
    assert find_reference("new case NW-2026-0412") == "NW/2026/0412"
    assert find_reference("open nw 2026 0412 today") == "NW/2026/0412"
    assert find_reference("NW-2026/0412") is None       # one separator throughout
    assert find_reference("phone 01745-2026-0412") is None
