"""How closely a question matches one of the phrasings practitioners use for each unit.

The unit index (index.py) pools every word a unit's fields contain, so a question that shares one
rare word with a neighbouring paragraph can outscore the paragraph whose curated question it nearly
repeats. Here each curated phrase (retrieval hints and the question bank) is its own document, and
a question is scored against each one as a weighted F-measure: how much of the question the phrase
covers (recall) and how much of the phrase the question covers (precision). A unit's phrase score
is that of its best phrase.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from actions.retrieval.frequency import Informativeness
from actions.retrieval.query import Query, QueryBuilder

RECALL_BIAS = 2.0   # F-beta's beta: what of the question a phrase covers counts more than the rest


@dataclass(frozen=True)
class Posting:
    phrases: np.ndarray   # phrase positions containing the term
    shares: np.ndarray    # the term's share of each such phrase's total weight


class PhraseIndex:
    def __init__(self, phrases: list[tuple[str, list[str]]], unit_ids: list[str], informativeness: Informativeness):
        """phrases: (unit id, the phrase's content terms) pairs."""
        position = {unit_id: index for index, unit_id in enumerate(unit_ids)}
        self.unit_of = np.array([position[unit_id] for unit_id, _ in phrases], dtype=np.int64)
        self.n_units = len(unit_ids)
        term_sets = [set(terms) for _, terms in phrases]
        n_phrases = len(phrases)
        frequency: dict[str, int] = defaultdict(int)
        for terms in term_sets:
            for term in terms:
                frequency[term] += 1
        self.idf = {term: math.log(1 + n_phrases / df) for term, df in frequency.items()}
        weights = [{term: self.idf[term] * informativeness(term) for term in terms} for terms in term_sets]
        by_term: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for position, weighted in enumerate(weights):
            total = sum(weighted.values()) or 1.0
            for term, weight in weighted.items():
                by_term[term][0].append(position)
                by_term[term][1].append(weight / total)
        self.postings = {term: Posting(np.array(p, dtype=np.int64), np.array(s, dtype=np.float32))
                         for term, (p, s) in by_term.items()}
        self.n_phrases = n_phrases

    def phrase_scores(self, query: Query, queries: QueryBuilder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per phrase: the weighted F-measure, the recall (share of the question covered) and how
        many of the question's words it matches."""
        recall = np.zeros(self.n_phrases, dtype=np.float32)
        words = np.zeros(self.n_phrases, dtype=np.int32)
        precision = np.zeros(self.n_phrases, dtype=np.float32)
        total = 0.0
        counted: dict[str, float] = {}
        for group in query.groups:
            weight = queries.weight(group)
            total += weight
            matched = np.zeros(self.n_phrases, dtype=np.float32)
            for term, term_weight in group.terms.items():
                posting = self.postings.get(term)
                if posting is None:
                    continue
                degree = min(1.0, term_weight)
                np.maximum.at(matched, posting.phrases, degree)
                counted[term] = max(counted.get(term, 0.0), degree)
            recall += weight * matched
            words += matched > 0
        for term, degree in counted.items():
            posting = self.postings[term]
            np.add.at(precision, posting.phrases, degree * posting.shares)
        if total <= 0:
            return np.zeros(self.n_phrases, dtype=np.float32), recall, words
        recall /= total
        beta2 = RECALL_BIAS ** 2
        denominator = beta2 * precision + recall
        f_measure = np.where(denominator > 0, (1 + beta2) * precision * recall / np.maximum(denominator, 1e-9), 0.0)
        return f_measure.astype(np.float32), recall, words

    def unit_scores(self, query: Query, queries: QueryBuilder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per unit: its best phrase's F-measure, that phrase's recall, and how many of the
        question's words it matches."""
        f_measure, recall, words = self.phrase_scores(query, queries)
        best = np.zeros(self.n_units, dtype=np.float32)
        np.maximum.at(best, self.unit_of, f_measure)
        is_best = f_measure >= best[self.unit_of] - 1e-6
        best_recall = np.zeros(self.n_units, dtype=np.float32)
        np.maximum.at(best_recall, self.unit_of, np.where(is_best, recall, 0.0))
        best_words = np.zeros(self.n_units, dtype=np.int32)
        np.maximum.at(best_words, self.unit_of, np.where(is_best, words, 0))
        return best, best_recall, best_words
