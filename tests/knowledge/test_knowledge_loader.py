"""The loader: a small valid knowledge root, then broken copies that must fail by name."""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Callable

import pytest

import knowledge
from knowledge.__main__ import main
from knowledge.loader import build, review_passed
from knowledge.model import KnowledgeError

Write = Callable[[str, str], Path]

CHECKLIST_3_4 = """\
id: "3.4"
title: Early significant-harm factors
cites: ["3.4"]
purpose: Factors that may determine the risk of significant harm at an early stage.
kind: yes_no_unknown
triage: true
items:
  - id: previous-history
    text: Previous history (known to Children’s Services for abuse or neglect);
    cites: ["3.4"]
  - id: criminal-lifestyle
    text: known CRIMINAL   lifestyle
    cites: ["3.4"]
"""
CHECKLIST_10_9 = """\
id: "10.9"
title: Factors of concern
cites: ["10.9"]
purpose: Factors that would be of concern.
asked_of: partner
items:
  - {id: carer-mental-health, text: Carer has mental health problems, cites: ["10.9"], asked_of: police}
  - {id: recent-boyfriend, text: Recent boyfriend, cites: ["10.9"], kind: sign}
"""
CHECKLIST_APPENDIX_7 = """\
id: appendix-7
title: Assessment of Internet Offenders form
cites: ["appendix-7"]
purpose: The form, part by part.
kind: free_text
items:
  - {id: details-of-offender, text: Details of Offender, cites: ["appendix-7/part-1"]}
  - {id: analysis, text: "14. Analysis", cites: ["appendix-7/part-14"]}
"""
CHECKLIST_8_4 = """\
id: "8.4"
title: Judgement of risk
cites: ["8.4"]
purpose: The 8.4 judgement.
kind: judgement_harm
items:
  - {id: severity, text: "❖ **The severity of the known or believed harm.", cites: ["8.4"]}
"""
FLAGS = """\
- id: consider-leaving-home
  when:
    any:
      - {checklist: "3.4", answer: yes}
      - {item: "10.9:recent-boyfriend", answer: "observed"}
  for: strategy meeting
  says: The meeting must consider whether the alleged offender should leave the home.
  cites: ["3.5"]
"""
GLOSSARY = """\
- id: oasys
  term: OASys
  aliases: [Offender Assessment System, oasys]
  meaning: Offender Assessment System.
  cites: ["appendix-4"]
- id: asset
  term: Asset
  meaning: YOT assessment tool.
  cites: ["appendix-3"]
"""
TIMESCALES = """\
- id: start-on-referral-day
  event: Care and Support Assessment / S.47 Enquiry begins
  from: referral
  offset: {days: 0}
  strength: best practice
  says: Best practice is to begin on the day of referral
  cites: ["3.8"]
"""
PROCESS = """\
steps:
  - {id: referral, label: Referral, kind: step, cites: ["2.4"]}
  - {id: strategy-meeting, label: Strategy meeting, kind: step, cites: ["3.1"]}
edges:
  - {from: referral, to: strategy-meeting}
"""
LOSSES = """\
- id: process-maps
  says: The two process maps in section 14.0 did not survive conversion.
  cites: ["14.0"]
"""


@pytest.fixture
def full(root: Path, write: Write) -> Path:
    write("checklists/10-9.yml", CHECKLIST_10_9)
    write("checklists/3-4.yml", CHECKLIST_3_4)
    write("checklists/appendix-7.yml", CHECKLIST_APPENDIX_7)
    write("checklists/8-4.yml", CHECKLIST_8_4)
    write("flags.yml", FLAGS)
    write("glossary.yml", GLOSSARY)
    write("timescales.yml", TIMESCALES)
    write("process.yml", PROCESS)
    write("losses.yml", LOSSES)
    return root


def fails(root: Path, *fragments: str) -> str:
    with pytest.raises(KnowledgeError) as caught:
        build(root)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return message


def test_missing_optional_files_load_as_empty(root: Path) -> None:
    kb = build(root)
    assert len(kb.units) == 117
    assert kb.checklists == {} and kb.flags == [] and kb.glossary == {}
    assert kb.timescales == [] and kb.process.steps == [] and kb.losses == []
    assert set(kb.answer_kinds) == {"yes_no_unknown", "free_text", "sign", "done_not_done",
                                    "judgement_harm", "judgement_probability"}


