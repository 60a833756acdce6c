"""Units derived from the source: coverage, fidelity, order and spot checks."""
from __future__ import annotations

import re
from typing import List

import pytest

from knowledge.model import Unit
from knowledge.units import normalise

FRONT = ["purpose", "scope", "responsibilities", "abbreviations", "equalities", "related-documents"]
PARAGRAPH_COUNTS = {2: 5, 3: 13, 4: 3, 5: 2, 6: 5, 7: 8, 8: 5, 9: 1, 10: 13, 11: 2, 12: 2, 13: 4}
APPENDIX_PARTS = {
    "appendix-1": ["non-abusing-parent", "couple-relationship", "parenting-styles", "siblings", "victim"],
    "appendix-2": ["developmental-needs", "parenting-capacity", "family-environmental"],
    "appendix-3": ["risk-factors", "protective-factors", "future-behaviour"],
    "appendix-4": ["levels-of-risk", "risk-matrix-2000", "other-sources"],
    "appendix-5": ["terminology", "pornography-and-violence", "contact-offences", "research",
                   "assessment-messages", "young-people", "technology"],
    "appendix-6": [],
    "appendix-7": [f"part-{n}" for n in range(1, 19)],
}


def schema_ids() -> List[str]:
    """The unit ids of docs/KNOWLEDGE_SCHEMA.md, in document order."""
    ids = list(FRONT) + ["1.0"]
    for section, count in PARAGRAPH_COUNTS.items():
        first = 0 if section == 11 else 1
        ids += [f"{section}.{n}" for n in range(first, first + count)]
    ids.append("14.0")
    for appendix, parts in APPENDIX_PARTS.items():
        ids += [appendix] + [f"{appendix}/{part}" for part in parts]
    return ids


def test_unit_ids_are_exactly_the_schema_ids_in_document_order(units: List[Unit]) -> None:
    assert [unit.id for unit in units] == schema_ids()


def test_every_numbered_paragraph_start_in_the_source_is_a_unit(source_text: str, unit_map: dict) -> None:
    lines = source_text.splitlines()
    body_end = next(i for i, line in enumerate(lines) if line.startswith("Appendix 1 - "))
    # A looser pattern than the parser's: any line starting with "N.M" (after an optional "- ").
    numbers = {f"{m[1]}.{m[2]}" for line in lines[:body_end]
               if (m := re.match(r"^\s*(?:-\s*)?(\d+)\.(\d+)", line))}
    section_headings = {f"{n}.0" for n in range(2, 14)} - {"11.0"}
    assert numbers - section_headings <= set(unit_map)
    assert numbers - section_headings == {u for u in unit_map if re.fullmatch(r"\d+\.\d+", u)}


def test_kinds_sections_and_parents(unit_map: dict) -> None:
    assert {unit_map[u].kind for u in FRONT} == {"front"}
    assert unit_map["1.0"].kind == unit_map["14.0"].kind == "section"
    assert unit_map["3.4"].kind == unit_map["11.0"].kind == "paragraph"
    assert unit_map["3.4"].section == "3.0" and unit_map["11.0"].section == "11.0"
    assert unit_map["appendix-3"].kind == "appendix" and unit_map["appendix-3"].parent is None
    part = unit_map["appendix-1/siblings"]
    assert (part.kind, part.section, part.parent) == ("appendix-part", "appendix-1", "appendix-1")


def test_section_titles_come_from_the_body_headings(unit_map: dict) -> None:
    assert unit_map["3.4"].section_title == "Section 47 Enquiry (Children Act 1989)"
    assert unit_map["7.1"].section_title == "Care and Support Assessment"
    assert unit_map["11.0"].section_title == "Interview with Children in Contact with Alleged Perpetrator"
    assert unit_map["14.0"].section_title == "Process Maps – Child Protection"
    assert unit_map["3.4"].label == "3.4 — Early significant-harm factors"
    assert unit_map["appendix-7/part-6"].title == "Part 6 – Dates /family members seen"


def test_order_and_spans_follow_the_document(units: List[Unit]) -> None:
    assert [unit.order for unit in units] == list(range(len(units)))
    spans = sorted((span, unit.id) for unit in units for span in unit.spans)
    for (first, _), (second, _) in zip(spans, spans[1:]):
        assert first[1] < second[0], f"{first} overlaps {second}"
    starts = [unit.spans[0][0] for unit in units]
    assert starts == sorted(starts)


def test_every_unit_text_is_verbatim_source(units: List[Unit], source_text: str) -> None:
    source = normalise(source_text)
    lines = source_text.splitlines()
    for unit in units:
        assert unit.text.strip(), unit.id
        if len(unit.spans) == 1:
            assert normalise(unit.text) in source, unit.id
        for block in unit.text.split("\n\n"):
            assert normalise(block) in source, (unit.id, block)
        # No words lost: the unit's text is all of its source lines, less the paragraph number.
        spanned = normalise("\n".join("\n".join(lines[a - 1:b]) for a, b in unit.spans))
        assert spanned.endswith(normalise(unit.text)), unit.id
        assert re.fullmatch(r"(\d+\.\d+\.?\s*)?", spanned[: len(spanned) - len(normalise(unit.text))]), unit.id


