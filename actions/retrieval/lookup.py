"""Direct references typed by practitioners: "3.5", "para 10.13", "appendix 4", "appendix 7 part 10",
"section 3", "part 8 of the form"."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

PARAGRAPH = re.compile(
    r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?!\.?\d)"
    r"(?!\s*(?:%|per ?cent|hours?|hrs?|days?|weeks?|months?|years?|yrs?|mins?|minutes?|million|k\b))")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
APPENDIX = re.compile(r"\b(?:appendix|appendices|apendix|appendx|appx|apx|app|annex)\s*[-.:]?\s*"
                      r"(\d{1,2}|one|two|three|four|five|six|seven|vii|vi|iv|v|iii|ii|i)\b")
UNIT_ID = re.compile(r"\bappendix-\d/[a-z0-9-]+")
PART = re.compile(r"\b(?:part|pt|box|section)\s*[-.:]?\s*(\d{1,2})\b")
SECTION = re.compile(r"\b(?:section|sect|sec|s)\s*[-.:]?\s*(\d{1,2})(?![\d.]*\d)\b")
# Words that only frame a look-up ("show me ... please"); anything else is a question about it.
FILLER = {"show", "me", "what", "whats", "what's", "wots", "wot", "does", "do", "say", "says", "said",
          "read", "open", "please", "pls", "plz", "the", "in", "is", "tell", "go", "to", "display",
          "see", "text", "full", "wording", "quote", "can", "could", "i", "you", "paragraph", "para",
          "paras", "section", "appendix", "part", "of", "at", "protocol", "let", "have", "look",
          "give", "bring", "up", "contents", "content", "whole", "entire", "number", "no", "and",
          "a", "about", "it", "on", "there", "this", "that", "out", "for", "form", "get", "jump",
          "para.", "sec", "s", "pt", "app", "appx", "check", "checklist", "list", "all", "again",
          "one", "bit", "detail", "details", "stand", "mean", "means", "?", "!", ".", "&", "with",
          "which", "where", "find", "view", "copy", "print", "explain", "summarise", "summary",
          "summarize", "the", "wording", "exact", "words"}


@dataclass
class Reference:
    unit_ids: list[str] = field(default_factory=list)   # named units that exist, in order
    sections: list[str] = field(default_factory=list)   # "3": a section named without a paragraph
    appendix: str | None = None                         # "appendix-4" when named
    missing: list[str] = field(default_factory=list)    # "3.14", "15": a paragraph or section that does not exist
    residue: str = ""                                   # the message without the references

    @property
    def only_reference(self) -> bool:
        return not [word for word in re.findall(r"[\w'&]+|[?!.]", self.residue) if word not in FILLER]

    @property
    def found(self) -> bool:
        return bool(self.unit_ids or self.sections or self.appendix or self.missing)


def _number(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def find(text: str, unit_ids: set[str], section_ids: set[str]) -> Reference:
    """References in cleaned (lower-case) text. section_ids: "1".."14" as in the protocol."""
    reference = Reference()
    residue = text
    for match in UNIT_ID.finditer(text):  # a unit id as the buttons send it: "appendix-1/siblings"
        if match.group(0) in unit_ids:
            reference.unit_ids.append(match.group(0))
            residue = residue.replace(match.group(0), " ")
    appendix_match = APPENDIX.search(text)
    if appendix_match:
        number = _number(appendix_match.group(1))
        if f"appendix-{number}" in unit_ids:
            reference.appendix = f"appendix-{number}"
            residue = residue.replace(appendix_match.group(0), " ")
    mentions_form = reference.appendix == "appendix-7" or re.search(r"\bform\b", text) is not None
    part_match = PART.search(residue)
    if part_match and mentions_form and reference.appendix in (None, "appendix-7"):
        part_id = f"appendix-7/part-{int(part_match.group(1))}"
        if part_id in unit_ids:
            reference.unit_ids.append(part_id)
            residue = residue.replace(part_match.group(0), " ")
    for match in PARAGRAPH.finditer(text):
        section, sub = int(match.group(1)), int(match.group(2))
        candidate = f"{section}.{sub}"
        if candidate in unit_ids:
            reference.unit_ids.append(candidate)
        elif sub == 0 and str(section) in section_ids:
            reference.sections.append(str(section))
        elif str(section) in section_ids:
            reference.missing.append(candidate)
        else:
            continue
        residue = residue.replace(match.group(0), " ", 1)
    if not reference.unit_ids and not reference.missing and not reference.appendix:
        section_match = SECTION.search(residue)
        probe = residue.replace(section_match.group(0), " ") if section_match else residue
        if section_match and Reference(residue=probe).only_reference:
            number = section_match.group(1).lstrip("0")
            # "what does section 15 say": the protocol's sections stop at 14
            (reference.sections if number in section_ids else reference.missing).append(number)
            residue = probe
    if reference.appendix and not reference.unit_ids and reference.appendix == "appendix-2":
        part = PART.search(residue)
        if part and 1 <= int(part.group(1)) <= 4:
            names = ["appendix-2", "appendix-2/developmental-needs", "appendix-2/parenting-capacity",
                     "appendix-2/family-environmental"]
            reference.unit_ids.append(names[int(part.group(1)) - 1])
            residue = residue.replace(part.group(0), " ")
    reference.unit_ids = list(dict.fromkeys(reference.unit_ids))
    reference.residue = residue
    return reference
