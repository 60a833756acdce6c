"""Reading what a practitioner typed against what the current item expects."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from knowledge import KnowledgeBase
from knowledge.model import Checklist

# Everyday ways of giving an option, per option. Options themselves come from answer_kinds.yml.
OPTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "yes": ("y", "yes", "yeah", "yep", "yup", "ye", "present", "it is", "correct"),
    "no": ("n", "no", "nope", "nah", "not present", "none", "nac"),
    "not known": ("not known", "unknown", "dont know", "don't know", "do not know", "dunno",
                  "not sure", "unsure", "nk", "no idea", "not yet known", "dk"),
    "observed": ("observed", "seen", "yes observed", "yes"),
    "not observed": ("not observed", "not seen", "no", "nope", "nah"),
    "done": ("done", "completed", "complete", "yes done", "yes"),
    "not done": ("not done", "not completed", "outstanding", "no", "nope", "nah"),
}
INTENT_OPTIONS = {"affirm": ("yes", "observed", "done"), "deny": ("no", "not observed", "not done"),
                  "not_known": ("not known",)}
SEPARATOR = re.compile(r"^\s*(?:[,;:.\-–—]+|\s)\s*")
QUESTION_START = re.compile(
    r"^(what|whats|what's|wot|wots|who|whom|whose|when|where|why|how|which|does|do|did|is|are|"
    r"can|could|should|shall|would|will|must|may|tell me|explain|define)\b", re.I)
CANCEL = re.compile(r"^\s*(?:cancel|stop|quit|exit|abandon|abort|forget it|never ?mind|scrap (?:it|that))"
                    r"(?: (?:it|this|that|the triage|triage|please))*\s*[.!]?\s*$", re.I)
# A typed answer to a free-text item may start "when ..." ("when the police have finished"); these
# starts read as a question even without a question mark.
FREE_TEXT_QUESTION = re.compile(
    r"^(?:(?:what|whats|what's|wot|wots|wat|who|whom|whose|which|why|how|does|do|did|is|are|can|could|"
    r"should|shall|would|will|must|tell me|explain|define|show me)\b|"
    r"(?:when|where|which)\s+(?:is|are|do|does|did|should|can|could|will|would|must|shall|has|have)\b)", re.I)
LOOKUP_ONLY = re.compile(r"^\s*(?:(?:para(?:graph)?|section|s\.?)\s*)?\d{1,2}\.\d{1,2}\s*[?.!]*\s*$|"
                         r"^\s*(?:section|appendix|app\.?|appx)\s*-?\s*\d{1,2}\b", re.I)
# Said to the bot, not an answer to the item: "hang on", "this is useless", "I don't understand this".
REMARK = re.compile(r"^\W*(?:hang on|hold on|wait|one (?:sec|second|moment|min)|sec|brb|ok(?:ay)?(?:,? (?:thanks?|thank you|cheers))?|thanks?|"
                    r"thank you|cheers|sorry|huh|eh|hmm+|ffs|wtf|ugh|help|i'?m (?:confused|lost|stuck)|"
                    r"i (?:don'?t|do not) (?:understand|get)(?: (?:this|that|it|the question|this question|what you mean))?|"
                    r"what do you mean|(?:this|that|it) (?:is|'s) (?:useless|rubbish|pointless|confusing|annoying|stupid)|"
                    r"useless|rubbish|pointless|never ?mind)\W*$", re.I)
NOT_APPLICABLE = re.compile(r"^\s*(?:n\s*/\s*a|n\.a\.?|na|not applicable)\b", re.I)
CLOSED_QUESTION = re.compile(r"^(?:has|have|is|are|do|does|did|was|were|can|could|will|would|should)\b.*\?\s*$",
                             re.I | re.S)
KEEP_AS_WRITTEN = re.compile(r"^\s*(keep( it)?|record( it)?( as (it is|written))?|confirm|"
                             r"yes,? (keep|record)( it)?|it'?s fine|that'?s fine)\s*[.!]?\s*$", re.I)


@dataclass(frozen=True)
class OptionMatch:
    option: str
    note: str | None


def _collapsed(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def _normal(text: str) -> str:
    return _collapsed(text).lower()


def _split_note(text: str, prefix: str) -> str | None:
    rest = SEPARATOR.sub("", text[len(prefix):], count=1).strip()
    return rest or None


def match_option(text: str, options: list[str], intent: str | None = None,
                 option_entity: str | None = None) -> OptionMatch | None:
    """The option the text gives, with any note typed after it ("yes - police confirmed"); None
    for "n/a" (not applicable is not "no") and for two options at once ("yes and no")."""
    if option_entity and _normal(option_entity) in options:
        return OptionMatch(_normal(option_entity), None)
    said = _normal(text)
    if NOT_APPLICABLE.match(said):
        return None
    match = _match_option(text, said, options, intent)
    if match is not None and match.note and _gives_another_option(match.note, match.option, options):
        return None
    return match


def _gives_another_option(note: str, option: str, options: list[str]) -> bool:
    """ "yes and no", "no / not known": the note names a second, different option."""
    rest = re.match(r"^(?:and|or|but|/|&)\s*(.+)$", _normal(note))
    if not rest:
        return False
    other = _match_option(rest.group(1), rest.group(1), options, None)
    return other is not None and other.option != option


def _match_option(text: str, said: str, options: list[str], intent: str | None) -> OptionMatch | None:
    # Longest first, so "not known" wins over "no" and "not observed" over "observed".
    spellings = sorted(((s, o) for o in options for s in {o, *OPTION_SYNONYMS.get(o, ())}),
                       key=lambda pair: -len(pair[0]))
    for spelling, option in spellings:
        if said == spelling or re.match(rf"^{re.escape(spelling)}(?=$|[\s,;:.\-–—!])", said):
            # the note as typed ("police disclosure 3 May", "MARAC"), when folding case kept its length
            typed = _collapsed(text)
            return OptionMatch(option, _split_note(typed if len(typed) == len(said) else said, spelling)
                               if said != spelling else None)
    # before the NLU's reading, which would drop the note ("nto known: awaiting PNC" read as not_known)
    noted = NOTED.match(said)
    if noted:  # "yse - known to CS in 2019", "yess, 2011 conviction": the option read as a bare one is
        head = noted.group("head")
        option = _match_option(head, head, options, None)
        if option is not None and option.note is None:
            typed = _collapsed(text)
            rest = typed[noted.start("rest"):] if len(typed) == len(said) else noted.group("rest")
            return OptionMatch(option.option, rest.strip() or None)
    words = said.split()
    if intent in INTENT_OPTIONS and len(words) <= 4:
        for option in INTENT_OPTIONS[intent]:
            if option in options:
                return OptionMatch(option, None)
    if 0 < len(words) <= 3:
        best = max(options, key=lambda o: fuzz.ratio(said, o), default=None)
        if best is not None and fuzz.ratio(said, best) >= 80:
            return OptionMatch(best, None)
    if len(words) == 1:  # one slip of the finger: "yse", "nto known" is two words and caught above
        for spelling, option in spellings:
            if len(spelling) >= 3 and DamerauLevenshtein.distance(said, spelling) <= 1:
                return OptionMatch(option, None)
    return None


# An answer and its note, apart: "yse - note", "yess, note", "nto known: note" (a dash between spaces,
# so "not-known" and "12-3" are not split).
NOTED = re.compile(r"^(?P<head>[^,;:]{1,20}?)\s*(?:[,;:]|\s[-–—]+|[-–—]+\s)\s*(?P<rest>\S.*)$")


# The whole of a note that is itself a control word: "no, go back" goes back, not "no" with a note.
CONTROL_NOTE = re.compile(r"^\s*(?:(?:please|and|then|sorry)\s+)*(?:go\s+)?(?:back|previous(?: one| item| question)?|"
                          r"skip(?: it| this| this one| that)?|pause|stop|why|next|undo)\s*[.!?]*\s*$", re.I)


def answer_read_as_control(text: str, options: list[str]) -> OptionMatch | None:
    """An answer with a note that the NLU read as a control ("yes - previous conviction 2019" as go
    back, "no - leave it for now, police checking" as skip): it begins with an option and says
    more than a control word, so it is the answer (acting on the control would drop it)."""
    match = match_option(text, options)
    if match is None or not match.note or CONTROL_NOTE.match(match.note):
        return None
    return match


# Said where a note is asked for, it takes the answer back: nothing is recorded.
WITHDRAW = re.compile(r"^\s*(?:(?:no,?\s+)?(?:go\s+back|back|undo|scrap that|wrong (?:one|answer|button)|"
                      r"i didn'?t mean (?:that|it)|(?:that was a )?mistake))\s*[.!]*\s*$", re.I)
# Before a changed answer: "actually not observed", "sorry, no", "make it not known".
_CHANGE_LEAD = re.compile(r"^\s*(?:(?:actually|sorry|oops|oh|no wait|wait|i mean|i meant|change (?:it|that|the answer)? ?to|"
                          r"make (?:it|that)|should be|it should be|it'?s|it is)\b[\s,:;.-]*)+", re.I)


def changed_answer(text: str, options: list[str], option_entity: str | None = None) -> OptionMatch | None:
    """At the prompt for a note, a message that gives an answer instead: the whole of it an answer
    word ("no", "not known", "actually not observed"), or an option spelled out with a note ("not
    observed - mum denies it"). A note that merely begins with "no" ("no eye contact at the visit")
    is a note."""
    if option_entity and _normal(option_entity) in options:
        return OptionMatch(_normal(option_entity), None)
    said = _CHANGE_LEAD.sub("", text.strip()).strip(" .!")
    if not said:
        return None
    match = match_option(said, options)
    if match is None:
        return None
    if match.note is None:
        return match
    lowered = _normal(said)
    head = lowered[: lowered.rfind(_normal(match.note))] if _normal(match.note) in lowered else lowered
    # "not observed - ...", "not seen, ...", "no - mum denies it": an answer, then its note
    spelled = head.startswith(match.option) or len(head.split()) >= 2 or re.search(r"[,;:\-–—]", head)
    return match if spelled else None


# "change item 2 to no", "item 2 should be no", "go back to item 2", "can I correct question 3"
OTHER_ITEM = re.compile(r"^\W*(?:(?:can|could) (?:i|we)\s+|please\s+|i (?:want|need|meant) to\s+|let me\s+)?"
                        r"(?:(?:change|correct|amend|edit|fix|redo|update|go back to|back to|return to)\s+(?:the\s+)?"
                        r"(?:answer (?:to|for)\s+)?(?:item|question|q|no\.?|number)\s*(?P<a>\d{1,2})\b|"
                        r"(?:item|question|q)\s*(?P<b>\d{1,2})\s+(?:should (?:be|have been)|is|was|to|=)\b)", re.I)
# "this is for NW/2026/9104", "wrong case", "should be 9104", "meant NW/2026/9104"
_CASE_TALK = re.compile(r"\b(?:this is for|it'?s for|should be (?:for|on)|wrong case|meant|other case|different case|"
                        r"not (?:this|that) case|switch)\b", re.I)


def other_item(text: str) -> int | None:
    """The item number a message asks to change, when it is about another item."""
    found = OTHER_ITEM.match(text)
    return int(found.group("a") or found.group("b")) if found else None


def other_case(text: str, case: str) -> tuple[str, str | None] | None:
    """Another case named in a message typed at a checklist item: (as typed, full reference or None)."""
    from actions.case_refs import short_reference
    from casestore.refs import find_reference

    refs = re.findall(r"(?<![\w/-])NW[/ -]20\d{2}[/ -]\d{4}(?![\w/-])", text, re.I)
    full = next((find_reference(r) for r in refs if find_reference(r) != case), None)
    if full is not None:
        return full, full
    if find_reference(text) is None and _CASE_TALK.search(text):
        short = short_reference(text)
        if short is not None:
            return short
    return None


HEDGES = {"maybe", "perhaps", "possibly", "probably", "ok", "okay", "fine", "idk", "hmm", "?", "..."}


def is_bare_reply(text: str) -> bool:
    """A lone yes/no (or a typo of one) or a hedge: not an answer to an item that wants words."""
    said = _normal(text).strip(" .!?")
    if said in HEDGES or not said:
        return True
    match = match_option(said, ["yes", "no"])
    return match is not None and match.note is None


def is_remark(text: str) -> bool:
    return bool(REMARK.match(text.strip()))


def has_substance(text: str) -> bool:
    """At least two letters or digits: "." or "x" is not an answer or a note."""
    return len(re.findall(r"[^\W_]", text)) >= 2


def reads_as_question(text: str) -> bool:
    """Typed at a free-text item, a message that asks rather than answers: a question mark, a
    question's first words ("does mum need to be interviewed first"), or a look-up ("10.13")."""
    said = text.strip()
    return said.endswith("?") or bool(FREE_TEXT_QUESTION.match(said)) or bool(LOOKUP_ONLY.match(said))


def is_closed_question(item_text: str) -> bool:
    """An item worded as a yes/no question ("Have any fantasies been acted out ...?")."""
    return bool(CLOSED_QUESTION.match(item_text.strip()))


def is_explicit_question(text: str) -> bool:
    said = text.strip()
    return said.endswith("?") or bool(QUESTION_START.match(said))


def looks_like_question(text: str, intent: str | None, confidence: float) -> bool:
    if is_explicit_question(text):
        return True
    return intent in ("ask_protocol", "out_of_scope") and confidence >= 0.8 and len(text.split()) >= 4


def is_short_command(text: str) -> bool:
    """Few enough words to be "resume" or "carry on" rather than a typed answer that the NLU
    happened to read as one."""
    return 0 < len(text.split()) <= 5


def wants_to_cancel(text: str) -> bool:
    return bool(CANCEL.match(text))


def wants_to_keep(text: str) -> bool:
    return bool(KEEP_AS_WRITTEN.match(text))


# ----- duty triage ---------------------------------------------------------------------------

TRIAGE_NONE = re.compile(r"^\s*(?:none|no|nothing|all no|no factors?)(?:\s+(?:of them|of the factors|of those|"
                         r"are|is|present|apply|applies|at all|thanks|thank you))*\s*[.!]?\s*$", re.I)
TRIAGE_GROUP = re.compile(r"(present|yes|not known|unknown|nk|don'?t know|not sure)\s*:?\s*"
                          r"(\d+(?:\s*(?:,|;|&|\band\b)?\s*\d+)*)", re.I)


_TRIAGE_PRESENT = r"present|yes"
_TRIAGE_NOT_KNOWN = r"not known|unknown|nk|dk|don'?t know|do not know|not sure|unsure|dunno"
_TRIAGE_TOKEN = re.compile(rf"(?P<label>\b(?:{_TRIAGE_NOT_KNOWN}|{_TRIAGE_PRESENT})\b)|(?P<ref>#?\b\d+\b)|"
                           r"(?P<strong>;|\bthen\b)|(?P<weak>,|&|\+|/|\band\b|\bor\b)|"
                           r"(?P<filler>:|\.|\b(?:about|re|for|on|of|with|factors?|numbers?|nos?|items?|is|are|both|"
                           r"all|the|as|so far|are present|is present)\b)|(?P<word>[^\W\d_][\w'-]*)", re.I)
_TRIAGE_NOTE = re.compile(r"\s[-–—]+\s[^;]*")  # "present 1, 3 - images found of daughter; ...": a note


def _triage_words(text: str) -> str:
    said = _normal(text).replace("co-operation", "cooperation").replace("co-operating", "cooperating")
    said = re.sub(r"\bkids?\b", lambda m: "children" if m.group(0) == "kids" else "child", said)
    return re.sub(r"[’']", "", said).replace("-", " ") if not re.search(r"\d\s*-\s*\d", said) else said


def _named_factors(said: str, names: list[list[str]] | None) -> str:
    """Factor names replaced by their numbers ("images of own children" -> "#3"). `names`: per
    factor, in order, its text and the other words practitioners name it by (the checklist's
    `also_called`; only a phrase that names one factor: "previous" alone names none)."""
    spelled = [(_triage_words(name), n) for n, called in enumerate(names or [], 1) for name in called]
    for name, n in sorted(spelled, key=lambda pair: -len(pair[0])):
        said = re.sub(rf"\b{re.escape(name)}\b", f" #{n} ", said)
    return said


def parse_triage(text: str, count: int, names: list[list[str]] | None = None) -> dict[int, str] | None:
    """Factors present / not known, by number or by name: "present 1, 3; not known 5", "2 4",
    "1 and 3, 5 not known", "1,3 present 5 unknown", "images of own kids, not sure about cooperation".

    A label before numbers ("present 1, 3") names those up to the next label or ";"; a label after
    them ("1,3 present") those since the last label or ";" ("not known" after a comma only the
    numbers since the comma: "1 and 3, 5 not known"). Numbers with no label are present. Returns
    {number: "yes" | "not known"}; factors not named are "no". None if any word is not read (nothing
    is guessed), a number is out of range, or a factor is named both ways.
    """
    if TRIAGE_NONE.match(text):
        return {}
    said = _named_factors(_triage_words(_TRIAGE_NOTE.sub(" ; ", text)), names)
    tokens: list[tuple[str, str]] = []
    for token in _TRIAGE_TOKEN.finditer(said):
        kind = token.lastgroup
        if kind == "word":
            return None  # a word that names no factor: not guessed
        if kind == "label":
            value = "yes" if re.fullmatch(_TRIAGE_PRESENT, token.group(0), re.I) else "not known"
            tokens.append(("label", value))
        elif kind == "ref":
            tokens.append(("ref", token.group(0).lstrip("#")))
        elif kind in ("strong", "weak"):
            tokens.append((kind, token.group(0)))
    if not any(kind == "ref" for kind, _ in tokens):
        return None
    prefix_mode = tokens[0][0] == "label"
    chosen: dict[int, str] = {}
    claimed: set[int] = set()  # token positions of numbers a label has taken

    def take(position: int, value: str) -> bool:
        number = int(tokens[position][1])
        if chosen.get(number, value) != value:  # "present 4, not known 4"
            return False
        chosen[number] = value
        claimed.add(position)
        return True

    def refs_after(i: int) -> list[int]:
        found = []
        for j in range(i + 1, len(tokens)):
            kind = tokens[j][0]
            if kind in ("label", "strong") or j in postfix_taken:
                break
            if kind == "ref":
                found.append(j)
        return found

    # labels after their numbers first ("1,3 present 5 unknown"), then labels before theirs
    postfix_taken: set[int] = set()
    prefix_labels = []
    for i, (kind, value) in enumerate(tokens):
        if kind != "label":
            continue
        follows_number = i > 0 and tokens[i - 1][0] == "ref"
        if follows_number and (not prefix_mode or not refs_after(i)):
            for j in range(i - 1, -1, -1):
                back = tokens[j][0]
                if back in ("label", "strong") or (back == "weak" and value == "not known"
                                                    and (tokens[j][1] == "," or prefix_mode)):
                    break
                if back == "ref":
                    postfix_taken.add(j)
                    if not take(j, value):
                        return None
        else:
            prefix_labels.append(i)
    for i in prefix_labels:
        after = refs_after(i)
        if not after:
            return None  # "present" with nothing it names
        for j in after:
            if not take(j, tokens[i][1]):
                return None
    for j, (kind, number) in enumerate(tokens):
        if kind == "ref" and j not in claimed and not take(j, "yes"):
            return None
    if not chosen or any(n < 1 or n > count for n in chosen):
        return None
    return chosen


def triage_words_not_read(text: str, names: list[list[str]] | None = None) -> str:
    """The words of a triage reply that name no factor and no answer ("previous convictions")."""
    said = _named_factors(_triage_words(_TRIAGE_NOTE.sub(" ; ", text)), names)
    return " ".join(t.group(0) for t in _TRIAGE_TOKEN.finditer(said) if t.lastgroup == "word")


def triage_unread(text: str) -> str:
    """The note typed after a dash in a triage reply ("present 1, 3 - images of his daughter"): the
    quick triage records factors only, so it is reported, not silently dropped."""
    return "; ".join(note.strip(" -–—;,.") for note in _TRIAGE_NOTE.findall(text) if note.strip(" -–—;,."))


# ----- which checklist -----------------------------------------------------------------------

APPENDIX_1_GROUPS = {
    "non-abusing-parent": ("non-abusing parent", "non abusing parent", "parent/carer", "carer",
                           "parent", "mother", "mum"),
    "couple-relationship": ("couple", "relationship"),
    "parenting-styles": ("parenting style", "parenting styles"),
    "siblings": ("sibling", "siblings", "brothers", "sisters"),
    "victim": ("victim", "potential victim"),
}
APPENDIX_1_COMMON_WORDS = {"parent", "mother", "mum", "carer", "relationship", "brothers", "sisters"}


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    """The project's text-speak and abbreviations ("strat" -> strategy), from bot/nlp/lexicon.yml."""
    path = Path(__file__).resolve().parents[2] / "bot" / "nlp" / "lexicon.yml"
    return {str(k): str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8"))["lemma_overrides"].items()}


def _expanded(text: str) -> str:
    return " ".join(_lexicon().get(word, word) for word in text.split())


def find_checklist(text: str, kb: KnowledgeBase) -> list[Checklist]:
    """Checklists the text names: one if clear, several if ambiguous, none if not named."""
    said = _expanded(_normal(re.sub(r"\bNW/\d{4}/\d{4}\b", " ", text, flags=re.I)))
    appendix = re.search(r"\b(?:appendix|app|appx)\.?\s*-?\s*(\d)\b", said)
    if appendix and appendix.group(1) == "7" or "internet offenders" in said:
        return [kb.checklists["appendix-7"]]
    if (appendix and appendix.group(1) == "1") or "capacity to protect" in said:
        groups = [g for g, words in APPENDIX_1_GROUPS.items() if any(w in said for w in words)]
        chosen = groups[:1] if len(groups) >= 1 else list(APPENDIX_1_GROUPS)
        return [kb.checklists[f"appendix-1/{g}"] for g in chosen]
    for number in re.findall(r"\b(\d{1,2}\.\d{1,2})\b", said):
        if number in kb.checklists:
            return [kb.checklists[number]]
    # "start the non-abusing parent check", "the siblings checklist": one Appendix 1 part named by
    # its own words (not "mum" or "relationship" alone), where a check is asked for
    if re.search(r"\bcheck", said):
        named = [g for g, words in APPENDIX_1_GROUPS.items()
                 if any(w in said for w in words if w not in APPENDIX_1_COMMON_WORDS)]
        if len(named) == 1:
            return [kb.checklists[f"appendix-1/{named[0]}"]]
    scored = [(fuzz.partial_ratio(_normal(c.title), said), c) for c in kb.checklists.values()]
    best = max((s for s, _ in scored), default=0)
    if best >= 85:
        return [c for s, c in scored if s == best]
    return []
