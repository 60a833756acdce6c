"""Personal details guard: positives, protocol-language negatives, speed."""
from __future__ import annotations

import time

import pytest

from casestore.pii import describe, redact, screen

POSITIVES = [
    ("DOB 12/03/2015", "date", "DOB 12/03/2015"),  # the label goes with the date it labels
    ("born 1/3/15", "date", "1/3/15"),
    ("born 12-03-2015", "date", "12-03-2015"),
    ("born 12.03.2015", "date", "12.03.2015"),
    ("born 12 March 2015", "date", "12 March 2015"),
    ("born 3rd Sept 2014", "date", "3rd Sept 2014"),
    ("born March 12, 2015", "date", "March 12, 2015"),
    ("born 2015-03-12", "date", "2015-03-12"),
    ("ring 07700 900123", "phone", "07700 900123"),
    ("ring 07700900123", "phone", "07700900123"),
    ("ring +44 7700 900123", "phone", "+44 7700 900123"),
    ("ring +447700900123", "phone", "+447700900123"),
    ("ring 01244 123456", "phone", "01244 123456"),
    ("ring (01244) 123456", "phone", "(01244) 123456"),
    ("ring 0161 496 0000", "phone", "0161 496 0000"),
    ("ring 020 7946 0000", "phone", "020 7946 0000"),
    ("ring +44 (0)1244 123456", "phone", "+44 (0)1244 123456"),
    ("lives at LL57 2DG", "postcode", "LL57 2DG"),
    ("lives at CH5 3AB", "postcode", "CH5 3AB"),
    ("lives at ll57 2dg", "postcode", "ll57 2dg"),
    ("lives at LL572DG", "postcode", "LL572DG"),
    ("NHS 943 476 5919", "nhs_number", "943 476 5919"),
    ("NHS 943-476-5919", "nhs_number", "943-476-5919"),
    ("NHS 9434765919", "nhs_number", "9434765919"),
    ("mail jo.bloggs@example.org", "email", "jo.bloggs@example.org"),
    ("spoke to Mr Smith", "titled_name", "Mr Smith"),
    ("spoke to Mrs. Jane Jones", "titled_name", "Mrs. Jane Jones"),
    ("seen by Dr Evans", "titled_name", "Dr Evans"),
    ("spoke to Miss Hughes", "titled_name", "Miss Hughes"),
    ("spoke to Ms Roberts today", "titled_name", "Ms Roberts"),
    ("a boy called Tom", "given_name", "called Tom"),
    ("the girl named Megan Ellis", "given_name", "named Megan Ellis"),
    ("he is known as Jim", "given_name", "known as Jim"),
    ("her name is Ann", "given_name", "name is Ann"),
]

NEGATIVES = [
    "S.47 enquiry started",
    "see 3.4 and 10.13",
    "paragraphs 3.13, 11.0 and 2.3",
    "Appendix 7 part 12",
    "case NW/2026/0012",
    "within 9 months",
    "within 42 working days",
    "review conference within 3 months; 15 working days",
    "the 3.4 check: previous history yes",
    "called the police and Children's Services",
    "called Police at 10.30",
    "a meeting was named Strategy Meeting",
    "issued June 2018, review date 2021",
    "Risk Matrix 2000 and OASys",
    "the A55 2nd junction",
    "Protection of Children Act 1978",
    "Mr and Mrs were both present",
    "we will miss the deadline",
    "",
    "   ",
]


@pytest.mark.parametrize(("text", "kind", "found"), POSITIVES)
def test_personal_details_are_found(text: str, kind: str, found: str) -> None:
    findings = screen(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]
    assert text[findings[0].start : findings[0].end] == found


@pytest.mark.parametrize("text", NEGATIVES)
def test_protocol_language_is_not_flagged(text: str) -> None:
    assert screen(text) == []


def test_several_findings_redact_and_describe() -> None:
    text = "Mrs Jones on 07700 900123 at LL57 2DG, DOB 12/03/2015"
    findings = screen(text)
    assert [f.kind for f in findings] == ["titled_name", "phone", "postcode", "date"]
    assert redact(text) == "[titled_name] on [phone] at [postcode], [date]"
    assert describe(findings) == (
        "a person's name, a phone number, a postcode and a possible date of birth"
    )


def test_screen_is_cheap() -> None:
    screen("warm up")
    texts = [f"Strategy meeting {n}: the 3.4 check done, see 10.13; no concerns" for n in range(200)]
    started = time.perf_counter()
    for text in texts:
        screen(text)
    per_call_ms = (time.perf_counter() - started) * 1000 / len(texts)
    print(f"\npii.screen: {per_call_ms:.3f} ms per message")
    assert per_call_ms < 20