def test_full_root_loads_with_defaults_and_document_order(full: Path) -> None:
    kb = build(full)
    assert list(kb.checklists) == ["3.4", "8.4", "10.9", "appendix-7"]
    assert kb.unit_order[:2] == ["purpose", "scope"]
    concern = kb.checklists["10.9"]
    assert concern.kind == "yes_no_unknown"
    assert [(i.kind, i.asked_of) for i in concern.items] == [("yes_no_unknown", "police"), ("sign", "partner")]
    assert kb.flags[0].when.any[0].answer == "yes"  # unquoted yes stays a string
    assert kb.flags[0].for_ == "strategy meeting"
    assert kb.timescales[0].offset.unit == "days" and kb.timescales[0].offset.amount == 0
    assert kb.process.next_steps("referral")[0].to == "strategy-meeting"
    assert kb.meta.version == "09" and kb.meta.review_passed is True


def test_lookups(full: Path) -> None:
    kb = build(full)
    assert kb.unit("3.4").id == "3.4"
    with pytest.raises(KnowledgeError, match="3.99"):
        kb.unit("3.99")
    assert kb.item("3.4:previous-history").text.startswith("Previous history")
    assert kb.item("appendix-7:analysis").kind == "free_text"
    for bad in ("3.4:nope", "9.9:previous-history", "previous-history"):
        with pytest.raises(KnowledgeError):
            kb.item(bad)
    for name in ("3.4", "the 3.4 check", "3.4 checklist", "Paragraph 3.4.", "early significant-harm factors"):
        assert kb.checklist_for(name).id == "3.4", name
    assert kb.checklist_for("appendix 7").id == kb.checklist_for("Appendix-7 form").id == "appendix-7"
    assert kb.checklist_for("3.5") is None and kb.checklist_for("") is None
    assert kb.glossary_lookup("offender assessment  system").id == "oasys"
    assert kb.glossary_lookup("OASYS?").id == "oasys"
    assert kb.glossary_lookup("asset").id == "asset" and kb.glossary_lookup("MAPPA") is None
    assert kb.answer_kind(kb.item("10.9:recent-boyfriend")).options == ["observed", "not observed", "not known"]


def test_checklist_for_appendix_1_parts(root: Path, write: Write) -> None:
    write("checklists/a1-siblings.yml", """\
id: appendix-1/siblings
title: Siblings
cites: ["appendix-1/siblings"]
purpose: Promising and compromising signs for siblings.
items:
  - {id: no-trusted-adult, text: Have no adult whom they trust, cites: ["appendix-1/siblings"], group: increased vulnerability}
""")
    kb = build(root)
    for name in ("appendix 1 siblings", "Appendix-1/Siblings", "siblings", "the appendix 1 siblings check"):
        assert kb.checklist_for(name).id == "appendix-1/siblings", name


def test_duplicate_item_id(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4 + """\
  - id: previous-history
    text: Images of own Children
    cites: ["3.4"]
""")
    fails(full, "3-4.yml", "previous-history", "duplicate")


def test_duplicate_checklist_id_names_both_files(full: Path, write: Write) -> None:
    write("checklists/zz-copy.yml", CHECKLIST_3_4)
    fails(full, "zz-copy.yml", "3-4.yml", "3.4")


def test_one_checklist_at_most_is_the_triage(full: Path, write: Write) -> None:
    assert build(full).triage.id == "3.4"
    write("checklists/10-9.yml", CHECKLIST_10_9.replace("asked_of: partner", "asked_of: partner\ntriage: true"))
    fails(full, "triage", "3.4", "10.9")


def test_no_triage_checklist_is_named_when_asked_for(root: Path) -> None:
    with pytest.raises(KnowledgeError, match="triage"):
        build(root).triage


def test_dangling_citation(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4.replace('cites: ["3.4"]\n  - id: criminal', 'cites: ["3.4", "3.14"]\n  - id: criminal'))
    fails(full, "3-4.yml", "3.4:previous-history", "3.14")


def test_dangling_citation_in_other_files(full: Path, write: Write) -> None:
    write("losses.yml", LOSSES.replace("14.0", "15.0"))
    fails(full, "losses.yml", "process-maps", "15.0")
    write("losses.yml", LOSSES)
    write("glossary.yml", GLOSSARY.replace("appendix-3", "appendix-8"))
    fails(full, "glossary.yml", "asset", "appendix-8")


