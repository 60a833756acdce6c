"""What a message says about which case it means: a reference, a malformed one, or a name.

Case records use references only (`NW/<year>/<four digits>`). A message that names a case some
other way is told so, never quietly taken to mean the case last used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from casestore.refs import find_reference

FORMAT = "NW/<year>/<four digits>, e.g. NW/2026/0012"
# Something typed as a reference that is not one: "NW/2026/99999", "NW/26/7120", "NW/2026/7101x".
_REFERENCE_LIKE = re.compile(r"(?<![\w/-])NW\s*[/ -]\s*\d+\s*[/ -]\s*\d+\w*", re.I)
# "for John Smith", "for Mrs Jones": a person, where a case reference belongs.
_PERSON = re.compile(r"\b(?:for|re|about|on)\s+(?:(?:mr|mrs|ms|miss|dr)\.?\s+[A-Z][\w'-]+|"
                     r"(?!Appendix\b|Section\b|Case\b|NW\b)[A-Z][a-z'-]+\s+(?!Appendix\b)[A-Z][a-z'-]+)")
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d",
                 "%d %B", "%d %b")
_REFERRAL = re.compile(r"\breferr(?:al|ed)(?:\s+(?:date|on|dated|was|received|came|in|is|to|of|for|"
                       r"NW[/ -]\d{4}[/ -]\d{4})\b)*\s*:?\s*(?P<when>.+)$", re.I)
_DATE_IN = re.compile(r"\b(?:today|yesterday|\d{1,2}(?:st|nd|rd|th)?(?:\s+[A-Za-z]{3,9}(?:\s+\d{4})?|[/.-]\d{1,2}[/.-]\d{2,4})|"
                      r"\d{4}-\d{2}-\d{2})\b", re.I)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
# Dates and years, taken out before looking for a short reference: "20 November 2026", "20/11/2026",
# "November 2026", "in 2019".
_DATES = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?"
                    rf"(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
                    r"(?:in|since|during|until|till|before|after|year)\s+(?:19|20)\d{2})\b", re.I)
# A case named by a short form: "9101", "2026/9101", "NW9101", "NW/9101", "nw 9101", "case 12", "ref 7".
_SHORT = re.compile(r"(?<![\w/.,-])(?:(?P<nw>NW)\s*[/ -]?\s*)?(?:(?P<year>(?:20)?\d{2})\s*/\s*)?(?P<number>\d{3,5})"
                    r"(?![\w/]|[.,]\d)|"
                    r"\b(?:case|ref(?:erence)?)\s*(?:no\.?|number|#)?\s*(?P<small>\d{1,2})(?![\w/.]|,\d)", re.I)


def short_reference(text: str) -> tuple[str, str | None] | None:
    """A case named by something shorter than its reference ("quick triage for 9101"): the words
    as typed, and the full reference it most likely means (this year's, for four digits), or None."""
    if find_reference(text):
        return None
    masked = _DATES.sub(lambda m: " " * len(m.group(0)), text)
    found = _SHORT.search(masked)
    if not found:
        return None
    typed = text[found.start():found.end()].strip()
    number = found.group("number")
    if not number or len(number) != 4:
        return typed, None
    year = found.group("year")
    year = (year if len(year) == 4 else f"20{year}") if year else str(date.today().year)
    return typed, f"NW/{year}/{number}"


def reference_buttons(text: str) -> list[dict[str, str]]:
    """For a short reference: one button, the same message with the likely full reference. Nothing
    is done until the practitioner chooses it."""
    short = short_reference(text)
    if short is None or short[1] is None:
        return []
    typed, full = short
    return [{"title": full, "payload": text.replace(typed, full, 1)}]


def reference_problem(text: str) -> str | None:
    """Why the text's case cannot be used, when it names one but not by a valid reference. A short
    form ("9101") is never taken to mean the case last used, nor guessed."""
    if find_reference(text):
        return None
    short = short_reference(text)
    malformed = _REFERENCE_LIKE.search(text)
    if malformed:
        said = f"“{malformed.group(0).strip()}” is not a case reference: references are {FORMAT}."
        if short is not None and short[1]:
            said += f" Nothing was done. If you meant {short[1]}, say it or choose it below."
        return said
    if short is not None:
        typed, full = short
        if full:
            return (f"“{typed}” isn't a full case reference, so nothing was done: say {full} (or choose it "
                    f"below). References are {FORMAT}.")
        return (f"“{typed}” isn't a full case reference, so nothing was done: say the case's full reference, "
                f"{FORMAT}.")
    if _PERSON.search(text):
        return f"Case records use references, never names: which case? Give its reference ({FORMAT})."
    return None


@dataclass(frozen=True)
class GivenDate:
    """What a message says of a referral date."""
    when: date | None = None        # the date, read
    unread: str | None = None       # words that could not be read as a date (said so, not dropped)
    yearless: date | None = None    # "3 Dec" with no year, still to come this year: which year is not guessed
    typed: str | None = None        # the words of the date as typed ("3 Dec")


def referral_date(text: str, today: date | None = None) -> GivenDate:
    """The referral date a message gives ("referral date 20 November 2026", "referred today",
    "referred on 3 Nov": this year's, when that is not in the future)."""
    match = _REFERRAL.search(text)
    if not match:
        return GivenDate()
    today = today or date.today()
    words = match.group("when").strip(" .!,;")
    if words.lower() in ("date", "dated", "is", "was"):  # "record referral date": no date given
        return GivenDate()
    found = _DATE_IN.search(words)  # "... was referred on 1 October 2026", "... for NW/2026/0013 is 3 May"
    if found:
        words = found.group(0)
    lowered = words.lower()
    if lowered.startswith("today"):
        return GivenDate(today, typed=words)
    if lowered.startswith("yesterday"):
        return GivenDate(today - timedelta(days=1), typed=words)
    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", words)
    for form in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
        if "%Y" not in form and "%y" not in form:
            parsed = parsed.replace(year=today.year)
            if parsed > today:  # last year's, or a slip for a date still to come? Ask.
                return GivenDate(yearless=parsed, typed=words)
        return GivenDate(parsed, typed=words)
    return GivenDate(unread=words, typed=words)


def which_year(given: GivenDate, reference: str) -> tuple[str, list[dict[str, str]]]:
    """Asked when a date without a year would be in the future: nothing is recorded until the
    practitioner gives the year (the button offers last year's date to choose; it is not assumed)."""
    assert given.yearless is not None
    earlier = f"{given.yearless.replace(year=given.yearless.year - 1):%-d %B %Y}"
    text = (f"“{given.typed}” has no year, and {given.yearless:%-d %B %Y} is still to come, so no referral "
            f"date is recorded. Which year? Say e.g. “referral date for {reference} is {earlier}”.")
    return text, [{"title": earlier, "payload": f"referral date for {reference} is {earlier}"}]
