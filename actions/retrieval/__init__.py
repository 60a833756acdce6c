"""Which protocol units answer a question: `retriever().search(text, context)` -> Decision.

Built once per process from knowledge.load(), knowledge/data/retrieval.yml and the project's spaCy
pipeline (build/spacy/CURRENT).
"""
from __future__ import annotations

import functools

import knowledge
from actions.retrieval.retriever import Candidate, Decision, Outcome, Query, Retriever, build

__all__ = ["retriever", "Retriever", "Decision", "Outcome", "Candidate", "Query"]


@functools.lru_cache(maxsize=1)
def retriever() -> Retriever:
    return build(knowledge.load())