def test_item_text_must_be_in_first_cited_unit(full: Path, write: Write) -> None:
    write("checklists/10-9.yml", CHECKLIST_10_9.replace(
        '{id: recent-boyfriend, text: Recent boyfriend, cites: ["10.9"]',
        '{id: recent-boyfriend, text: Recent boyfriend, cites: ["3.4", "10.9"]'))
    fails(full, "10-9.yml", "10.9:recent-boyfriend", "first cited unit 3.4")


def test_item_text_words_must_match(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4.replace("known CRIMINAL   lifestyle", "Known criminal life"
                                                      "style and associates"))
    fails(full, "3-4.yml", "3.4:criminal-lifestyle", "not found")


def test_flag_refers_to_missing_item(full: Path, write: Write) -> None:
    write("flags.yml", FLAGS.replace("10.9:recent-boyfriend", "10.9:recent-girlfriend"))
    fails(full, "flags.yml", "consider-leaving-home", "10.9:recent-girlfriend")


def test_flag_refers_to_missing_checklist(full: Path, write: Write) -> None:
    write("flags.yml", FLAGS.replace('{checklist: "3.4"', '{checklist: "3.5"'))
    fails(full, "flags.yml", "consider-leaving-home", "3.5")


def test_flag_answer_must_fit_the_item_kind(full: Path, write: Write) -> None:
    write("flags.yml", FLAGS.replace('answer: "observed"', 'answer: "yes"'))
    fails(full, "flags.yml", "consider-leaving-home", "sign", "10.9:recent-boyfriend")


def test_flag_for_is_one_of_the_known_occasions(full: Path, write: Write) -> None:
    write("flags.yml", FLAGS.replace("for: strategy meeting", "for: coffee morning"))
    fails(full, "flags.yml", "consider-leaving-home", "for")


def test_malformed_yaml(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4 + "  - id: [unclosed\n")
    fails(full, "3-4.yml", "malformed YAML")


def test_duplicate_yaml_key(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4.replace("triage: true", "triage: true\ntitle: Again"))
    fails(full, "3-4.yml", "duplicate key 'title'")


def test_unknown_and_missing_fields(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4.replace("    cites: [\"3.4\"]\n  - id: criminal",
                                                      "    cites: [\"3.4\"]\n    colour: red\n  - id: criminal"))
    fails(full, "3-4.yml", "items[previous-history].colour", "extra fields not permitted")
    write("checklists/3-4.yml", CHECKLIST_3_4.replace("purpose: Factors", "purpos: Factors"))
    fails(full, "3-4.yml", "checklist 3.4", "purpose: field required")


def test_wrong_kinds_are_not_coerced(full: Path, write: Write) -> None:
    write("checklists/3-4.yml", CHECKLIST_3_4.replace('id: "3.4"', "id: 3.4"))
    fails(full, "3-4.yml", "id: str type expected")
    write("checklists/3-4.yml", CHECKLIST_3_4.replace("triage: true", "triage: maybe"))
    fails(full, "3-4.yml", "triage")
    write("checklists/3-4.yml", CHECKLIST_3_4.replace("kind: yes_no_unknown", "kind: yes_no_maybe"))
    fails(full, "3-4.yml", "unknown answer kind 'yes_no_maybe'")


def test_glossary_names_unique_case_insensitively(full: Path, write: Write) -> None:
    write("glossary.yml", GLOSSARY.replace("term: Asset", "term: Asset\n  aliases: [offender assessment SYSTEM]"))
    fails(full, "glossary.yml", "asset", "oasys")


def test_duplicate_ids_in_list_files(full: Path, write: Write) -> None:
    write("losses.yml", LOSSES + LOSSES)
    fails(full, "losses.yml", "process-maps", "duplicate")


def test_timescale_offset_and_strength(full: Path, write: Write) -> None:
    write("timescales.yml", TIMESCALES.replace("{days: 0}", "{days: 0, months: 3}"))
    fails(full, "timescales.yml", "start-on-referral-day", "offset")
    write("timescales.yml", TIMESCALES.replace("best practice", "nice to have"))
    fails(full, "timescales.yml", "start-on-referral-day", "strength")


def test_process_edges_name_steps(full: Path, write: Write) -> None:
    write("process.yml", PROCESS.replace("to: strategy-meeting", "to: conference"))
    fails(full, "process.yml", "conference")


