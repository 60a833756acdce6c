"""Which protocol units answer a question: `retriever().search(text, context)` -> Decision.

Built once per process from knowledge.load(), knowledge/data/retrieval.yml and the project's spaCy
pipeline (build/spacy/CURRENT).
"""
from __future__ import annotations

import functools
import threading

import knowledge
from actions.retrieval.query import Query
from actions.retrieval.retriever import Candidate, Decision, Outcome, Retriever, build

__all__ = ["retriever", "Retriever", "Decision", "Outcome", "Candidate", "Query"]


_building = threading.Lock()


@functools.lru_cache(maxsize=1)
def _built() -> Retriever:
    return build(knowledge.load())


def retriever() -> Retriever:
    with _building:  # the action server warms it in a thread while the first request may arrive
        return _built()
