"""Shared fixtures for the knowledge tests: the real source, its units, and a small tmp root."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Callable, List

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from knowledge.loader import PACKAGE_ROOT, read_yaml  # noqa: E402
from knowledge.model import Unit  # noqa: E402
from knowledge.units import SEGMENTS_FILE, derive_units  # noqa: E402

SOURCE_FILE = PACKAGE_ROOT / "source" / "joint-protocol-iioc.md"
# The files this area owns; a tmp root built from them has no checklists, flags, ... yet.
OWN_DATA = ["protocol.yml", "answer_kinds.yml", "segments.yml"]


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def units(source_text: str) -> List[Unit]:
    """Units derived from the source alone (independent of the hand-written data files)."""
    return derive_units(source_text, read_yaml(PACKAGE_ROOT, SEGMENTS_FILE))


@pytest.fixture(scope="session")
def unit_map(units: List[Unit]) -> dict:
    return {unit.id: unit for unit in units}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A knowledge root with the source and this area's data files only."""
    (tmp_path / "source").mkdir()
    shutil.copy(SOURCE_FILE, tmp_path / "source" / SOURCE_FILE.name)
    (tmp_path / "data" / "checklists").mkdir(parents=True)
    for name in OWN_DATA:
        shutil.copy(PACKAGE_ROOT / "data" / name, tmp_path / "data" / name)
    return tmp_path


@pytest.fixture
def write(root: Path) -> Callable[[str, str], Path]:
    def _write(relative: str, text: str) -> Path:
        path = root / "data" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return _write