def test_review_passed_is_computed_not_trusted(root: Path) -> None:
    protocol = root / "data" / "protocol.yml"
    protocol.write_text(protocol.read_text().replace("review_passed: true", "review_passed: false"))
    fails(root, "protocol.yml", "review_passed")
    assert review_passed("2021", datetime.date(2021, 12, 31)) is False
    assert review_passed("2021", datetime.date(2022, 1, 1)) is True
    assert review_passed("June 2018", datetime.date(2018, 6, 30)) is False
    assert review_passed("June 2018", datetime.date(2018, 7, 1)) is True
    assert review_passed("2021") is (datetime.date.today() > datetime.date(2021, 12, 31))


def test_segments_heading_missing(root: Path) -> None:
    segments = root / "data" / "segments.yml"
    segments.write_text(segments.read_text().replace("heading: RISK MATRIX 2000", "heading: RISK MATRIX 3000"))
    fails(root, "segments.yml", "risk-matrix-2000")


def test_load_is_cached_per_root(full: Path) -> None:
    knowledge.load.cache_clear()
    first = knowledge.load(full)
    assert knowledge.load(full) is first
    assert knowledge.reload(full) is not first


def test_cli_check_and_units(full: Path, write: Write, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", "--root", str(full)]) == 0
    out = capsys.readouterr().out
    assert "117 units, 4 checklists, 7 items, 1 flag rules, 2 glossary terms, 1 timescales" in out
    assert main(["units", "--root", str(full)]) == 0
    assert capsys.readouterr().out.split()[:2] == ["purpose", "scope"]
    write("flags.yml", FLAGS.replace("10.9:recent-boyfriend", "10.9:nobody"))
    knowledge.load.cache_clear()
    assert main(["check", "--root", str(full)]) == 1
    assert "flags.yml" in capsys.readouterr().err


def test_timescale_offset_may_be_null_but_not_omitted(full: Path, write: Write) -> None:
    write("timescales.yml", TIMESCALES.replace("{days: 0}", "null"))
    assert build(full).timescales[0].offset is None
    write("timescales.yml", TIMESCALES.replace("  offset: {days: 0}\n", ""))
    fails(full, "timescales.yml", "start-on-referral-day", "offset: field required")


def test_process_edge_citations_resolve(full: Path, write: Write) -> None:
    write("process.yml", PROCESS.replace("to: strategy-meeting}", 'to: strategy-meeting, cites: ["3.1"]}'))
    assert build(full).process.edges[0].cites == ["3.1"]
    write("process.yml", PROCESS.replace("to: strategy-meeting}", 'to: strategy-meeting, cites: ["3.99"]}'))
    fails(full, "process.yml", "referral -> strategy-meeting", "3.99")
    write("process.yml", PROCESS.replace("to: strategy-meeting}", "to: strategy-meeting, colour: red}"))
    fails(full, "process.yml", "edges[referral->strategy-meeting].colour")


CAUTIONS = """\
- id: section-47-presumed
  reply: The protocol presumes a Section 47 Enquiry.
  leads: true
  quotes:
    - cite: "2.3"
      text: >-
        There is a presumption that all referrals to Children’s services regarding the assessment of
        Children living in a household (or having contact) with an adult, who has been viewing indecent
        images of children, will trigger a Section 47 Enquiry.
"""


def test_cautions_load_with_their_quotes_checked(full: Path, write: Write) -> None:
    write("cautions.yml", CAUTIONS)
    caution, = build(full).cautions
    assert caution.id == "section-47-presumed" and caution.leads and caution.cites == ["2.3"]


def test_a_caution_quote_must_be_the_protocols_words_in_its_cited_unit(full: Path, write: Write) -> None:
    write("cautions.yml", CAUTIONS.replace("all referrals", "most referrals"))
    fails(full, "data/cautions.yml", "section-47-presumed", "not found verbatim", "2.3")
    write("cautions.yml", CAUTIONS.replace('cite: "2.3"', 'cite: "2.4"'))  # right words, wrong unit
    fails(full, "data/cautions.yml", "section-47-presumed", "2.4")
    write("cautions.yml", CAUTIONS.replace('cite: "2.3"', 'cite: "2.9"'))
    fails(full, "data/cautions.yml", "section-47-presumed", "unknown unit '2.9'")


def test_a_caution_has_a_reply_and_at_least_one_quote(full: Path, write: Write) -> None:
    write("cautions.yml", "- {id: bare, reply: No words of the protocol behind this., quotes: []}\n")
    fails(full, "data/cautions.yml", "bare", "quotes")
