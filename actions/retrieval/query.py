"""A question as weighted terms, grouped by the word the practitioner typed.

Each typed word becomes a Group: the word itself (after spelling and typo fixes), the protocol words
its synonyms add, and words of the same family ("refer" ~ "referral"). Groups are weighed by how
much they say (rare in the protocol, uncommon in English); retrieval sums BM25 rows for all terms,
and the decision asks how much of the weight the best unit covers.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from actions.retrieval.data import RetrievalData
from actions.retrieval.frequency import Informativeness
from actions.retrieval.index import Index
from actions.retrieval.spelling import Speller
from actions.retrieval.text import STOP, Group, Normaliser, bigrams, wh_word

VARIANT_WEIGHT = 0.5
ADVERB_WEIGHT = 0.3      # "automatically", "solely": how, not what, a question asks about
SYNONYM_ONLY_WEIGHT = 0.6  # a word the protocol never uses, matched only through its synonyms
VERB_FORM_WEIGHT = 0.5   # "she refused", "he was bailed": a foreign verb form is not the subject
UNRECOGNISED_WEIGHT = 0.4  # a word neither English nor the protocol's says little either way
NUMBER_WEIGHT = 0.1      # a number the protocol never uses is a detail ("Mum, 29, ..."; "40 pics"), not the subject
WH_WEIGHT = 0.6          # "who ..." questions lean to units whose hints answer "who ..."
SUFFIXES = {"", "e", "s", "es", "ed", "d", "ing", "er", "ers", "or", "ors", "ion", "ions", "ation", "ations",
            "ment", "ments", "al", "ral", "red", "ring", "ive", "ively", "ly", "ity", "ities", "ance", "ence",
            "ant", "ent", "ness", "ful", "y", "ies", "ied", "ate", "ated", "ating", "ise", "ised", "ize",
            "ized", "ism", "ist", "ists", "ic", "ical", "ous", "ship", "hood", "ee", "ees", "ary", "ory"}
AGE = re.compile(r"\b(\d{1,2})\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b|\b(\d{1,2})\s*(?:yo|y/o)\b")
AGE_WORDS = ("babies very young children", "young children", "children", "older children young people")


@dataclass
class Query:
    text: str
    groups: list[Group]
    weights: dict[str, float]   # every term (unigrams, bigrams) with its weight


class QueryBuilder:
    def __init__(self, normaliser: Normaliser, index: Index, data: RetrievalData,
                 informativeness: Informativeness, speller: Speller):
        self.text = normaliser
        self.index = index
        self.informativeness = informativeness
        self.speller = speller
        self.synonyms = self._synonym_table(data)
        # longest phrase first, so "can't get out of bed" is read before "bed"
        self._sizes = tuple(range(max(map(len, self.synonyms), default=1), 0, -1))
        self.spellings = data.spellings
        self.topic_terms = {tuple(self.text.words(term)) for term in data.topic_terms}
        self._spelling = (re.compile(r"(?<![\w/'-])(" + "|".join(re.escape(word) for word in sorted(
            data.spellings, key=len, reverse=True)) + r")(?![\w/'-])") if data.spellings else None)
        self._by_prefix: dict[str, list[str]] = {}
        for term in speller.vocabulary:
            if len(term) >= 5:
                self._by_prefix.setdefault(term[:5], []).append(term)

    def _synonym_table(self, data: RetrievalData) -> dict[tuple[str, ...], tuple[list[str], float]]:
        table: dict[tuple[str, ...], tuple[list[str], float]] = {}
        for synonym in data.synonyms:
            means = self.text.content(self.text.words(synonym.means))
            for say in synonym.say:
                key = tuple(self.text.words(say)) or (say.lower(),)
                old_means, old_weight = table.get(key, ([], 0.0))
                table[key] = (list(dict.fromkeys(old_means + means)), max(old_weight, synonym.weight))
        return table

    def respell(self, text: str) -> str:
        if self._spelling is None:
            return text
        return self._spelling.sub(lambda match: self.spellings[match.group(1)], text)

    def correct(self, word: str) -> str:
        return self.speller.correct(word)

    def variants(self, word: str) -> list[str]:
        """Protocol words of the same family: a shared stem of five letters or more, and only
        derivational endings after it ("refer" ~ "referral", but not "count" ~ "country")."""
        if len(word) < 5 or not word.isalpha():
            return []
        found = []
        for term in self._by_prefix.get(word[:5], []):
            shared = len(os.path.commonprefix([word, term]))
            if term != word and word[shared:] in SUFFIXES and term[shared:] in SUFFIXES:
                found.append(term)
        return found

    def build(self, text: str, weight: float = 1.0) -> Query:
        words = [self.correct(word) for word in self.text.words(text)]
        topic = self._topic_positions(words)
        groups: list[Group] = []
        on_topic: list[bool] = []
        sequence: list[str] = []   # the typed content words, for bigrams
        position = 0
        while position < len(words):
            for size in self._sizes:
                key = tuple(words[position:position + size])
                if len(key) == size and key in self.synonyms:
                    group = self._synonym_group(key, weight)
                    break
            else:
                size, key = 1, (words[position],)
                if self._unknown_join(words, position):  # "cross-check": its parts carry it
                    position += 1
                    continue
                group = Group(key[0], {key[0]: weight} if self.text.content(key) else {})
                for variant in self.variants(key[0]) if group.terms else []:
                    group.terms.setdefault(variant, weight * VARIANT_WEIGHT)
                    group.variants.add(variant)
            if group.terms:
                groups.append(group)
                on_topic.append(all(p in topic for p in range(position, position + size)))
                if not on_topic[-1]:
                    sequence.extend(self.text.content(key))
            position += size
        verbs = self.text.verb_forms(text)
        for group in groups:
            group.verb_form = group.word in verbs
        if not all(on_topic):  # "an iioc referral" is a question about the referral
            groups = [group for group, is_topic in zip(groups, on_topic) if not is_topic]
        age = self._age_group(text, weight)
        if age is not None:
            groups.append(age)
        weights = self._weights(groups, sequence, weight)
        asked = wh_word(text)
        if asked and groups:
            weights[f"q:{asked}"] = weight * WH_WEIGHT
        return Query(text, groups, weights)

    def _unknown_join(self, words: list[str], position: int) -> bool:
        """A hyphenated word's joined form ("crosscheck", between "cross" and "check") that the
        protocol never uses."""
        if not 0 < position < len(words) - 1:
            return False
        word, before, after = words[position], words[position - 1], words[position + 1]
        # the part after the hyphen as typed ("ups"), its lemma possibly shorter ("up")
        return (word.startswith(before) and word[len(before):].startswith(after[:3]) and len(word) > len(before)
                and not self.index.owns(word))

    def _topic_positions(self, words: list[str]) -> set[int]:
        """Positions of words naming the protocol's own subject ("iioc", "indecent images")."""
        positions: set[int] = set()
        for start in range(len(words)):
            for term in self.topic_terms:
                if tuple(words[start:start + len(term)]) == term:
                    positions.update(range(start, start + len(term)))
        return positions

    def _synonym_group(self, key: tuple[str, ...], weight: float) -> Group:
        means, synonym_weight = self.synonyms[key]
        group = Group(" ".join(key), {term: weight for term in self.text.content(key)})
        # A word that expands to several protocol words should not outweigh the others.
        share = weight * synonym_weight / math.sqrt(max(1, len(means)))
        for term in means + bigrams(means):
            group.terms[term] = max(group.terms.get(term, 0.0), share)
        return group

    def _age_group(self, text: str, weight: float) -> Group | None:
        """"a 14 year old" -> older children / young people, as the protocol puts it."""
        match = AGE.search(text)
        if not match:
            return None
        years = int(match.group(1) or match.group(2))
        words = AGE_WORDS[0 if years <= 2 else 1 if years <= 5 else 2 if years <= 11 else 3]
        return Group(f"{years} years", {term: weight * 0.8 for term in self.text.content(self.text.words(words))})

    def _weights(self, groups: list[Group], sequence: list[str], weight: float) -> dict[str, float]:
        weights: dict[str, float] = {}
        for group in groups:
            for term, term_weight in group.terms.items():
                weights[term] = max(weights.get(term, 0.0), term_weight)
        for pair in bigrams(sequence):
            weights[pair] = max(weights.get(pair, 0.0), weight)
            joined = pair.replace("_", "")  # "non contact" meets the protocol's "non-contact"
            if joined in self.index:
                weights[joined] = max(weights.get(joined, 0.0), weight)
        return weights

    # ---- weighing groups -------------------------------------------------------------------
    def weight(self, group: Group) -> float:
        """How much a typed word matters: rare in the protocol and not a common English word.
        Asked for several times per message (coverage of each candidate, scope, phrases), so kept."""
        if group.weight is None:
            group.weight = self._weight(group)
        return group.weight

    def _weight(self, group: Group) -> float:
        known = [self.index.idf[term] for term in group.terms if "_" not in term and term in self.index.idf]
        idf = max(known) if known else self.index.max_idf
        if " " in group.word:  # a synonym phrase or abbreviation: practitioner vocabulary
            return idf
        adverb = ADVERB_WEIGHT if group.word.endswith("ly") and len(group.word) > 5 else 1.0
        own = 1.0 if self.index.owns(group.word) or not self.known(group) else SYNONYM_ONLY_WEIGHT
        verb = VERB_FORM_WEIGHT if group.verb_form and self.foreign(group) else 1.0
        unknown = UNRECOGNISED_WEIGHT if self.speller.unrecognised(group.word) else 1.0
        if group.word.isdigit() and self.foreign(group):
            unknown = NUMBER_WEIGHT
        return idf * self.informativeness(group.word) * adverb * own * verb * unknown

    def known(self, group: Group) -> bool:
        return any(self.index.owns(term) for term in group.terms if "_" not in term)

    def foreign(self, group: Group) -> bool:
        """Neither the word nor what its synonyms add occurs in the protocol (a family resemblance,
        "director" ~ "direct", does not count)."""
        return not any(self.index.owns(term) for term in group.terms if "_" not in term and term not in group.variants)

    def covers(self, group: Group, unit_position: int) -> bool:
        return any(self.index.matches(term)[unit_position] for term in group.terms if "_" not in term)

    def coverage(self, query: Query, unit_position: int) -> float:
        """Share of the question's weight whose words the unit contains."""
        weights = [(self.weight(group), self.covers(group, unit_position)) for group in query.groups]
        total = sum(weight for weight, _ in weights)
        return sum(weight for weight, covered in weights if covered) / total if total else 0.0

    def known_share(self, query: Query) -> float:
        """Share of the question's weight in words the protocol uses at all."""
        weights = [(self.weight(group), self.known(group)) for group in query.groups]
        total = sum(weight for weight, _ in weights)
        return sum(weight for weight, known in weights if known) / total if total else 0.0
