"""Helpers shared by the checklist tests (a module of its own: `from conftest import` would pick
up whichever conftest pytest loaded first)."""
from __future__ import annotations

from actions.replies import Reply

CASE = "NW/2026/0012"
ASKED: list[str] = []


def fake_answer(text: str) -> Reply:
    """Stands in for the protocol Q&A when a question is asked mid-checklist; remembers it."""
    ASKED.append(text)
    return Reply(f"(protocol answer to: {text})", ["3.9"])
