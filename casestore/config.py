"""Where the case store lives. `database_url()` is the single reader of DATABASE_URL."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    """Runtime state directory: IIOC_VAR_DIR, else the repository's var/."""
    configured = os.environ.get("IIOC_VAR_DIR", "").strip()
    return Path(configured) if configured else REPO_ROOT / "var"


def database_url() -> str:
    """The SQLAlchemy URL of the case database (env DATABASE_URL, else <var>/casestore.db)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{var_dir() / 'casestore.db'}"