@pytest.mark.parametrize("unit_id, present, absent", [
    ("2.3", ["presumption that all referrals", "42 Working Days"], ["Referral Process"]),
    ("3.4", ["Known criminal lifestyle", "Non-contact offenders have greater likelihood"],
     ["If any of these risk factors are present"]),
    ("3.13", ["sexual risk order", "Part 2 of the Sexual offences Act 2003"], ["four possible outcomes"]),
    ("4.1", ["1. Child Protection concerns are substantiated and the child/ren",
             "2. Child Protection concerns are substantiated but the child is not judged",
             "3. Child Protection concerns are not substantiated but enquiries",
             "4. Child Protection concerns are not substantiated and enquiries"], ["initial case conference"]),
    ("6.2", ["Lucy Faithfull"], ["At the initial core group"]),
    ("7.4", ["nature of the images (A-C)", "If so refer to CP Coordinator"], ["variety of sources"]),
    ("8.4", ["a. Information gathering", "highly likely, likely or unlikely", "extreme, serious or concerning"],
     ["likely impact of the proposed intervention"]),
    ("10.10", ["more detailed picture"], ["Obtain a detailed background history"]),
    ("10.13", ["oppositional stance toward agencies"], ["Interview with Children"]),
    ("11.0", ["Consider if and at what stage"], ["Consider what children will be told"]),
    ("12.2", ["Does arousal happen to other non-child images", "(Ø)"], ["Implications for Practitioners"]),
    ("13.4", ["central to working with such clients"], ["Process up to the second review"]),
    ("14.0", ["Process up to the second review conference", "beyond the second review"], ["Appendix 1"]),
    ("1.0", ["Definitions of indecent images of children", "Section 50"], ["Guidance for Children"]),
    ("appendix-1", ["Appendix 1 - Assessment", "Source: Morrison"], ["Non-abusing parent/carer"]),
    ("appendix-1/victim", ["Victim or potential victim", "Lowered vulnerability (Protective factors)"],
     ["Source: Morrison"]),
    ("appendix-1/siblings", ["Increased vulnerability", "Lowered vulnerability",
                             "frequent visitors to the household"], ["Victim or potential victim"]),
    ("appendix-2", ["1. Introduction", "What the intended outcomes of intervention are"],
     ["2. Dimensions of child's developmental needs"]),
    ("appendix-4", ["section 13.4.16", "aged 18 years or over"], ["Levels of risk of harm"]),
    ("appendix-4/levels-of-risk", ["Very high:", "Professionals must seek expert professional opinion"],
     ["RISK MATRIX 2000"]),
    ("appendix-4/risk-matrix-2000", ["evidence-based actuarial"], ["Other sources of risk assessment"]),
    ("appendix-5", ["triangle of risk", "can influence each other."], ["child pornography"]),
    ("appendix-5/pornography-and-violence", ["Protection of Children Act 1978", "b. to distribute"],
     ["Do Internet offenders"]),
    ("appendix-5/contact-offences", ["three A's", "base-line level of sexual deviance"], ["Hernandez"]),
    ("appendix-5/research", ["Hernandez", "Both of the above studies"], ["Some messages when"]),
    ("appendix-5/assessment-messages", ["John Carr", "Work undertaken now will inform future practice"],
     ["increasing concern amongst clinicians"]),
    ("appendix-5/young-people", ["developing paraphilic behaviour"], ["Internet Watch"]),
    ("appendix-5/technology", ["Internet Watch foundation", "CEOP", "Peer-to-peer", "Linked In"], ["References"]),
    ("appendix-6", ["Wortley, R., & Smallbone"], ["ASSESSMENT OF INTERNET OFFENDERS"]),
    ("appendix-7", ["ASSESSMENT OF INTERNET OFFENDERS"], ["Details of Offender"]),
    ("appendix-7/part-1", ["1. Details of Offender", "Name | DOB | Ethnicity | Address"], ["|---"]),
    ("appendix-7/part-6", ["6. Dates /family members seen", "Relationship to Offender"], ["Reason for Assessment"]),
    ("appendix-7/part-7", ["7. Reason for Assessment"], ["Chronology"]),
    ("appendix-7/part-13", ["Cycle of Offending Tool", "co-operate with professionals"], ["14. Analysis"]),
    ("appendix-7/part-14", ["concern continuum", "Impact of the behaviour on the family?"], ["15. Conclusion"]),
    ("appendix-7/part-18", ["18. Name of Social Worker"], ["17."]),
])
def test_spot_checks(unit_map: dict, unit_id: str, present: List[str], absent: List[str]) -> None:
    text = unit_map[unit_id].text
    for words in present:
        assert words in text, f"{unit_id} should contain {words!r}"
    for words in absent:
        assert words not in text, f"{unit_id} should not contain {words!r}"


def test_paragraph_number_and_list_markers_are_stripped(unit_map: dict) -> None:
    assert unit_map["6.1"].text.startswith("The initial child protection conference")
    assert unit_map["3.13"].text.startswith("During this period")
    assert unit_map["2.1"].text.startswith("The guidance is to be read")
    assert all(line.startswith("- ") for line in unit_map["3.1"].text.splitlines()[1:])


def test_normalise_folds_markup_quotes_and_case() -> None:
    assert normalise("- ❖ **The  Severity**\n of “harm”’s") == 'the severity of "harm"\'s'
    assert normalise("| 6. Dates | | |\n|---|---|") == "6. dates"
