"""BM25F over the units' fields: text, titles, glossary names and curated hints.

Each field's term frequencies are length-normalised on their own, weighted, summed into one
pseudo-frequency per (term, unit), then saturated once (BM25F). The per-term score rows are
precomputed, so scoring a query is a sum of a few rows.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Field:
    name: str
    weight: float
    b: float


FIELDS = (Field("text", 1.0, 0.5), Field("title", 2.0, 0.3), Field("glossary", 1.2, 0.3),
          Field("hints", 2.6, 0.4), Field("asked", 0.4, 0.75))
# Whether a unit "contains" a word, for deciding if a question is in scope at all, is judged on the
# protocol's own fields; the question bank's everyday words ("laptop", "room") rank, but do not
# make a question about room bookings look like one about the protocol.
OWN_FIELDS = ("text", "title", "glossary", "hints")
K1 = 1.4


class Index:
    def __init__(self, unit_ids: list[str], fields: dict[str, list[Counter[str]]]):
        """fields: field name -> one Counter of terms (fractional counts allowed) per unit."""
        self.unit_ids = unit_ids
        n_units = len(unit_ids)
        pseudo: list[Counter[str]] = [Counter() for _ in unit_ids]
        for spec in FIELDS:
            per_unit = fields[spec.name]
            lengths = [sum(counter.values()) for counter in per_unit]
            average = (sum(lengths) / max(1, sum(1 for n in lengths if n))) or 1.0
            for position, counter in enumerate(per_unit):
                norm = 1 - spec.b + spec.b * (lengths[position] / average)
                for term, count in counter.items():
                    pseudo[position][term] += spec.weight * count / norm
        self.own: dict[str, np.ndarray] = {}
        for name in OWN_FIELDS:
            for position, counter in enumerate(fields[name]):
                for term in counter:
                    self.own.setdefault(term, np.zeros(n_units, dtype=bool))[position] = True
        vocabulary = sorted({term for counter in pseudo for term in counter})
        self.column = {term: row for row, term in enumerate(vocabulary)}
        document_frequency = Counter(term for counter in pseudo for term in counter)
        self.idf = {term: math.log(1 + (n_units - df + 0.5) / (df + 0.5))
                    for term, df in document_frequency.items()}
        self.max_idf = math.log(1 + (n_units - 0.5) / 1.5)
        self.rows = np.zeros((len(vocabulary), n_units), dtype=np.float32)
        for position, counter in enumerate(pseudo):
            for term, tf in counter.items():
                self.rows[self.column[term], position] = self.idf[term] * tf / (K1 + tf)

    def __contains__(self, term: str) -> bool:
        return term in self.column

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        total = np.zeros(len(self.unit_ids), dtype=np.float32)
        for term, weight in weighted_terms.items():
            row = self.column.get(term)
            if row is not None:
                total += weight * self.rows[row]
        return total

    def matches(self, term: str) -> np.ndarray:
        """Boolean per unit: does the unit contain the term in one of the protocol's own fields."""
        found = self.own.get(term)
        return found if found is not None else np.zeros(len(self.unit_ids), dtype=bool)

    def owns(self, term: str) -> bool:
        """The protocol's own fields use the term somewhere."""
        return term in self.own
