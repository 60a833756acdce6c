"""Personal details guard: street addresses and names (practitioner trial: "12 High Street, Rhyl",
"Sarah Davies", "Mia (4) and Tom (7)" were not found), and what must not be taken for either:
paragraph numbers, ages, times, the protocol's own capitalised terms, and every question in the
question bank."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casestore.pii import describe, screen

ROOT = Path(__file__).resolve().parents[2]

ADDRESSES = [
    ("lives at 12 High Street, Rhyl", "12 High Street"),
    ("4 Bryn Road Bangor", "4 Bryn Road"),
    ("Flat 2, 7 Ffordd Las", "Flat 2, 7 Ffordd Las"),
    ("mum has moved to 12a Maes Glas Close with the children", "12a Maes Glas Close"),
    ("dad is staying at 7 St. Asaph Ave with his brother", "7 St. Asaph Ave"),
    ("3 Heol y Nant, Caernarfon", "3 Heol y Nant"),
    ("nan's house, 5 Maes-y-Coed, Mold", "5 Maes-y-Coed"),
    ("2 Lôn Goed", "2 Lôn Goed"),
    ("3 Rhodfa'r Môr", "3 Rhodfa'r Môr"),
    ("18 Stryd Fawr, Pwllheli", "18 Stryd Fawr"),
    ("21 Cilgant y Wern", "21 Cilgant y Wern"),
    ("9 Castle Court", "9 Castle Court"),
    ("14 Victoria Gardens", "14 Victoria Gardens"),
    ("the visit to 27 Upper Park Lane went ahead", "27 Upper Park Lane"),
    ("Grandparents at 6 Bay View", "6 Bay View"),
]

NAMES = [
    ("Sarah Davies rang the duty line", "full_name", "Sarah Davies"),
    ("spoke to Sarah Davies today", "full_name", "Sarah Davies"),
    ("mum is Sarah Jane Davies", "full_name", "Sarah Jane Davies"),
    ("the partner, Gareth Davies-Jones, works away", "full_name", "Gareth Davies-Jones"),
    ("Jac O'Neill is the eldest", "full_name", "Jac O'Neill"),
    ("Gethin McDonald moved in last month", "full_name", "Gethin McDonald"),
    ("subject: Gareth JONES, arrested 3 May", "full_name", "Gareth JONES"),
    ("JONES, Gareth: arrested", "full_name", "JONES, Gareth"),
    ("Ffion Hughes is the school DSL", "full_name", "Ffion Hughes"),
    ("Kaydence (2) is at nursery", "name_with_age", "Kaydence (2)"),
    ("Jac (aged 3) goes to nan's", "name_with_age", "Jac (aged 3)"),
    ("baby Efa (7 months)", "name_with_age", "Efa (7 months)"),
    ("Tom(7) was at school", "name_with_age", "Tom(7)"),
]

NOT_PERSONAL = [
    # paragraph and item numbers
    "see 3.4 and 10.13",
    "item 12 Close contact with children",
    "section 3 Road safety",
    "Section 8 Family Court order in place",
    "Appendix 7 Part 4",
    "appendix 7 part 12 asks about this",
    "paragraph 10 View of the child",
    "what does step 2 Park the case mean",
    "question 4 Walk me through it",
    # ages, counts, times, durations
    "kids 6 and 9 at home",
    "two children, aged 3 and 7",
    "the 2 Core Group meetings so far",
    "we have 3 Children's Services teams involved",
    "meeting at 10:30 on Tuesday",
    "strategy meeting at 2 pm",
    "within 10 days",
    "within 42 working days",
    "review in 3 months",
    "hearing at Mold Crown Court next week",
    "there were 2 Crown Court hearings",
    "Year 6 at the primary school",
    # the protocol's own capitalised terms and the people it cites
    "the Risk Matrix 2000 score",
    "Core Group meeting next week",
    "Children's Services and North Wales Police",
    "refer him to the Lucy Faithfull Foundation",
    "Stop It Now helpline",
    "David Thornton's Risk Matrix 2000",
    "John Carr's paper for the world congress in Yokohama",
    "Michael Seto on child pornography offenders",
    "the Resolutions Approach of Andrew Turnell",
    "Assessment Framework for Children in Need",
    "All Wales Child Protection Procedures",
    # first names that are everyday words, at the start of a question
    "Will Children's Services need to be told",
    "May Police share the disclosure with the school",
    "Grace Period for the review",
    # a capitalised word before a number in brackets that is not a child
    "Yes (2)",
    "Appendix (7) says",
    "Boy (4), Girl (7)",
    "Factors (3) and (5) are present",
    # abbreviations after a first name are not surnames
    "Emma DSL",
    "Tom ICPC",
    "",
]

KNOWN_MISSES = [  # cannot be found reliably by patterns (see casestore/pii.py); left to the practitioner
    "dad is gareth",  # lower case
    "mum sarah davies",
    "Emma in Llandudno says the school knows",  # a lone first name
    "Ty Gwyn, Ffordd Las",  # a house name, no number
]


@pytest.mark.parametrize(("text", "found"), ADDRESSES)
def test_street_addresses_are_found(text: str, found: str) -> None:
    findings = screen(text)
    assert [(f.kind, f.text) for f in findings] == [("address", found)]
    assert describe(findings) == "an address"


@pytest.mark.parametrize(("text", "kind", "found"), NAMES)
def test_names_are_found(text: str, kind: str, found: str) -> None:
    findings = [(f.kind, f.text) for f in screen(text)]
    assert (kind, found) in findings and {k for k, _ in findings} <= {kind, "address"}, findings
    assert describe(screen(text)) == "a person's name"


def test_children_named_with_their_ages() -> None:
    findings = screen("Mia (4) and Tom (7) live with mum")
    assert [(f.kind, f.text) for f in findings] == [("name_with_age", "Mia (4)"), ("name_with_age", "Tom (7)")]
    assert describe(findings) == "a person's name"


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_practitioner_language_is_not_flagged(text: str) -> None:
    assert [(f.kind, f.text) for f in screen(text)] == []


@pytest.mark.parametrize("text", KNOWN_MISSES)
def test_known_misses_stay_documented(text: str) -> None:
    """If one of these starts being found, move it to the positives (and check the negatives)."""
    assert screen(text) == []


def test_a_pasted_police_referral() -> None:
    pasted = ("Referral from NWP: Gareth JONES (DOB 12/03/1985) of 12 High Street, Rhyl LL18 1AB, "
              "tel 07700 900123. Partner Sarah Davies. Children Mia (4) and Tom (7). Arrested for "
              "downloading IIOC, see 3.4.")
    findings = screen(pasted)
    assert [(f.kind, f.text) for f in findings] == [
        ("full_name", "Gareth JONES"), ("date", "DOB 12/03/1985"), ("address", "12 High Street"),
        ("postcode", "LL18 1AB"), ("phone", "07700 900123"), ("full_name", "Sarah Davies"),
        ("name_with_age", "Mia (4)"), ("name_with_age", "Tom (7)")]
    assert describe(findings) == ("a person's name, a possible date of birth, an address, a postcode "
                                  "and a phone number")


def _question_bank() -> list[str]:
    questions = []
    for path in sorted((ROOT / "knowledge/data/questions").glob("*.yml")):
        for asked in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            questions.extend(q for q in asked or [] if isinstance(q, str))
    return questions


def test_the_question_bank_is_not_taken_for_personal_details() -> None:
    """Practitioners' protocol questions (knowledge/data/questions): 0 of 5,528 flagged when the
    address and name kinds were added. A flagged question is held back in the web chat and has the
    flagged words taken out before retrieval, so keep this near zero."""
    questions = _question_bank()
    assert len(questions) > 5000
    flagged = [f"{[(f.kind, f.text) for f in found]}: {q}" for q in questions if (found := screen(q))]
    assert len(flagged) <= len(questions) // 1000, "\n".join(flagged)
