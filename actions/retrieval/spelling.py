"""Misspelt words -> the words meant: the protocol's own vocabulary first, then common English
(function words included, so a slip in "with" is not taken for a rare word).

The vocabulary is the protocol's (unit texts, titles, glossary names, curated hints), not the
question bank's, whose questions carry deliberate typos: a typo there must not become a word
that other typos are corrected to.
"""
from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from actions.retrieval.frequency import Informativeness
from actions.retrieval.text import STOP, Normaliser

FUZZY_CUTOFF = 85
LONG_WORD = 8       # from this length a misspelling may be two edits from the protocol's word
VOWELS = set("aeiou")


def skeleton(word: str) -> str:
    """The first letter and the consonants after it: text-speak drops vowels ("intrvw", "partnr")."""
    return word[:1] + "".join(letter for letter in word[1:] if letter not in VOWELS)


class Speller:
    def __init__(self, normaliser: Normaliser, informativeness: Informativeness, protocol_words: set[str],
                 synonym_words: set[str], protocol_forms: set[str] = frozenset()):
        self.text = normaliser
        self.informativeness = informativeness
        self.protocol_words = protocol_words
        self.synonym_words = synonym_words      # single-word abbreviations and synonyms ("shpo", "perp")
        self.vocabulary = sorted(word for word in protocol_words if word.isalpha() and len(word) >= 4)
        # the words as the protocol writes them ("safeguarding"), for slips two edits from the lemma
        self.forms = sorted({*self.vocabulary, *(form for form in protocol_forms if len(form) >= 4)})
        self._skeletons: dict[str, set[str]] = {}
        for form in self.forms:
            self._skeletons.setdefault(skeleton(form), set()).add(form)
        self._corrections: dict[str, str | None] = {}
        self._typos: dict[str, bool] = {}

    def knows(self, word: str) -> bool:
        """The protocol's word, or a synonym or abbreviation it reads."""
        return word in self.protocol_words or word in self.synonym_words

    def _english(self, word: str) -> bool:
        return self.text.is_english(word) or self.informativeness.is_word(word)

    def _usual_english(self, word: str) -> bool:
        return self._english(word) and not self.informativeness.likely_typo(word)

    def correct(self, word: str) -> str:
        """A misspelt word -> the protocol word it most likely meant: the closest protocol word, or the
        far more common English word one edit away when that is the protocol's ("wokers" -> "worker",
        "abel" -> "able"); else unchanged."""
        if len(word) < 4 or not word.isalpha() or word in STOP or self.knows(word):
            return word
        if word.endswith("s") and self.knows(word[:-1]):
            return word[:-1]  # "psrs", "shpos"
        if not self.misspelt(word):
            return word
        if word not in self._corrections:
            self._corrections[word] = self._nearest(word, self._english(word))
        return self._corrections[word] or word

    def _nearest(self, word: str, english: bool) -> str | None:
        best = (process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if len(word) >= 5 and not english else None)
        if best is None and len(word) >= 5:  # swapped letters cost a ratio dearly: "safegaurds", "psuedo"
            best = process.extractOne(word, self.forms, scorer=DamerauLevenshtein.distance, score_cutoff=1)
        if best is None:
            neighbour = self.informativeness.common_neighbour(word)
            if neighbour is None and len(word) >= LONG_WORD:  # "safegarding"
                best = process.extractOne(word, self.forms, scorer=DamerauLevenshtein.distance, score_cutoff=2)
        found = best[0] if best else neighbour
        if found is None and (vowelless := self._without_vowels(word)):
            return vowelless
        if found and len(word) == 4 and sorted(found) != sorted(word):
            return self._without_vowels(word)  # four letters: only a swap is safe ("abel"), not "perp" -> "per"
        if found in STOP:
            return found  # a slip in a function word ("wiht", "shoud"): dropped like the word meant
        lemmas = self.text.words(found) if found else []
        # Only a correction into the protocol's words is trusted: "remand" is not a typo of "remind".
        return lemmas[0] if len(lemmas) == 1 and self.knows(lemmas[0]) else None

    def _without_vowels(self, word: str) -> str | None:
        """ "intrvw" -> "interview", "intervwd" -> "interviewed": one protocol word with these
        consonants in this order, when the typed word has dropped (nearly) all its vowels."""
        if len(word) < 4 or sum(letter in VOWELS for letter in word[1:]) > 1:
            return None
        candidates = {form for form in self._skeletons.get(skeleton(word), set())
                      if len(form) <= len(word) + 3}  # "sprt" is not "separate"
        lemmas = {lemma for form in candidates for lemma in self.text.words(form)[:1]}
        lemma = next(iter(lemmas)) if len(lemmas) == 1 else None
        return lemma if lemma and self.knows(lemma) else None

    def misspelt(self, word: str) -> bool:
        """Neither the protocol's word (nor its plural) nor a usual English word."""
        return not (self.knows(word) or (word.endswith("s") and self.knows(word[:-1])) or self._usual_english(word))

    def unrecognised(self, word: str) -> bool:
        """A misspelling left uncorrected: not the protocol's word, not a usual English word, and one
        edit from a far more common one ("wierd", "remand" read as a slip for "remind"). Such a word
        says little about what a question is about. A rare word with no such neighbour ("ofsted",
        "unannounced") is taken at its word: it is often what makes a question out of scope."""
        if len(word) < 4 or not word.isalpha() or self.knows(word) or self._usual_english(word):
            return False
        if word not in self._typos:
            self._typos[word] = self.informativeness.common_neighbour(word) is not None
        return self._typos[word]
