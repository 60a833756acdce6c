"""Decide which units answer a question, and whether to answer, offer a choice or decline.

Order of checks: empty / Welsh -> typed references ("3.5", "appendix 4") -> glossary definitions
("what is OASys") -> out-of-scope and silent-topic cues -> BM25F ranking, then a coverage test (how
much of what was asked the best unit contains) and an answer-type test ("how long" needs a time).
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
from actions.retrieval.checks import unanswered_kind
from actions.retrieval.frequency import Informativeness, load_probabilities
from actions.retrieval.index import Index
from actions.retrieval.language import is_welsh
from actions.retrieval.phrases import PhraseIndex
from actions.retrieval.query import Query, QueryBuilder
from actions.retrieval.spelling import Speller
from actions.retrieval.text import Normaliser, bigrams, clean, load_pipeline, wh_word, without_remark
from knowledge import GlossaryTerm, KnowledgeBase, Loss
from knowledge.model import Caution

logger = logging.getLogger(__name__)

# Tuned on tests/protocol/dev_questions.yml (scripts/eval_protocol.py).
MIN_KNOWN = 0.5          # share of the question's weight in words the protocol uses at all
MIN_COVERAGE = 0.3       # share of it the best unit must contain
SURE_COVERAGE = 0.6      # ... to answer outright rather than offer a choice
UNSURE_COVERAGE = 0.45   # ... to offer a choice of cited paragraphs rather than mere suggestions
SURE_MARGIN = 1.12       # best score / second score, to answer outright
FOCUS_WEIGHT = 3.0       # the weightiest word, when this weighty and foreign to the protocol, must be answered
FOCUS_SHARE = 0.3        # ... when the words foreign to it are this share of the question's weight
CONTEXT_WEIGHT = 0.5     # the previous question's words, for "what about the partner?"
CUE_FILLER = r"\s+(?:(?:me|us|you|him|her|them|a|an|the|my|our|your|his)\s+)?"
FOLLOW_UP = re.compile(r"^(?:and|also|what about|how about|what if|and what about|what of|same for|"
                       r"and for|and if|but what about|what abt|wot about)\b")
QUALIFIER = re.compile(r"\s+(?:in|for|under|within|according to)\s+(?:these|this|the|such|iioc|our|a)\b.*$")
FORM_QUESTION = re.compile(r"\bwhere (?:do|should|would|can|does) (?:i|we|it|that) (?:go|put|record|list|write|note|"
                           r"enter|include|add)\b|\b(?:on|in|of) the (?:form|assessment report)\b")
# Asking for what a paragraph lists: "s47 outcomes?", "risk factors in the couple relationship".
LIST_QUESTION = re.compile(r"\b(?:factors|outcomes|signs|indicators|considerations|criteria|options|stages|steps|"
                           r"questions|list|lists)\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# A person or a place named where one is introduced: "dad is Gareth", "mum Kelly Hughes", "in Caernarfon".
NAMED = re.compile(r"\b(?P<by>(?i:(?:dad|mum|father|mother|partner|son|daughter|kids?|child(?:ren)?|baby|brother|"
                   r"sister|grandad|grandma|nan|stepdad|stepmum|boyfriend|girlfriend|husband|wife|perp|perpetrator|"
                   r"offender|called|named|tell|told|telling|ask|asked|see|saw|seen|visit|visited|interview|"
                   r"interviewed)(?:'s|\s+(?:is|was|called|named))?|(?:(?:lives?|living|based|are|is|we'?re)\s+)?"
                   r"(?:in|at|from)))\s+(?P<names>(?:[A-ZÀ-ÞŴŶ](?:[^\W\d_]|['-])+(?:\s*\(\d{1,2}\))?,?\s*){1,3})")
PERSON = re.compile(r"\b(?P<name>[A-Z][a-z]{2,})(?:'s\b|(?=\s+(?:in|from|at|says|said|told|wants|and)\b)|"
                    r"\s*\(\d{1,2}\)|\s+(?:is|was|aged)\s+\d{1,2}(?![\d.])|,?\s+\d{1,2}(?![\d.])(?:\s*(?:yrs?|years?)(?:\s*old)?)?(?=\s*[,.;:!?)-]|\s+and\b|$))")
# ... or by the age that follows them: "Kerry, 31, ...", "Mia (4)", "Ffion 6 and Osian 9"
TELL_WEIGHT = 0.7        # ... a word only in the telling of a situation, against the words asked with
TOWN = re.compile(r"\b(?:in|from)$", re.I)  # "in Bangor", "from Rhyl": a town, not a home
CLAUSE = re.compile(r"[.!?;:,\n]+\s*")
CLAUSE_KNOWN = 0.7       # a clause of a long message counts when this share of it is the protocol's words
PART_MARGIN = 0.9        # a part scoring this close to its appendix's introduction is preferred
MIN_PHRASE_WORDS = 2     # ... matching at least this many of the question's words
STRONG_PHRASE = 0.5      # a curated phrasing this close counts as the unit covering the question
PHRASE_WEIGHT = 1.0      # a unit's best curated phrasing, against its BM25F score scaled to the best unit's
DECLINE_MIN = 0.6        # a question this close to a decline-bank question ...
DECLINE_MARGIN = 1.15    # ... and this much closer to it than to any unit's phrasing, is declined
NAMED_BOOST = 1.3        # "the assessment framework", "asset": a question naming an appendix leans to it
FORM_BOOST = 1.4         # "where do i record ...": the Appendix 7 form
REFERENCE_QUESTION = re.compile(r"\b(?:who (?:wrote|came up with|developed|devised|created|authored|published)|authors?|"
                                r"full ref(?:erence)?|ref(?:erence)? for|references? list|bibliography|"
                                r"publish(?:ed|er)?|journal|what year was)\b")
REFERENCE_BOOST = 1.4    # "who came up with risk matrix 2000": Appendix 6, the references
ANSWER_TYPE_MARGIN = 0.8  # a runner-up this close that gives the time (count, age...) asked for is offered first
DEFINITION = re.compile(
    r"^(?:what (?:does|do|did) (?:the |this |our )?(?:protocol|guidance|document|it|we|they) mean by\s+(?:an?|the)?\s*(?P<f>.+?)|"
    r"(?:so |and |ok |okay )?(?:what|wot|wat|who|whats|what's|wots|wats)(?:'s|s)?\s+(?:is|are|r|does|do|'s)?\s*"
    r"(?:an?|the)?\s*(?P<a>.+?)(?:\s+(?:stand for|stands for|mean|means|meaning|do|for|about|involve|"
    r"abbreviation|short for))?|(?:define|explain|meaning of|definition of|what is meant by|"
    r"what's meant by)\s+(?:an?|the)?\s*(?P<b>.+?)|"
    r"how (?:does|do|did) (?:the |this |our )?(?:protocol|guidance|document|it) (?:define|describe)\s+(?P<d>.+?)|"
    r"how (?:is|are) (?:an?|the)?\s*(?P<e>.+?) defined|"
    r"(?P<c>.+?)(?:\s+(?:meaning|definition|stands for|stand for|means|abbreviation))?)\s*[?.!]*$")


class Outcome(str, Enum):
    ANSWER = "answer"
    UNSURE = "unsure"
    NOT_COVERED = "not_covered"
    OUT_OF_SCOPE = "out_of_scope"
    EMPTY = "empty"
    NOT_ENGLISH = "not_english"
    NO_SUCH_UNIT = "no_such_unit"
    UNCLEAR = "unclear"


CAUTIONED = (Outcome.ANSWER, Outcome.UNSURE, Outcome.NOT_COVERED)


@dataclass(frozen=True)
class Candidate:
    unit_id: str
    score: float
    coverage: float


@dataclass
class Decision:
    outcome: Outcome
    candidates: list[Candidate] = field(default_factory=list)   # best first
    via: str = ""                       # lookup | section | glossary | cue | bm25 | context
    query: Query | None = None
    glossary: GlossaryTerm | None = None
    section: str | None = None          # a whole section asked for ("section 3")
    missing: str | None = None          # a paragraph number that does not exist
    silent_topic: str | None = None
    losses: list[Loss] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)   # a verdict asked for, or a premise to correct
    named: bool = False                 # a person's or place's name was set aside
    confidence: float = 0.0

    @property
    def unit_ids(self) -> list[str]:
        return [candidate.unit_id for candidate in self.candidates]


class Retriever:
    def __init__(self, kb: KnowledgeBase, data: retrieval_data.RetrievalData, normaliser: Normaliser,
                 informativeness: Informativeness):
        self.kb = kb
        self.data = data
        self.text = normaliser
        self.unit_ids = list(kb.units)
        self.position = {unit_id: index for index, unit_id in enumerate(self.unit_ids)}
        self.section_ids = {unit.section.split(".")[0] for unit in kb.units.values() if unit.section[0].isdigit()}
        self.speller = Speller(normaliser, informativeness, self._protocol_words(), self._synonym_words(),
                               self._protocol_forms())
        hinted = [(unit_id, self._bank_terms(phrase)) for unit_id, phrases in data.hints.items() for phrase in phrases]
        asked = [(unit_id, self._bank_terms(question)) for unit_id, questions in data.asked.items()
                 for question in questions]
        self.index = self._build_index(asked)
        self.asked_words = {unit_id: set() for unit_id in self.unit_ids}  # words practitioners use for a unit
        for unit_id, words in asked:
            self.asked_words[unit_id].update(words)
        self.queries = QueryBuilder(normaliser, self.index, data, informativeness, self.speller)
        declined = [(f"decline/{kind}", self._bank_terms(question)) for kind, questions in data.declined.items()
                    for question in questions]
        self.decline_kinds = [f"decline/{kind}" for kind in retrieval_data.DECLINE_KINDS]
        # one index, so a word's rarity is judged over every phrasing; decline kinds after the units
        self.phrases = PhraseIndex(hinted + asked + declined, self.unit_ids + self.decline_kinds, informativeness)
        self.glossary_names = {self._key(name): term for term in kb.glossary.values()
                               for name in [*term.names, term.id.replace("-", " ")]}
        self.segments = {unit_id: self._segments(unit_id) for unit_id in kb.units}
        self.oos_cues = [self._cue(phrase, plural=True) for phrase in data.out_of_scope]
        # words of what the protocol does not cover ("Ofsted and ..."): never taken for a person
        self.declined_words = {word for text in [*data.out_of_scope, *(q for qs in data.declined.values() for q in qs)]
                               for word in re.findall(r"[a-z]+", text.lower())}
        self.silent_cues = [(topic.topic, [self._cue(cue) for cue in topic.cues]) for topic in data.silent]
        self.loss_cues = {loss_id: [self._cue(cue) for cue in cues] for loss_id, cues in data.loss_triggers.items()}
        self.document_cues = [(loss, [self._cue(cue) for cue in data.document_questions[loss.id]])
                              for loss in kb.losses if loss.id in data.document_questions]
        self.caution_cues = [(caution, [self._cue(cue) for cue in data.caution_triggers.get(caution.id, [])])
                             for caution in kb.cautions]
        self.appendix_names = self._appendix_names()
        self.names_appendix = {unit_id: _appendices_named(unit.text) for unit_id, unit in kb.units.items()}

    # ---- building -----------------------------------------------------------------------
    def _protocol_words(self) -> set[str]:
        texts = [text for unit in self.kb.units.values() for text in (unit.text, unit.title, unit.section_title)]
        texts += [name for term in self.kb.glossary.values() for name in term.names]
        texts += [phrase for phrases in self.data.hints.values() for phrase in phrases]
        return {word for text in texts for word in self.text.content(self.text.words(text))}

    def _protocol_forms(self) -> set[str]:
        """The protocol's words as written (not lemmatised): "safeguarding", "interviewed"."""
        texts = [text for unit in self.kb.units.values() for text in (unit.text, unit.title)]
        return {word for text in texts for word in re.findall(r"[a-z]+", text.lower())}

    def _synonym_words(self) -> set[str]:
        """Single-word abbreviations and synonyms as lemmas ("shpo", "perp"), as the query builder keys them."""
        return {words[0] for synonym in self.data.synonyms for say in synonym.say
                for words in [self.text.words(say)] if len(words) == 1}

    def _bank_terms(self, question: str) -> list[str]:
        """A bank question's content words, its typos corrected as a practitioner's would be."""
        return self.text.content([self.speller.correct(word) for word in self.text.words(question)])

    def _build_index(self, bank_terms: list[tuple[str, list[str]]]) -> Index:
        """bank_terms: (unit id, content terms) of each question-bank question."""
        text, title, glossary, hints, bank = [], [], [], [], []
        named_by: dict[str, Counter[str]] = {unit_id: Counter() for unit_id in self.unit_ids}
        bank_counts: dict[str, Counter[str]] = {unit_id: Counter() for unit_id in self.unit_ids}
        for unit_id, words in bank_terms:
            bank_counts[unit_id].update(words + bigrams(words))
        for term in self.kb.glossary.values():
            names = self.text.document_terms(" ".join(term.names))
            for position, unit_id in enumerate(term.cites):
                for token in names:
                    named_by[unit_id][token] += 1.0 if position == 0 else 0.4  # most explanatory first
        for unit_id, unit in self.kb.units.items():
            text.append(Counter(self.text.document_terms(unit.text)))
            title.append(Counter(self.text.document_terms(f"{unit.title}. {unit.section_title}")))
            glossary.append(named_by[unit_id])
            hint_terms: Counter[str] = Counter()
            for phrase in self.data.hints.get(unit_id, []):
                hint_terms.update(self.text.document_terms(phrase))
                asked = wh_word(phrase)
                if asked:  # "who attends the strategy meeting": this unit answers "who" questions
                    hint_terms[f"q:{asked}"] += 1
            hints.append(hint_terms)
            bank.append(bank_counts[unit_id])
        return Index(self.unit_ids, {"text": text, "title": title, "glossary": glossary, "hints": hints,
                                    "asked": bank})

    def _appendix_names(self) -> list[tuple[str, re.Pattern[str]]]:
        """Glossary names of the tools and frameworks an appendix is about ("OASys" -> appendix-4)."""
        names = []
        for term in self.kb.glossary.values():
            first = term.cites[0]
            if first.startswith("appendix-") and "/" not in first:
                for name in term.names:
                    if len(name) >= 5:
                        names.append((first, re.compile(rf"(?<!\w){re.escape(clean(name))}(?!\w)")))
        return names

    def _segments(self, unit_id: str) -> list[quote.Segment]:
        unit = self.kb.units[unit_id]
        parts = quote.split(unit.text, unit.title)
        return [quote.Segment(text, bullet, intro, frozenset(self.text.content(self.text.words(text))))
                for (text, bullet), intro in zip(parts, quote.mark_intros(parts))]

    def _cue(self, phrase: str, plural: bool = False) -> re.Pattern[str]:
        """Matches the phrase as typed or as lemmas, with a pronoun or article allowed between its
        words ("book me a room"); out-of-scope cues also with their last word in the plural ("dbs
        checks"). Silent-topic cues stay exact: "category of the images" is asked of 7.4."""
        lemmas = " ".join(self.text.words(phrase)) or phrase.lower()
        forms = [CUE_FILLER.join(map(re.escape, form.split())) for form in (phrase.lower(), lemmas)]
        ending = "(?:e?s)?" if plural else ""
        return re.compile("|".join(rf"(?<!\w){form}{ending}(?!\w)" for form in forms))

    @staticmethod
    def _key(name: str) -> str:
        return " ".join(re.sub(r"[^\w&+ ]+", " ", clean(name).replace("'s", "s")).split())

    def query(self, text: str, weight: float = 1.0) -> Query:
        """The question's weighted terms; in a message that tells what happened and then asks ("Dad
        does bath time every night. Should I treat that as grooming?"), words only in the telling
        rank paragraphs less than the words asked with."""
        built = self.queries.build(text, weight)
        asked = _questions(text)
        if asked != [text]:
            asked_terms = set(self.queries.build(" ".join(asked), weight).weights)
            built.weights = {term: value if term in asked_terms else value * TELL_WEIGHT
                             for term, value in built.weights.items()}
        return built

    def all_known(self, decision: Decision) -> bool:
        """Every word of the question is one the protocol uses."""
        query = decision.query
        return bool(query and query.groups) and not any(self.queries.foreign(g) for g in query.groups)

    # ---- deciding -----------------------------------------------------------------------
    def search(self, text: str, context: str | None = None) -> Decision:
        unnamed, named = self._set_aside_names(text)
        cleaned = without_remark(self.queries.respell(clean(unnamed)))
        decision = self._with_cautions(self._decide(cleaned, context), cleaned)
        decision.named = named
        return decision

    def _decide(self, cleaned: str, context: str | None) -> Decision:
        if not re.search(r"[a-z0-9]", cleaned):
            return Decision(Outcome.EMPTY)
        if is_welsh(cleaned):
            return Decision(Outcome.NOT_ENGLISH)
        reference = lookup.find(cleaned, set(self.kb.units), self.section_ids)
        if reference.appendix and not reference.unit_ids and not reference.only_reference:
            cued = self._cued(cleaned)  # "retention period for the appendix 7 form": the appendix is silent
            if cued is not None:
                return cued
        decided = self._by_reference(reference)
        if decided is None:
            decided = self._glossary(cleaned)
        if decided is None:
            decided = self._about_the_document(cleaned)
        if decided is not None:
            return self._with_losses(decided, cleaned)
        cued = self._cued(cleaned)
        if cued is not None:
            return cued
        decision = self._rank(self.query(cleaned))
        if decision.outcome in (Outcome.OUT_OF_SCOPE, Outcome.NOT_COVERED) and decision.via == "bm25":
            decision = self._informative_parts(cleaned) or decision
        follow_up = FOLLOW_UP.search(cleaned) is not None
        if context and decision.via != "decline-bank" and (follow_up or decision.outcome is not Outcome.ANSWER):
            combined = self._rank(self.query(cleaned), context=self.query(clean(context), CONTEXT_WEIGHT))
            if combined.outcome in (Outcome.ANSWER, Outcome.UNSURE):
                combined.via = "context"
                decision = combined
        return self._with_losses(self._answer_type(decision, cleaned), cleaned)

    def without_names(self, text: str) -> str:
        return self._set_aside_names(text)[0]

    def _set_aside_names(self, text: str) -> tuple[str, bool]:
        """ "dad is Gareth", "we're in Caernarfon", "Kerry, 31, ...": a capitalised word inside a sentence
        that is not the protocol's, introduced as a person or a place, is a name and says nothing of
        what is asked. Also whether a person or a home was named (a town, "in Bangor", is no personal
        detail to ask the practitioner to leave out)."""
        personal = False

        def name(word: str) -> bool:  # "in Bangor", "mum Kelly": English words too, but not the protocol's
            return not self._protocol_word(word)

        def kept(match: re.Match[str]) -> str:
            nonlocal personal
            removed = [name(word.rstrip(",")) for word in match.group("names").split()]
            names = " ".join(("," if word.endswith(",") else "") if gone else word
                             for word, gone in zip(match.group("names").split(), removed))  # "at Ty Gwyn, Llanrug"
            personal |= any(removed) and not TOWN.search(match.group("by"))
            return f"{match.group('by')} {names} "
        text = NAMED.sub(kept, text)

        # "Emma in Llandudno says ...", "Jac's mum", "her and Paul's": a person, by what follows (a
        # first name may be an English word too: "Emma", "Paul")
        def person(match: re.Match[str]) -> str:
            nonlocal personal
            if self._protocol_word(match.group("name")) or match.group("name").lower() in self.declined_words:
                return match.group(0)
            personal = True
            return " "
        return PERSON.sub(person, text), personal

    def _protocol_word(self, word: str) -> bool:
        """The protocol's word in any form: "Services", "Children's" (its words are lemmas)."""
        lowered = word.lower().removesuffix("'s").removesuffix("’s")
        return self.speller.knows(lowered) or any(self.speller.knows(lemma) for lemma in self.text.words(lowered))

    def _informative_parts(self, cleaned: str) -> Decision | None:
        """A pasted referral ("Referral from police: <name>, <address>, tel ..., arrested for downloading
        IIOC, two children at home. What do we do first?"): the clauses made mostly of words the
        protocol never uses say nothing of what is asked. Ranked again without them, when at least
        three clauses remain and one was set aside."""
        clauses = [part.strip() for part in CLAUSE.split(cleaned) if part.strip()]
        if len(clauses) < 4:
            return None
        kept = [clause for clause in clauses
                if (query := self.query(clause)).groups and self.queries.known_share(query) >= CLAUSE_KNOWN]
        if len(kept) == len(clauses) or len(kept) < 3:
            return None
        decision = self._rank(self.query(". ".join(kept)))
        return decision if decision.outcome in (Outcome.ANSWER, Outcome.UNSURE) else None

    def _cued(self, cleaned: str) -> Decision | None:
        """Out of scope, or a topic the protocol is silent on, by the data's cues. A silent topic
        counts only where it is asked about: "Dad got 3 years in prison. ... Can we close the
        case?" tells of a sentence but asks about closing the case."""
        forms = (cleaned, self._respelt(cleaned))  # a cue typed with a slip: "off the cp registr"
        if any(cue.search(form) for cue in self.oos_cues for form in forms):
            return Decision(Outcome.OUT_OF_SCOPE, via="cue")
        asked = [" ".join(_questions(form)) for form in forms]
        for topic, cues in self.silent_cues:
            if any(cue.search(form) for cue in cues for form in asked):
                return Decision(Outcome.NOT_COVERED, via="cue", silent_topic=topic)
        return None

    def _respelt(self, cleaned: str) -> str:
        """The text with each misspelt word replaced by the word meant, for matching cues."""
        def meant(match: re.Match[str]) -> str:
            word = match.group(0)
            return self.speller.correct(word) if self.speller.misspelt(word) else word
        return re.sub(r"[a-z]{4,}", meant, cleaned)

    def _by_reference(self, reference: lookup.Reference) -> Decision | None:
        def answer(ids: list[str], via: str = "lookup", **extra: object) -> Decision:
            return Decision(Outcome.ANSWER, [Candidate(unit_id, 1.0, 1.0) for unit_id in ids], via=via,
                            confidence=1.0, **extra)  # type: ignore[arg-type]

        if reference.unit_ids:
            return answer(reference.unit_ids, query=self.query(reference.residue))
        titled = self._section_titled(reference.missing[0]) if reference.missing else None
        if reference.missing and not reference.appendix and titled is None:
            return Decision(Outcome.NO_SUCH_UNIT, via="lookup", missing=reference.missing[0])
        if (reference.sections or titled) and reference.only_reference:
            section = titled or reference.sections[0]
            return answer([u.id for u in self.kb.units.values() if u.section.split(".")[0] == section],
                          via="section", section=section)
        if not reference.appendix:
            return None
        if reference.only_reference:
            return answer([reference.appendix])
        inside = [position for position, unit_id in enumerate(self.unit_ids)
                  if unit_id == reference.appendix or unit_id.startswith(reference.appendix + "/")
                  or reference.appendix in self.names_appendix[unit_id]]  # 7.7: when to use Appendix 1
        decision = self._rank(self.query(reference.residue), restrict=inside)
        if decision.outcome not in (Outcome.ANSWER, Outcome.UNSURE):
            return answer([reference.appendix], query=decision.query)
        decision.via = "lookup"
        return decision

    def _about_the_document(self, cleaned: str) -> Decision | None:
        """"Is this protocol still in date?": answered by the note on its version alone (document_questions)."""
        for loss, cues in self.document_cues:
            if any(cue.search(cleaned) for cue in cues):
                return Decision(Outcome.ANSWER, [Candidate(unit_id, 1.0, 1.0) for unit_id in loss.cites],
                                via="document", losses=[loss], confidence=1.0)
        return None

    def _section_titled(self, number: str) -> str | None:
        """The section whose title names "Section <number>": "s47" is Section 3, "Section 47 Enquiry"."""
        if "." in number:
            return None
        return next((unit.section.split(".")[0] for unit in self.kb.units.values() if unit.section[0].isdigit()
                     and re.search(rf"\bsection {number}\b", unit.section_title, re.I)), None)

    def _glossary(self, cleaned: str) -> Decision | None:
        match = DEFINITION.match(QUALIFIER.sub("", cleaned))  # "what does cp stand for in the protocol"
        name = next((group for group in match.group("a", "b", "d", "e", "f", "c") if group), "") if match else ""
        key = self._key(QUALIFIER.sub("", name))
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
        scores = self._lean(self.index.scores(weights), query.text)
        phrase, phrase_recall, phrase_words = self.phrases.unit_scores(query, self.queries)
        n_units = len(self.unit_ids)
        declined = np.where(phrase_words[n_units:] >= MIN_PHRASE_WORDS, phrase[n_units:], 0.0)  # not on one word
        phrase, phrase_recall, phrase_words = phrase[:n_units], phrase_recall[:n_units], phrase_words[:n_units]
        # One curated phrasing sharing a single word ("sick") is no evidence the question is in scope.
        strong = (phrase >= STRONG_PHRASE) & (phrase_words >= MIN_PHRASE_WORDS)
        phrase_recall = np.where(strong, phrase_recall, 0.0)
        if context is not None:
            context_phrase, _, _ = self.phrases.unit_scores(context, self.queries)
            phrase = np.maximum(phrase, CONTEXT_WEIGHT * context_phrase[:n_units])
        top = float(scores.max())
        scores = (scores / top if top > 0 else scores) + PHRASE_WEIGHT * phrase
        if REFERENCE_QUESTION.search(query.text) and "appendix-6" in self.position:
            scores[self.position["appendix-6"]] *= REFERENCE_BOOST  # the phrasings name the tool, not its author
        if restrict is not None:
            allowed = np.zeros(len(scores), dtype=bool)
            allowed[restrict] = True
            scores = np.where(allowed, scores, -1.0)
        candidates = [Candidate(self.unit_ids[i], float(scores[i]),
                                max(self.queries.coverage(query, int(i)), float(phrase_recall[i])))
                      for i in np.argsort(-scores, kind="stable")[:5] if scores[i] > 0]
        candidates = self._prefer_part(candidates)
        known = self.queries.known_share(query)
        if candidates and strong[self.position[candidates[0].unit_id]]:  # close to a curated phrasing
            known = max(known, candidates[0].coverage)
        if not candidates or known < MIN_KNOWN:
            return Decision(Outcome.OUT_OF_SCOPE, candidates, via="bm25", query=query)
        if context is None and restrict is None:
            decided = self._declined(declined, float(phrase.max()), candidates, query)
            if decided is not None:
                return decided
        best = candidates[0]
        if context is None and self._off_topic(query, best):
            outcome = Outcome.NOT_COVERED if known >= 0.75 else Outcome.OUT_OF_SCOPE
            return Decision(outcome, candidates, via="bm25", query=query)
        margin = best.score / candidates[1].score if len(candidates) > 1 and candidates[1].score > 0 else 9.0
        confidence = min(1.0, 0.25 + best.coverage * min(margin, 2.0) / 2.0)
        if best.coverage >= SURE_COVERAGE and margin >= SURE_MARGIN:
            return Decision(Outcome.ANSWER, candidates, via="bm25", query=query, confidence=confidence)
        if best.coverage < UNSURE_COVERAGE:  # a weak match: suggest paragraphs, cite none
            return Decision(Outcome.NOT_COVERED, candidates, via="bm25", query=query, confidence=confidence)
        return Decision(Outcome.UNSURE, candidates, via="bm25", query=query, confidence=confidence)

    def _declined(self, declined: np.ndarray, best_phrase: float, candidates: list[Candidate],
                  query: Query) -> Decision | None:
        """Much closer to a question the protocol does not answer than to any unit's phrasing (sharing at
        least two of the question's words: "legal definition of ..." is not "legal advice ...")."""
        kind = int(np.argmax(declined))
        if declined[kind] < DECLINE_MIN or declined[kind] < DECLINE_MARGIN * best_phrase:
            return None
        if self.decline_kinds[kind] == "decline/out_of_scope":
            return Decision(Outcome.OUT_OF_SCOPE, via="decline-bank", query=query)
        return Decision(Outcome.NOT_COVERED, candidates, via="decline-bank", query=query)

    @staticmethod
    def _prefer_part(candidates: list[Candidate]) -> list[Candidate]:
        """An appendix's introduction and one of its parts nearly tied: the part says it (Appendix 2's
        introduction names "identity"; the developmental-needs part says what comes under it)."""
        if (len(candidates) > 1 and candidates[1].unit_id.startswith(candidates[0].unit_id + "/")
                and candidates[1].score >= PART_MARGIN * candidates[0].score):
            return [candidates[1], candidates[0], *candidates[2:]]
        return candidates

    def _lean(self, scores: np.ndarray, text: str) -> np.ndarray:
        """Lean towards the appendix a question names by its title, and to the Appendix 7 form
        for "where do I record ..." questions."""
        factors = np.ones(len(scores), dtype=np.float32)
        for appendix, pattern in self.appendix_names:
            if pattern.search(text):
                factors[[i for i, unit_id in enumerate(self.unit_ids) if unit_id.startswith(appendix)]] = NAMED_BOOST
        if FORM_QUESTION.search(text):
            factors[[i for i, unit_id in enumerate(self.unit_ids) if unit_id.startswith("appendix-7")]] = FORM_BOOST
        return scores * factors

    def _off_topic(self, query: Query, best: Candidate) -> bool:
        """The best unit misses most of the question, or its weightiest word when that is one the
        protocol never uses ("interpreter", "canteen") and no bank question for that unit uses either."""
        if best.coverage < MIN_COVERAGE:
            return True
        weights = [(self.queries.weight(group), self.queries.foreign(group)) for group in query.groups]
        focus = max(range(len(weights)), key=lambda position: weights[position][0])
        heavy, (heavy_weight, heavy_foreign) = query.groups[focus], weights[focus]
        if (heavy_weight < FOCUS_WEIGHT or not heavy_foreign
                or self.queries.covers(heavy, self.position[best.unit_id])
                or any(term in self.asked_words[best.unit_id] for term in heavy.terms)):  # "epilepsy": health
            return False
        # one strange word among many the protocol uses ("midwife ... strategy meeting") is not enough
        return sum(weight for weight, foreign in weights if foreign) >= FOCUS_SHARE * sum(w for w, _ in weights)

    def _answer_type(self, decision: Decision, cleaned: str) -> Decision:
        if decision.outcome not in (Outcome.ANSWER, Outcome.UNSURE) or decision.via not in ("bm25", "context"):
            return decision
        kind = unanswered_kind(cleaned, self.kb.units[decision.candidates[0].unit_id].text)
        if kind is None:
            return decision
        best = decision.candidates[0]
        for runner_up in decision.candidates[1:3]:  # "who leads it, and by when?": the unit with the time
            if (runner_up.score >= ANSWER_TYPE_MARGIN * best.score and runner_up.coverage >= SURE_COVERAGE
                    and unanswered_kind(cleaned, self.kb.units[runner_up.unit_id].text) is None):
                others = [c for c in decision.candidates if c is not runner_up]
                return Decision(Outcome.UNSURE, [runner_up, *others], via=decision.via, query=decision.query,
                                confidence=decision.confidence)
        return Decision(Outcome.NOT_COVERED, decision.candidates, via=decision.via, query=decision.query,
                        silent_topic=kind)

    def _with_losses(self, decision: Decision, cleaned: str) -> Decision:
        """What the conversion lost about the answering unit, when the question touches it."""
        if decision.outcome is not Outcome.ANSWER or not decision.candidates:
            return decision
        first = decision.unit_ids[0]
        for loss in self.kb.losses:
            triggered = any(cue.search(cleaned) for cue in self.loss_cues.get(loss.id, []))
            if first in loss.cites and (triggered or loss.cites == [first] == ["14.0"]) and loss not in decision.losses:
                decision.losses.append(loss)
        return decision

    def _with_cautions(self, decision: Decision, cleaned: str) -> Decision:
        """The cautions the question asks for ("are the kids safe?", "so no s47?"), where it is
        answered or offered paragraphs; never with a decline, an empty or a Welsh message."""
        if decision.outcome not in CAUTIONED:
            return decision
        asked = [" ".join(_questions(form)) for form in (cleaned, self._respelt(cleaned))]
        decision.cautions = [caution for caution, cues in self.caution_cues
                             if any(cue.search(form) for cue in cues for form in asked)]
        return decision

    # ---- what to show ---------------------------------------------------------------------
    def quote(self, unit_id: str, query: Query | None, whole_if_unmatched: bool = True) -> str:
        """The unit's sentences and bullets that answer the query ("…" where some are left out)."""
        segments = self.segments[unit_id]
        weights: dict[str, float] = {}
        for group in (query.groups if query else []):
            weight = self.queries.weight(group)
            for term in group.terms:
                if "_" not in term:
                    weights[term] = max(weights.get(term, 0.0), weight)
        chosen = quote.select(segments, weights, wants_list=bool(query and LIST_QUESTION.search(query.text)))
        if not chosen and whole_if_unmatched:  # the opening of the unit
            chosen = quote.select(segments, {term: 1.0 for segment in segments[:2] for term in segment.terms})
        return quote.render(segments, chosen)

    def related(self, unit_id: str) -> list[str]:
        """Units worth reading next: curated links, units its text names, then its neighbours."""
        unit = self.kb.units[unit_id]
        named = list(self.names_appendix[unit_id])
        named += [f"{a}.{b}" for a, b in re.findall(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?![\d.]*\d)", unit.text)]
        siblings = [other.id for other in self.kb.units.values() if other.section == unit.section]
        index = siblings.index(unit_id)
        neighbours = [siblings[i] for i in (index - 1, index + 1) if 0 <= i < len(siblings)]
        related = [*self.data.related.get(unit_id, []), *named, *neighbours]
        related.sort(key=lambda other: other == "appendix-6")  # the references list: read on elsewhere first
        return [other for other in dict.fromkeys(related) if other in self.kb.units and other != unit_id]


def _appendices_named(text: str) -> tuple[str, ...]:
    """The appendices a unit's text refers to ("... against the indicators in Appendix 1"), in order."""
    return tuple(dict.fromkeys(f"appendix-{number}" for number in re.findall(r"Appendix (\d)", text)))


def _questions(text: str) -> list[str]:
    """The sentences of a message that ask something ("...?"); all of it when none is marked."""
    sentences = [part.strip() for part in SENTENCE_END.split(text) if part.strip()]
    asked = [sentence for sentence in sentences if sentence.endswith("?")]
    return asked if asked and len(sentences) > 1 else [text]


def build(kb: KnowledgeBase) -> Retriever:
    try:
        nlp = load_pipeline()
    except OSError as error:  # pipeline not built yet: plain tokens, no lemmas or lexicon
        logger.warning("spaCy pipeline not found (%s); retrieval falls back to a blank pipeline", error)
        import spacy
        nlp = spacy.blank("en")
    return Retriever(kb, retrieval_data.load(kb), Normaliser(nlp), Informativeness(load_probabilities()))
