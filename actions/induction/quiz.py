"""The induction quiz: multiple-choice questions generated from knowledge/ (checklists, timescales,
flag rules, glossary, the tour's cautions), each explained with the protocol's words and citation.

The bank is the same for everyone; which questions make up a round, and the order of each
question's options, are seeded by the learner and the round, so a round can be resumed exactly.
"""
from __future__ import annotations

import functools
import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from rapidfuzz import fuzz

from knowledge import KnowledgeBase, Unit, normalise
from knowledge.induction import Tour
from knowledge.model import Checklist, Item, Timescale

ROUND_LENGTH = 10
WRONG_OPTIONS = 3
LETTERS = "ABCD"
YES_NO = ("Yes", "No")
CLUE_CHARS = 300
MIN_POOL_TEXT = 200     # a paragraph offered as a wrong answer has something to say
UNDEFINED = "The protocol uses this term but does not define it"
QUOTED = re.compile(r"[\"“]([^\"“”]{25,})[\"”]")


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    answer: str
    wrong: tuple[str, ...]          # candidates for the wrong options
    explanation: str                # the protocol's words, and where they are
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Posed:
    question: Question
    options: tuple[str, ...]
    attempt: int
    number: int                     # 1-based within the round

    @property
    def right_letter(self) -> str:
        return LETTERS[self.options.index(self.question.answer)]

    def option(self, letter: str) -> str:
        return self.options[LETTERS.index(letter)]


def _fold(text: str) -> str:
    return normalise(text).rstrip(";.: ")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{3,}", text.lower()))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


