"""How common a word is in general English, from spacy-lookups-data's word probabilities.

Used three ways: "definitely", "come", "stuff" say little about what a question is about, however
rare they are in the protocol (informativeness); a word English uses is not a typo to be corrected
("furious" is not "curious"); and a word far more frequent in the protocol than in English
("perpetrator", "conference") is evidence that a question is about the protocol's subject.
"""
from __future__ import annotations

import gzip
import json
import logging
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

logger = logging.getLogger(__name__)

COMMON = -7.0      # log-probability at or above which a word carries almost nothing
RARE = -11.5       # at or below which a word carries full weight
REAL_WORD = -15.0  # above this a word is English; below it, mostly typos and noise
UNSEEN = -16.0     # what a word English never used is taken to have
FLOOR = 0.15
RARE_FORM = -13.5           # below this, a word "English uses" is mostly a common misspelling
COMMON_ENOUGH = -13.0       # correction targets: words at least this common
MUCH_MORE_FREQUENT = 3.0    # log-probability lead a correction needs over the word as typed


def load_probabilities() -> dict[str, float]:
    """Lower-cased word -> log-probability, for words English uses."""
    try:
        path = resources.files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
        with gzip.open(str(path), "rt", encoding="utf-8") as handle:
            table = json.load(handle)
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError) as error:
        logger.warning("word probabilities unavailable (%s): every word weighs the same", error)
        return {}
    probabilities: dict[str, float] = {}
    for word, probability in table.items():
        if probability > REAL_WORD and word.isalpha():
            key = word.lower()
            probabilities[key] = max(probability, probabilities.get(key, -99.0))
    return probabilities


class Informativeness:
    def __init__(self, probabilities: dict[str, float]):
        self.probabilities = probabilities
        self._by_shape: dict[tuple[str, int], list[str]] | None = None

    def __call__(self, word: str) -> float:
        if not word.isalpha():  # numbers and codes: "14", "2pm", "s47"
            return 0.4
        probability = self.probabilities.get(word)
        if probability is None:
            return 1.0
        share = (COMMON - probability) / (COMMON - RARE)
        return min(1.0, max(FLOOR, share))

    def is_word(self, word: str) -> bool:
        return word in self.probabilities

    def log_probability(self, word: str) -> float:
        return self.probabilities.get(word, UNSEEN)

    def likely_typo(self, word: str) -> bool:
        """Not a word, or one English uses so rarely that it is mostly a misspelling ("diffrent")."""
        return self.log_probability(word) < RARE_FORM

    def common_neighbour(self, word: str) -> str | None:
        """The most frequent English word one edit away (a swap counts as one: "abel" -> "able"),
        if it is far more frequent than the word as typed."""
        if self._by_shape is None:
            self._by_shape = {}
            for known, probability in self.probabilities.items():
                if probability >= COMMON_ENOUGH and len(known) >= 3:
                    self._by_shape.setdefault((known[0], len(known)), []).append(known)
        candidates = [known for size in (len(word) - 1, len(word), len(word) + 1)
                      for known in self._by_shape.get((word[0], size), [])]
        near = [known for known, _, _ in process.extract(word, candidates, scorer=DamerauLevenshtein.distance,
                                                         score_cutoff=1, limit=None)]
        if not near:
            return None
        best = max(near, key=self.log_probability)
        return best if self.log_probability(best) - self.log_probability(word) >= MUCH_MORE_FREQUENT else None
