"""Process-wide resources of the action server, built once: the knowledge base and the case store."""
from __future__ import annotations

import functools

from sqlalchemy.orm import Session, sessionmaker

import knowledge
from casestore.db import make_engine, make_session_factory


def kb() -> knowledge.KnowledgeBase:
    return knowledge.load()  # cached per process by knowledge.load itself


@functools.lru_cache(maxsize=1)
def sessions() -> sessionmaker[Session]:
    return make_session_factory(make_engine())