class Likeness:
    """Whether a part of the protocol says a checklist item too, in its own words: such a part is
    no wrong answer to "which part lists it?", nor is the item a wrong "no" to "is it one of the
    points in ...?". Built once per knowledge base and tour."""

    COMMON_SHARE = 1 / 6  # a word in more of the protocol's parts than this says little of a subject
    STEM = 6              # letters kept of a word, so forms of it meet ("isolation", "isolated")

    def __init__(self, kb: KnowledgeBase, tour: Tour) -> None:
        # the tour's same_subject phrases ("Children's Services", "professional involvement") are
        # read as one word each, longest first
        self._same = [(re.compile(rf"(?<!\w){re.escape(normalise(phrase))}(?!\w)"), f" same{group} ")
                      for group, phrases in enumerate(tour.same_subject)
                      for phrase in sorted(phrases, key=len, reverse=True)]
        self._content_of: dict[str, frozenset[str]] = {}
        self._lines_of: dict[str, tuple[tuple[frozenset[str], frozenset[str]], ...]] = {}
        used = Counter(word for unit in kb.units.values() for word in self.content(unit.text))
        # words the protocol uses in few of its parts: "neglect", "domestic"; not "children", "risk"
        self.distinctive = frozenset(w for w, n in used.items() if n <= self.COMMON_SHARE * len(kb.units))

    def says_it(self, item_text: str, unit: Unit, share: float = 0.5) -> bool:
        """One line of the unit has half the item's words ("Family ... known to social services -
        particularly a history ... of neglect or abuse" for "Previous history (known to Children's
        Services for abuse or neglect)"), or two of its distinctive words ("Is there any known
        previous relevant professional involvement?" for the same item; "History of domestic
        violence" for "Is there a history of domestic abuse?")."""
        wanted = _words(item_text)
        if not wanted:
            return False
        lines = self.lines(unit.text)
        if any(len(wanted & words) >= share * len(wanted) for words, _ in lines):
            return True
        telling = self.content(item_text) & self.distinctive
        return len(telling) >= 2 and any(len(telling & content) >= 2 for _, content in lines)

    def touches(self, item_text: str, units: list[Unit]) -> bool:
        """A point of the units shares one distinctive word with the item. Stricter than says_it,
        for "is “X” one of the points in 3.4?": the learner weighs X against every point at once,
        and "The offender has a previous sexual conviction ..." is arguably 3.4's "Previous contact
        abuse of other Children"."""
        telling = self.content(item_text) & self.distinctive
        return any(telling & content for unit in units for _, content in self.lines(unit.text))

    def content(self, text: str) -> frozenset[str]:
        """The words that carry meaning (no stop words), each cut to its first STEM letters."""
        if text not in self._content_of:
            folded = normalise(text)
            for pattern, token in self._same:
                folded = pattern.sub(token, folded)
            folded = folded.replace("'s", " ")
            self._content_of[text] = frozenset(w[:self.STEM] for w in re.findall(r"[a-z]{3,}[0-9]*", folded)
                                               if w not in _stop_words())
        return self._content_of[text]

    def lines(self, text: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
        """Each line (list point, sentence) of a unit: its words, and the words that carry meaning."""
        if text not in self._lines_of:
            self._lines_of[text] = tuple((frozenset(_words(line)), self.content(line))
                                         for line in re.split(r"\n+|;\s+|(?<=[.!?])\s+", text))
        return self._lines_of[text]


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS  # a word list; spaCy is loaded for retrieval anyway

    return frozenset(STOP_WORDS)


def _first_list_units(kb: KnowledgeBase) -> list[Unit]:
    """The units checklist items come from, in document order."""
    ids = {item.cites[0] for checklist in kb.checklists.values() for item in checklist.items}
    return [unit for unit in kb.units.values() if unit.id in ids]


def which_paragraph(kb: KnowledgeBase, likeness: Likeness) -> Iterator[Question]:
    """"Which part of the protocol lists “Images of own Children”?" for every checklist item."""
    units = _first_list_units(kb)
    folded = {u.id: normalise(u.text) for u in units}
    for checklist in kb.checklists.values():
        for item in checklist.items:
            unit = kb.units[item.cites[0]]
            text = _fold(item.text)
            if text in _fold(unit.label):  # "Details of Offender" is in its own label
                continue
            wrong = tuple(u.label for u in units if u.id != unit.id and text not in folded[u.id]
                          and not likeness.says_it(item.text, u))
            side = f", under “{item.group}”" if item.group else ""
            yield Question(f"paragraph:{checklist.full_id(item)}", "which-paragraph",
                           f"Which part of the protocol lists “{item.text}”?", unit.label, wrong,
                           f"{unit.label} lists it{side}: “{item.text}”", (unit.id,))


def is_listed(kb: KnowledgeBase, likeness: Likeness) -> Iterator[Question]:
    """"Is “X” one of the points in 3.4?" for the factor lists, with look-alikes from other lists."""
    lists = [c for c in kb.checklists.values()
             if c.kind in ("yes_no_unknown", "sign") and not any(item.group for item in c.items)]
    others = [(c, item) for c in kb.checklists.values() if c.kind in ("yes_no_unknown", "sign")
              for item in c.items]
    for checklist in lists:
        unit = kb.units[checklist.cites[0]]
        where = normalise(" ".join(kb.units[u].text for u in checklist.cites))
        for item in checklist.items:
            yield _listed(checklist, unit, checklist, item, kb.units[item.cites[0]])
        own_words = [_words(item.text) for item in checklist.items]
        strangers = [(c, item) for c, item in others if c.id != checklist.id
                     and _fold(item.text) not in where
                     and all(len(_words(item.text) & words) < 2 for words in own_words)
                     and not likeness.touches(item.text, [kb.units[u] for u in checklist.cites])]
        picked = random.Random(f"is-listed:{checklist.id}").sample(
            strangers, min(len(checklist.items), len(strangers)))
        for other, item in picked:
            yield _listed(checklist, unit, other, item, kb.units[item.cites[0]])


def _listed(checklist: Checklist, unit: Unit, source_list: Checklist, item: Item, source: Unit) -> Question:
    listed = source_list.id == checklist.id
    if listed:
        explanation = f"Yes: {unit.label} lists “{item.text}”."
        cites: tuple[str, ...] = (unit.id,)
    else:
        explanation = f"No: {unit.label} does not list it. It comes from {source.label}: “{item.text}”."
        cites = (unit.id, source.id)
    return Question(f"listed:{checklist.id}:{source_list.full_id(item)}", "is-listed",
                    f"Is “{item.text}” one of the points in {unit.label}?",
                    YES_NO[0] if listed else YES_NO[1], (YES_NO[1] if listed else YES_NO[0],),
                    explanation, cites)


def sides(kb: KnowledgeBase) -> Iterator[Question]:
    """Appendix 1: "under which heading is “X”?" (e.g. less able / more able to protect)."""
    for checklist in kb.checklists.values():
        groups = list(dict.fromkeys(item.group for item in checklist.items if item.group))
        if len(groups) < 2:
            continue
        for item in checklist.items:
            if not item.group:
                continue
            unit = kb.units[item.cites[0]]
            if kb.losses_about(item):
                continue  # the heading itself is in doubt (losses.yml): not a quiz question
            yield Question(f"side:{checklist.full_id(item)}", "side",
                           f"In {unit.label}, under which heading is “{item.text}”?", item.group,
                           tuple(g for g in groups if g != item.group
                                 and _direction(g) != _direction(item.group)),
                           f"{unit.label}, under “{item.group}”: “{item.text}”", (unit.id,))


def _direction(heading: str) -> str:
    """ "Increased vulnerability" and "Risk increased if" point the same way: the protocol gives no
    way to tell them apart, so one is never the wrong answer for the other."""
    lowered = heading.lower()
    if re.search(r"increas|less able|raise", lowered):
        return "towards harm"
    if re.search(r"lower|more able|protect|reduc", lowered):
        return "towards safety"
    return lowered


# The protocol's own words for when ("by the first review conference (3 months)").
OWN_WHEN = re.compile(r"\b((?:by|before|within|on) the [^.;:]{0,70}?(?:\([^)]*\)|Working Days|day of referral))",
                      re.I)


def _when(timescale: Timescale) -> str | None:
    if timescale.offset is None:
        return None
    own = OWN_WHEN.search(" ".join(timescale.says.split()))
    if own:
        phrase = own.group(1)
        return phrase[0].upper() + phrase[1:]
    start = re.sub(r"\s*\([^)]*\)", "", timescale.from_).strip()
    if timescale.offset.amount == 0:
        return f"On the day of the {start}"
    unit = timescale.offset.unit.replace("_", " ")
    return f"{timescale.offset.amount} {unit} after the {start}"


def when(kb: KnowledgeBase) -> Iterator[Question]:
    """"When does the protocol expect this: …?" for the timescales with a fixed time."""
    phrases = {t.id: _when(t) for t in kb.timescales}
    distinct = list(dict.fromkeys(p for p in phrases.values() if p))
    for timescale in kb.timescales:
        answer = phrases[timescale.id]
        if answer is None or len(distinct) < 2:
            continue
        unit = kb.units[timescale.cites[0]]
        # another timescale for much the same event is also right (2.3's 42 working days and
        # 7.3's first review conference, both for the Comprehensive Assessment)
        also_right = {phrases[other.id] for other in kb.timescales
                      if other.id != timescale.id and _same_event(other.event, timescale.event)}
        yield Question(f"when:{timescale.id}", "when",
                       f"When does the protocol expect this: {timescale.event}?", answer,
                       tuple(p for p in distinct if p != answer and p not in also_right),
                       f"{unit.label}: “{_clip(timescale.says, 400)}”", tuple(timescale.cites))


GENERIC_EVENT_WORDS = {"assessment", "assessments", "completed", "and", "the", "any", "care", "support", "put",
                       "place", "begins"}


def _same_event(one: str, other: str) -> bool:
    """Events naming the same thing ("Comprehensive Assessment ... completed" in 2.3 and 7.3)."""
    return bool((_words(one) - GENERIC_EVENT_WORDS) & (_words(other) - GENERIC_EVENT_WORDS))


def which_says(kb: KnowledgeBase, tour: Tour) -> Iterator[Question]:
    """"Which paragraph says: “…”?" for the timescales' words and the tour's cautions."""
    sources = [(f"timescale:{t.id}", t.says, t.cites[0]) for t in kb.timescales]
    sources += [(f"caution:{c.id}", c.text, c.cites[0]) for c in tour.cautions if c.is_quote]
    pool = [u for u in kb.units.values()
            if u.kind in ("paragraph", "appendix-part", "section") and len(u.text) >= MIN_POOL_TEXT]
    seen: set[str] = set()
    for source_id, words, unit_id in sources:
        unit, folded = kb.units[unit_id], _fold(words)
        if folded not in normalise(unit.text) or folded in seen:
            continue  # only the protocol's own words, each once
        seen.add(folded)
        quote = _clip(words, CLUE_CHARS)
        yield Question(f"says:{source_id}", "which-says", f"Which part of the protocol says: “{quote}”?",
                       unit.label, tuple(u.label for u in pool if u.id != unit.id
                                         and folded not in normalise(u.text)),
                       f"{unit.label}: “{_clip(words, 600)}”", (unit.id,))


def flags(kb: KnowledgeBase) -> Iterator[Question]:
    """"If … is recorded as “yes”, what does the protocol say for the strategy meeting?"""
    quoted = {}
    for flag in kb.flags:
        conditions = [_condition_text(kb, c.item, c.checklist) for c in flag.when.any]
        quotes = sorted(QUOTED.findall(flag.says), key=len, reverse=True)
        if quotes and not any(_fold(quotes[0]) in _fold(text) or _fold(text) in _fold(quotes[0])
                              for text, _ in conditions):
            quoted[flag.id] = quotes[0].strip()
    for flag in kb.flags:
        if flag.id not in quoted:
            continue
        condition = flag.when.any[0]
        _, named = _condition_text(kb, condition.item, condition.checklist)
        unit = kb.units[flag.cites[0]]
        related = set(flag.cites) | set(kb.item(condition.item).cites if condition.item else ())
        others = {f.id: set(f.cites) for f in kb.flags}
        yield Question(f"flag:{flag.id}", "flag",
                       f"If {named} is recorded as “{condition.answer}”, what does the protocol say "
                       f"for the {flag.for_}?", quoted[flag.id],
                       tuple(q for other, q in quoted.items() if other != flag.id and not others[other] & related),
                       f"{unit.label}: “{quoted[flag.id]}”", tuple(flag.cites))


def _condition_text(kb: KnowledgeBase, item_id: str | None, checklist_id: str | None) -> tuple[str, str]:
    """(the words compared with the flag's quote, how the condition is named in the question)."""
    if item_id is not None:
        item = kb.item(item_id)
        return item.text, f"“{item.text}” ({item.cites[0]})"  # the paragraph, not the checklist id
    checklist = kb.checklist(checklist_id or "")
    return checklist.title, f"any of the {checklist.id} points ({checklist.title})"


def glossary(kb: KnowledgeBase) -> Iterator[Question]:
    """"Which term does the protocol explain like this: “… refers to …”?" (the term masked)."""
    clues = {}
    for term in kb.glossary.values():
        if term.meaning.startswith(UNDEFINED):
            continue
        quotes = sorted(QUOTED.findall(term.meaning), key=len, reverse=True)
        if not quotes:
            continue
        clue = _mask(quotes[0], term.names)
        if len(clue) >= 40 and not any(len(n) > 2 and n.lower() in clue.lower() for n in term.names):
            clues[term.id] = _clip(clue, CLUE_CHARS)
    for term_id, clue in clues.items():
        term = kb.glossary[term_id]
        yield Question(f"glossary:{term.id}", "glossary",
                       f"Which term does the protocol explain like this: “{clue}”?", term.term,
                       tuple(kb.glossary[other].term for other in clues if other != term_id),
                       f"{term.term}: {' '.join(term.meaning.split())}", tuple(term.cites))


def _mask(text: str, names: list[str]) -> str:
    parts = set(names)
    parts |= {inner for name in names for inner in re.findall(r"\(([^)]+)\)", name)}
    parts |= {re.sub(r"\s*\([^)]*\)", "", name) for name in names}
    for name in sorted((p for p in parts if p.strip()), key=len, reverse=True):
        text = re.sub(rf"(?i)(?<!\w){re.escape(name.strip())}(?!\w)", "…", text)
    return " ".join(text.split())


_banks: dict[tuple[int, int], tuple[KnowledgeBase, Tour, tuple[Question, ...]]] = {}


def question_bank(kb: KnowledgeBase, tour: Tour) -> tuple[Question, ...]:
    """Every question the knowledge supports, in a fixed order (only those with wrong options).
    Built once per knowledge base and tour (both are loaded once per process)."""
    cached = _banks.get((id(kb), id(tour)))
    if cached is not None and cached[0] is kb and cached[1] is tour:
        return cached[2]
    likeness = Likeness(kb, tour)
    generated = [*which_paragraph(kb, likeness), *is_listed(kb, likeness), *sides(kb), *when(kb), *which_says(kb, tour),
                 *flags(kb), *glossary(kb)]
    bank = tuple(q for q in generated if q.wrong)
    _banks[(id(kb), id(tour))] = (kb, tour, bank)
    return bank


def round_questions(bank: tuple[Question, ...], learner: str, attempt: int) -> list[Question]:
    """The round's questions: each kind shuffled, then taken in turn so every round is mixed."""
    rng = random.Random(f"{learner}:{attempt}")
    kinds: dict[str, list[Question]] = {}
    for question in bank:
        kinds.setdefault(question.kind, []).append(question)
    order = sorted(kinds)
    rng.shuffle(order)
    for kind in order:
        rng.shuffle(kinds[kind])
    chosen: list[Question] = []
    while len(chosen) < min(ROUND_LENGTH, len(bank)):
        for kind in order:
            if kinds[kind] and len(chosen) < ROUND_LENGTH:
                chosen.append(kinds[kind].pop())
    return chosen


def pose(question: Question, learner: str, attempt: int, number: int) -> Posed:
    if question.answer in YES_NO and set(question.wrong) <= set(YES_NO):
        return Posed(question, YES_NO, attempt, number)
    rng = random.Random(f"{learner}:{attempt}:{question.id}")
    options = [question.answer, *rng.sample(question.wrong, min(WRONG_OPTIONS, len(question.wrong)))]
    rng.shuffle(options)
    return Posed(question, tuple(options), attempt, number)


ANSWER_WORDS = re.compile(r"^(?:(?:my )?answer(?: is)?|option|the answer is|it'?s|it is|i think(?: it'?s)?)\s+")
YES_WORDS = {"yes", "y", "yeah", "yep", "true", "ie"}
NO_WORDS = {"no", "n", "nope", "false", "na"}


def parse_answer(text: str, posed: Posed) -> str | None:
    """The letter a typed answer chooses ("b", "option 2", "yes", or the option's words), if any."""
    said = ANSWER_WORDS.sub("", text.strip().lower()).strip(" .!?()")
    letters = LETTERS[:len(posed.options)]
    if len(said) == 1 and said.upper() in letters:
        return said.upper()
    if said.isdigit() and 1 <= int(said) <= len(posed.options):
        return letters[int(said) - 1]
    if posed.options == YES_NO and (said in YES_WORDS or said in NO_WORDS):
        return "A" if said in YES_WORDS else "B"
    matches = [letter for letter, option in zip(letters, posed.options)
               if _fold(option).strip(" .!?()") == _fold(said)]  # "… Chronology (i)" typed in full
    if not matches and len(said) >= 8:  # the option's words with a slip: "lowered vulnerabilty"
        scores = [(fuzz.ratio(_fold(option), _fold(said)), letter) for letter, option in zip(letters, posed.options)]
        best = max(scores)
        if best[0] >= 85 and sum(score >= 85 for score, _ in scores) == 1:
            matches = [best[1]]
    return matches[0] if matches else None
