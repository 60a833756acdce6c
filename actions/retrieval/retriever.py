"""Decide which units answer a question, and whether to answer, offer a choice or decline.

Order of checks: empty / Welsh -> typed references ("3.5", "appendix 4") -> glossary definitions
("what is OASys") -> out-of-scope and silent-topic cues -> BM25F ranking with a coverage test
(how much of what was asked the best unit actually contains).
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
from rapidfuzz import fuzz, process

from actions.retrieval import data as retrieval_data
from actions.retrieval import lookup, quote
from actions.retrieval.frequency import Informativeness, load_probabilities
from actions.retrieval.index import Index
from actions.retrieval.language import is_welsh
from actions.retrieval.text import STOP, Group, Normaliser, bigrams, clean, load_pipeline
from knowledge import GlossaryTerm, KnowledgeBase, Loss

logger = logging.getLogger(__name__)

# Tuned on tests/protocol/dev_questions.yml (see scripts/eval_protocol.py).
MIN_KNOWN = 0.45        # share of the question's words the protocol uses at all
MIN_COVERAGE = 0.3      # share of the question's words the best unit contains
SURE_COVERAGE = 0.6
SURE_MARGIN = 1.12      # best score / second score
FUZZY_CUTOFF = 85
CONTEXT_WEIGHT = 0.5
FOLLOW_UP = re.compile(r"^(?:and|also|what about|how about|what if|and what about|what of|same for|"
                       r"and for|and if|but what about|what abt|wot about|how about for)\b")
DURATION_QUESTION = re.compile(r"\bhow (?:long|soon|quickly)\b|\bhow many (?:working )?(?:days|weeks|months|years|hours)\b|"
                               r"\bwithin how\b|\bby when\b|\bwhat timescale|\bdeadline\b|\btime ?limit\b")
DURATION_ANSWER = re.compile(r"\b(?:\d+\s*(?:working\s+)?(?:days?|weeks?|months?|years?)|day of referral|"
                             r"months|lengthy|timescales?|early stage|as soon as possible|immediate|"
                             r"take time|long run|time)\b", re.IGNORECASE)
FREQUENCY_QUESTION = re.compile(r"\bhow (?:often|frequently)\b|\bhow many times\b|\bfrequency\b")
FREQUENCY_ANSWER = re.compile(r"\b(?:every|weekly|monthly|fortnightly|frequen\w*|times a)\b", re.IGNORECASE)
DEFINITION = re.compile(
    r"^(?:(?:so |and |ok |okay )?(?:what|wot|wat|who|whats|what's|wots|wats)(?:'s|s)?\s+(?:is|are|r|does|do|'s)?\s*"
    r"(?:an?|the)?\s*(?P<a>.+?)(?:\s+(?:stand for|stands for|mean|means|meaning|do|for|about|involve|"
    r"abbreviation|short for))?|(?:define|explain|meaning of|definition of|what is meant by|"
    r"what's meant by)\s+(?:an?|the)?\s*(?P<b>.+?)|(?P<c>.+?)(?:\s+(?:meaning|definition|stands for|"
    r"stand for|means|abbreviation))?)\s*[?.!]*$")


class Outcome(str, Enum):
    ANSWER = "answer"
    UNSURE = "unsure"
    NOT_COVERED = "not_covered"
    OUT_OF_SCOPE = "out_of_scope"
    EMPTY = "empty"
    NOT_ENGLISH = "not_english"
    NO_SUCH_UNIT = "no_such_unit"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class Candidate:
    unit_id: str
    score: float
    coverage: float


@dataclass
class Query:
    text: str
    groups: list[Group]
    weights: dict[str, float]


@dataclass
class Decision:
    outcome: Outcome
    candidates: list[Candidate] = field(default_factory=list)
    via: str = ""                       # lookup | section | glossary | cue | bm25 | context
    query: Query | None = None
    glossary: GlossaryTerm | None = None
    section: str | None = None          # a whole section asked for ("section 3")
    missing: str | None = None          # a paragraph number that does not exist
    silent_topic: str | None = None
    losses: list[Loss] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def unit_ids(self) -> list[str]:
        return [candidate.unit_id for candidate in self.candidates]


class Retriever:
    def __init__(self, kb: KnowledgeBase, data: retrieval_data.RetrievalData, normaliser: Normaliser,
                 informativeness: Informativeness):
        self.kb = kb
        self.informativeness = informativeness
        self.data = data
        self.text = normaliser
        self.unit_ids = list(kb.units)
        self.section_ids = {unit.section.split(".")[0] for unit in kb.units.values()
                            if unit.section[0].isdigit()}
        self.synonyms = self._synonym_table()
        self.index = self._build_index()
        self.vocabulary = sorted({term for term in self.index.column if "_" not in term and term.isalpha()
                                  and len(term) >= 4})
        self.glossary_names = {self._key(name): term for term in kb.glossary.values()
                               for name in [*term.names, term.id.replace("-", " ")]}
        self.segments = {unit_id: self._segments(unit.text) for unit_id, unit in kb.units.items()}
        self.oos_cues = [self._cue(phrase) for phrase in data.out_of_scope]
        self.silent_cues = [(topic.topic, [self._cue(cue) for cue in topic.cues]) for topic in data.silent]
        self.loss_cues = {loss_id: [self._cue(cue) for cue in cues]
                          for loss_id, cues in data.loss_triggers.items()}
        self._corrections: dict[str, str | None] = {}

    # ---- building -----------------------------------------------------------------------
    def _synonym_table(self) -> dict[tuple[str, ...], tuple[list[str], float]]:
        table: dict[tuple[str, ...], tuple[list[str], float]] = {}
        for synonym in self.data.synonyms:
            means = self.text.content(self.text.words(synonym.means))
            for say in synonym.say:
                key = tuple(self.text.words(say)) or (say.lower(),)
                old_means, old_weight = table.get(key, ([], 0.0))
                table[key] = (list(dict.fromkeys(old_means + means)), max(old_weight, synonym.weight))
        return table

    def _build_index(self) -> Index:
        text, title, glossary, hints = [], [], [], []
        cited_by: dict[str, Counter[str]] = {unit_id: Counter() for unit_id in self.unit_ids}
        for term in self.kb.glossary.values():
            names = " ".join(term.names)
            for position, unit_id in enumerate(term.cites):
                weight = 1.0 if position == 0 else 0.4
                for token in self.text.document_terms(names):
                    cited_by[unit_id][token] += weight
        for unit_id, unit in self.kb.units.items():
            text.append(Counter(self.text.document_terms(unit.text)))
            title.append(Counter(self.text.document_terms(f"{unit.title}. {unit.section_title}")))
            glossary.append(cited_by[unit_id])
            hint_terms: Counter[str] = Counter()
            for phrase in self.data.hints.get(unit_id, []):
                hint_terms.update(self.text.document_terms(phrase))
            hints.append(hint_terms)
        return Index(self.unit_ids, {"text": text, "title": title, "glossary": glossary, "hints": hints})

    def _segments(self, text: str) -> list[quote.Segment]:
        return [quote.Segment(segment, bullet, segment.rstrip().endswith(":"), block,
                              frozenset(self.text.content(self.text.words(segment))))
                for segment, bullet, block in quote.split(text)]

    def _cue(self, phrase: str) -> re.Pattern[str]:
        words = " ".join(self.text.words(phrase)) or phrase.lower()
        return re.compile(rf"(?<![\w]){re.escape(phrase.lower())}(?![\w])|(?<![\w]){re.escape(words)}(?![\w])")

    @staticmethod
    def _key(name: str) -> str:
        name = re.sub(r"[^\w&+ ]+", " ", clean(name).replace("'s", "s"))
        return " ".join(name.split())

    # ---- queries ------------------------------------------------------------------------
    def correct(self, word: str) -> str:
        """A misspelt word -> the protocol word it most likely meant (else unchanged)."""
        if (len(word) < 5 or not word.isalpha() or word in self.index or word in STOP
                or self.text.is_english(word) or (word,) in self.synonyms):
            return word
        if word not in self._corrections:
            best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            self._corrections[word] = best[0] if best else None
        return self._corrections[word] or word

    def query(self, text: str, weight: float = 1.0) -> Query:
        words = [self.correct(word) for word in self.text.words(text)]
        groups: list[Group] = []
        sequence: list[str] = []
        position = 0
        while position < len(words):
            for size in (4, 3, 2, 1):
                key = tuple(words[position:position + size])
                if len(key) == size and key in self.synonyms:
                    means, synonym_weight = self.synonyms[key]
                    own = self.text.content(key)
                    group = Group(" ".join(key), {term: weight for term in own})
                    for term in means + bigrams(means):
                        group.terms[term] = max(group.terms.get(term, 0.0), weight * synonym_weight)
                    if group.terms:
                        groups.append(group)
                    sequence.extend(own)
                    position += size
                    break
            else:
                word = words[position]
                if self.text.content([word]):
                    groups.append(Group(word, {word: weight}))
                    sequence.append(word)
                position += 1
        weights: dict[str, float] = {}
        for group in groups:
            for term, term_weight in group.terms.items():
                weights[term] = max(weights.get(term, 0.0), term_weight)
        for pair in bigrams(sequence):
            weights[pair] = max(weights.get(pair, 0.0), weight)
        return Query(text, groups, weights)

    def _group_weight(self, group: Group) -> float:
        """How much a typed word matters: rare in the protocol and not a common English word."""
        known = [self.index.idf[term] for term in group.terms if "_" not in term and term in self.index.idf]
        idf = max(known) if known else self.index.max_idf
        if " " in group.word:  # a synonym phrase or abbreviation: practitioner vocabulary
            return idf
        return idf * self.informativeness(group.word)

    def _known(self, group: Group) -> bool:
        return any(term in self.index for term in group.terms if "_" not in term)

    def coverage(self, query: Query, unit_position: int) -> float:
        total = covered = 0.0
        for group in query.groups:
            weight = self._group_weight(group)
            total += weight
            if any(self.index.matches(term)[unit_position] for term in group.terms if "_" not in term):
                covered += weight
        return covered / total if total else 0.0

    def known_share(self, query: Query) -> float:
        weights = [(self._group_weight(group), self._known(group)) for group in query.groups]
        total = sum(weight for weight, _ in weights)
        return sum(weight for weight, known in weights if known) / total if total else 0.0

    # ---- deciding -----------------------------------------------------------------------
    def search(self, text: str, context: str | None = None) -> Decision:
        cleaned = clean(text)
        if not re.search(r"[a-z0-9]", cleaned):
            return Decision(Outcome.EMPTY)
        if is_welsh(cleaned):
            return Decision(Outcome.NOT_ENGLISH)
        reference = lookup.find(cleaned, set(self.kb.units), self.section_ids)
        decided = self._by_reference(reference, cleaned)
        if decided is not None:
            return self._with_losses(decided, cleaned)
        glossary = self._glossary(cleaned)
        if glossary is not None:
            return self._with_losses(glossary, cleaned)
        if any(cue.search(cleaned) for cue in self.oos_cues):
            return Decision(Outcome.OUT_OF_SCOPE, via="cue")
        for topic, cues in self.silent_cues:
            if any(cue.search(cleaned) for cue in cues):
                return Decision(Outcome.NOT_COVERED, via="cue", silent_topic=topic)
        decision = self._rank(self.query(cleaned))
        if context and (FOLLOW_UP.search(cleaned) or decision.outcome is not Outcome.ANSWER):
            combined = self._rank(self.query(cleaned), context=self.query(clean(context), CONTEXT_WEIGHT))
            if combined.outcome in (Outcome.ANSWER, Outcome.UNSURE) and (
                    FOLLOW_UP.search(cleaned) or decision.outcome is not Outcome.ANSWER):
                combined.via = "context"
                decision = combined
        return self._with_losses(self._time_check(decision, cleaned), cleaned)

    def _by_reference(self, reference: lookup.Reference, cleaned: str) -> Decision | None:
        if reference.unit_ids:
            return Decision(Outcome.ANSWER, [Candidate(unit_id, 1.0, 1.0) for unit_id in reference.unit_ids],
                            via="lookup", query=self.query(reference.residue), confidence=1.0)
        if reference.missing and not reference.appendix:
            return Decision(Outcome.NO_SUCH_UNIT, via="lookup", missing=reference.missing[0])
        if reference.sections and reference.only_reference:
            section = reference.sections[0]
            ids = [unit.id for unit in self.kb.units.values() if unit.section.split(".")[0] == section]
            return Decision(Outcome.ANSWER, [Candidate(unit_id, 1.0, 1.0) for unit_id in ids],
                            via="section", section=section, confidence=1.0)
        if reference.appendix:
            if reference.only_reference:
                return Decision(Outcome.ANSWER, [Candidate(reference.appendix, 1.0, 1.0)], via="lookup",
                                confidence=1.0)
            inside = [position for position, unit_id in enumerate(self.unit_ids)
                      if unit_id == reference.appendix or unit_id.startswith(reference.appendix + "/")]
            decision = self._rank(self.query(reference.residue), restrict=inside)
            if decision.outcome not in (Outcome.ANSWER, Outcome.UNSURE):
                decision = Decision(Outcome.ANSWER, [Candidate(reference.appendix, 1.0, 1.0)], via="lookup",
                                    query=decision.query, confidence=1.0)
            decision.via = "lookup"
            return decision
        return None

    def _glossary(self, cleaned: str) -> Decision | None:
        match = DEFINITION.match(cleaned)
        if not match:
            return None
        name = match.group("a") or match.group("b") or match.group("c") or ""
        key = self._key(name)
        if not key or len(key.split()) > 6:
            return None
        term = self.glossary_names.get(key)
        if term is None and len(key) >= 6:
            best = process.extractOne(key, list(self.glossary_names), scorer=fuzz.ratio, score_cutoff=90)
            term = self.glossary_names[best[0]] if best else None
        if term is None:
            return None
        return Decision(Outcome.ANSWER, [Candidate(unit_id, 1.0, 1.0) for unit_id in term.cites],
                        via="glossary", query=self.query(cleaned), glossary=term, confidence=1.0)

    def _rank(self, query: Query, context: Query | None = None, restrict: list[int] | None = None) -> Decision:
        if not query.groups:
            return Decision(Outcome.UNCLEAR, query=query)
        weights = dict(query.weights)
        for term, weight in (context.weights.items() if context else ()):
            weights[term] = max(weights.get(term, 0.0), weight)
        scores = self.index.scores(weights)
        if restrict is not None:
            mask = np.full(len(scores), -1.0, dtype=np.float32)
            mask[restrict] = 0.0
            scores = np.where(mask < 0, -1.0, scores)
        order = np.argsort(-scores, kind="stable")[:5]
        candidates = [Candidate(self.unit_ids[i], float(scores[i]), self.coverage(query, int(i)))
                      for i in order if scores[i] > 0]
        known = self.known_share(query)
        if not candidates or known < MIN_KNOWN:
            return Decision(Outcome.OUT_OF_SCOPE, candidates, via="bm25", query=query)
        best = candidates[0]
        if best.coverage < MIN_COVERAGE and context is None:
            outcome = Outcome.NOT_COVERED if known >= 0.75 else Outcome.OUT_OF_SCOPE
            return Decision(outcome, candidates, via="bm25", query=query)
        margin = best.score / candidates[1].score if len(candidates) > 1 and candidates[1].score > 0 else 9.0
        confidence = min(1.0, best.coverage * min(margin, 2.0) / 2.0 + 0.25)
        sure = best.coverage >= SURE_COVERAGE and margin >= SURE_MARGIN
        outcome = Outcome.ANSWER if sure else Outcome.UNSURE
        return Decision(outcome, candidates if outcome is Outcome.UNSURE else candidates, via="bm25",
                        query=query, confidence=confidence)

    def _time_check(self, decision: Decision, cleaned: str) -> Decision:
        """A "how long" / "how often" question the best unit has no answer of that kind for."""
        if decision.outcome not in (Outcome.ANSWER, Outcome.UNSURE) or decision.via not in ("bm25", "context"):
            return decision
        text = self.kb.units[decision.candidates[0].unit_id].text
        if DURATION_QUESTION.search(cleaned) and not DURATION_ANSWER.search(text):
            return Decision(Outcome.NOT_COVERED, decision.candidates, via="bm25", query=decision.query,
                            silent_topic="timescale")
        if FREQUENCY_QUESTION.search(cleaned) and not FREQUENCY_ANSWER.search(text):
            return Decision(Outcome.NOT_COVERED, decision.candidates, via="bm25", query=decision.query,
                            silent_topic="frequency")
        return decision

    def _with_losses(self, decision: Decision, cleaned: str) -> Decision:
        if decision.outcome is not Outcome.ANSWER or not decision.candidates:
            return decision
        cited = set(decision.unit_ids[:1]) | ({decision.section} if decision.section else set())
        for loss in self.kb.losses:
            if set(loss.cites) & cited and any(cue.search(cleaned) for cue in self.loss_cues.get(loss.id, [])):
                decision.losses.append(loss)
        if decision.unit_ids[0] == "14.0":
            decision.losses.extend(loss for loss in self.kb.losses
                                   if loss.id == "process-maps-lost" and loss not in decision.losses)
        return decision

    # ---- quoting ------------------------------------------------------------------------
    def quote(self, unit_id: str, query: Query | None) -> str:
        segments = self.segments[unit_id]
        weights: dict[str, float] = {}
        for group in (query.groups if query else []):
            weight = self._group_weight(group)
            for term in group.terms:
                if "_" not in term:
                    weights[term] = max(weights.get(term, 0.0), weight)
        chosen = quote.select(segments, weights, len(self.kb.units[unit_id].text))
        return quote.render(segments, chosen)

    def related(self, unit_id: str) -> list[str]:
        """Units worth reading next: curated links, units it names, then its neighbours."""
        unit = self.kb.units[unit_id]
        named = [f"appendix-{number}" for number in re.findall(r"Appendix (\d)", unit.text)]
        named += [f"{a}.{b}" for a, b in re.findall(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d.]*\d)", unit.text)]
        ordered = [other.id for other in self.kb.units.values() if other.section == unit.section]
        index = ordered.index(unit_id)
        neighbours = [ordered[i] for i in (index - 1, index + 1) if 0 <= i < len(ordered)]
        related = [*self.data.related.get(unit_id, []), *named, *neighbours]
        return [r for r in dict.fromkeys(related) if r in self.kb.units and r != unit_id]


def build(kb: KnowledgeBase) -> Retriever:
    try:
        nlp = load_pipeline()
    except (OSError, FileNotFoundError) as error:  # pipeline not built: plain tokens, no lemmas
        logger.warning("spaCy pipeline not found (%s); retrieval falls back to a blank pipeline", error)
        import spacy
        nlp = spacy.blank("en")
    return Retriever(kb, retrieval_data.load(kb), Normaliser(nlp), Informativeness(load_probabilities()))
