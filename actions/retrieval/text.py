"""Text to retrieval terms: the project's spaCy pipeline (lemmas, text-speak), stop words, typos.

A query becomes a list of term groups: each word the practitioner typed (after typo correction)
with the protocol words its synonyms add. Documents become flat lists of terms. Both sides also
get bigrams of adjacent content words, so phrases ("core group", "risk matrix") count for more
than their words apart.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import spacy
from spacy.lang.en.stop_words import STOP_WORDS

ROOT = Path(__file__).resolve().parents[2]
MAX_QUERY_CHARS = 2000

# spaCy's stop words include words that carry meaning in this protocol ("interview him *after*
# the partner", "images of his *own* children", "*two* people").
MEANINGFUL = {"first", "before", "after", "together", "alone", "own", "two", "three", "four", "nine",
              "never", "nothing", "less", "more", "often", "every", "whole", "full", "back", "move",
              "name", "part", "top", "serious", "out", "well", "against", "without", "still"}
QUESTION_WORDS = {"protocol", "say", "says", "said", "please", "pls", "thanks", "thank",
                  "know", "want", "mean", "means", "meaning", "happen", "do", "be", "have", "get",
                  "go", "can", "could", "should", "would", "will", "must", "need", "ok", "okay",
                  "hi", "hello", "like", "think", "something", "anything", "thing", "things", "lot",
                  "bit", "really", "actually", "doe", "versus", "loads", "load", "lot", "lots", "guidance", "document", "'s", "s", "'", "wot", "wat",
                  "what", "whats", "let", "sure", "yes", "no", "mention", "talk", "ask", "find",
                  "show", "read", "see", "give", "make", "include", "cover", "apply", "define", "defined",
                  "defines", "definition", "ultimately", "paragraph", "paragraphs", "para", "cite", "quote"}
# When and how a practitioner says something is not what it is about ("at 4pm on friday, honestly").
CONVERSATIONAL = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
                  "tomorrow", "yesterday", "tonight", "night", "morning", "afternoon", "evening", "am", "pm",
                  "january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december", "honestly", "basically", "literally", "rubbish",
                  "awful", "terrible", "great", "brilliant", "quick", "quickly", "query",
                  "wondering", "wonder", "suppose", "supposed", "guess", "new", "caseload",
                  "hi", "hey", "help", "advice", "ta", "cheers", "bit", "lot", "lots", "stuff", "thing",
                  "wo", "ca", "n't", "nt", "gonna", "wanna", "gotta", "ok", "okay", "pls", "plz", "till",
                  "until", "asap", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays",
                  "sundays", "reckon", "reckons", "tbh", "fyi", "lol", "hmm", "um", "erm",
                  "maybe", "perhaps", "possibly", "probably", "dunno", "idk",
                  "student", "students", "nqsw", "nqsws", "trainee", "newbie", "q",  # "student q:", "NQSW -": who asks
                  "theirs", "prob", "probs", "relevance", "anymore", "nowadays"}  # how it is asked, not what
CLOCK_TIME = re.compile(r"^\d{1,2}(?:[:.]\d{2})?(?:am|pm)$")
STOP = (set(STOP_WORDS) - MEANINGFUL) | QUESTION_WORDS | CONVERSATIONAL
# "tell me about ...", "can you show me ...": framing, not content.
FRAMING = re.compile(r"^(?:(?:can|could|would) you |please )?(?:tell|show|give|remind) me(?: more)?(?: about| what| how| who| when| if| whether)?\b")
CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\ufeff]")
WORD = re.compile(r"[a-z][a-z'&+-]*[a-z]|[a-z]|\d+(?:\.\d+)*")


# How the asker feels about what they ask ("... sex life?? feels intrusive"): not what it is about.
FEELINGS = {"intrusive", "invasive", "awkward", "uncomfortable", "embarrassing", "embarrassed", "weird",
            "nervous", "anxious", "worried", "scared", "scary", "daunting", "upsetting", "upset", "overwhelming",
            "overwhelmed", "stressful", "stressed", "harsh", "rude", "unfair", "horrible", "uneasy", "cringe",
            "cringey", "cringy", "unnatural", "nosy", "nosey", "icky", "yucky"}
REMARK_BREAK = re.compile(r"\?+|!+|\.(?=\s)|[,;]|\s[-–]+\s")
MAX_REMARK_WORDS = 6
ASKING = {"what", "who", "when", "where", "why", "how", "which", "is", "are", "am", "do", "does", "did", "can",
          "could", "should", "would", "will", "shall", "must", "may", "might", "was", "were", "has", "have"}


def without_remark(text: str) -> str:
    """The question without a short remark on how it feels before or after it ("do i need to ask about
    their sex life?? feels intrusive", "feeling nervous, who should be at the strat?"), which would
    otherwise weigh as its strange subject."""
    breaks = [match for match in REMARK_BREAK.finditer(text) if text[match.end():].strip(" ?!.")]
    if not breaks:
        return text
    last, first = breaks[-1], breaks[0]
    if _is_remark(text[last.end():]) and len(text[:last.end()].split()) >= 3:
        return text[:last.end()].strip()
    if _is_remark(text[:first.start()]) and len(text[first.end():].split()) >= 3:
        return text[first.end():].strip()
    return text


def _is_remark(fragment: str) -> bool:
    words = re.findall(r"[a-z']+", fragment)
    return (0 < len(words) <= MAX_REMARK_WORDS and bool(FEELINGS.intersection(words))
            and words[0] not in ASKING)  # "..., is that harsh?" asks


def current_pipeline_path() -> Path:
    return ROOT / (ROOT / "build" / "spacy" / "CURRENT").read_text(encoding="utf-8").strip()


def load_pipeline() -> spacy.language.Language:
    """The project's pipeline (blank English + lookup lemmatizer + lexicon)."""
    return spacy.load(current_pipeline_path())


def clean(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """Fold what people paste (control characters, odd Unicode, curly quotes) to plain lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    text = CONTROL.sub(" ", text)[:limit]
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    return " ".join(text.lower().split())


WH_WORDS = ("who", "when", "why", "where", "how")


def wh_word(text: str) -> str | None:
    """The question word a question opens with ("who should attend ..." -> "who")."""
    for word in clean(text).split()[:4]:
        if word in WH_WORDS or word.rstrip("'s") in WH_WORDS:
            return word.rstrip("'s")
    return None


@dataclass
class Group:
    """One typed word: its own term (weight 1) plus the protocol words a synonym adds."""
    word: str
    terms: dict[str, float] = field(default_factory=dict)
    variants: set[str] = field(default_factory=set)   # same word family only ("refer" ~ "referral")
    verb_form: bool = False                           # typed as "refused", "overheard"
    weight: float | None = field(default=None, compare=False)  # set once by QueryBuilder.weight


class Normaliser:
    def __init__(self, nlp: spacy.language.Language):
        self.nlp = nlp
        self._lemma_table = None
        self._lemmas: set[str] = set()
        if "lemmatizer" in nlp.pipe_names:
            self._lemma_table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
            self._lemmas = {str(lemma).lower() for lemma in self._lemma_table.values()}
        self._lemma_cache: dict[str, list[str]] = {}

    def is_english(self, word: str) -> bool:
        """A word the lemma table knows (as a form or a lemma): a real word, not a typo."""
        return word in self._lemmas or (self._lemma_table is not None and word in self._lemma_table)

    def words(self, text: str) -> list[str]:
        """Lower-case lemmas of every word and number, in order (punctuation dropped; a
        hyphenated word also gives its joined form, so "on-line" meets "online")."""
        text = FRAMING.sub("", clean(text, limit=len(text) + 1)).strip()
        cached = self._lemma_cache.get(text)
        if cached is not None:
            return cached
        out: list[str] = []
        doc = self.nlp(text)
        for index, token in enumerate(doc):
            if token.is_space or token.is_punct and token.text not in ("&", "+"):
                continue
            lemma = token.lemma_.lower() if token.lemma_ else token.lower_
            if token.like_num or re.fullmatch(r"\d+(\.\d+)*", token.text):
                lemma = token.text
            out.extend(lemma.split())
            if (index + 2 < len(doc) and doc[index + 1].text == "-" and not token.whitespace_
                    and not doc[index + 1].whitespace_ and token.is_alpha and doc[index + 2].is_alpha):
                out.append(token.lower_ + doc[index + 2].lower_)
        if len(self._lemma_cache) < 50_000:
            self._lemma_cache[text] = out
        return out

    def verb_forms(self, text: str) -> set[str]:
        """Lemmas typed in an inflected form ("refuses", "overheard", "bailed"): mostly what
        happened in the case, rarely what a question is about."""
        forms = set()
        for token in self.nlp(FRAMING.sub("", clean(text, limit=len(text) + 1)).strip()):
            lemma = (token.lemma_ or token.lower_).lower()
            if token.is_alpha and lemma != token.lower_ and lemma[:2] == token.lower_[:2]:
                forms.add(lemma)
        return forms

    @staticmethod
    def content(words: Iterable[str]) -> list[str]:
        return [word for word in words if word not in STOP and WORD.fullmatch(word)
                and word not in ("&", "+") and not CLOCK_TIME.match(word)]

    def document_terms(self, text: str) -> list[str]:
        """Terms of a document: content lemmas and their adjacent-pair bigrams."""
        content = self.content(self.words(text))
        return content + bigrams(content)


def bigrams(words: list[str]) -> list[str]:
    return [f"{left}_{right}" for left, right in zip(words, words[1:])]
