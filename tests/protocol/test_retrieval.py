"""The retriever and answer_question without Rasa: which paragraph answers, and when to decline."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
import yaml

import knowledge
from actions.protocol_answer import answer_question
from actions.retrieval import Outcome, retriever
from actions.retrieval import data as retrieval_data

ROOT = Path(__file__).resolve().parents[2]


def first(question: str) -> str | None:
    answer = answer_question(question, None)
    return answer.citations[0] if answer.citations else None


@pytest.mark.parametrize("question, unit", [
    ("what does 3.5 say", "3.5"),
    ("10.13", "10.13"),
    ("para 6.2 pls", "6.2"),
    ("read me 3.10", "3.10"),            # 3.10, not 3.1
    ("11.0", "11.0"),
    ("show me appendix 4", "appendix-4"),
    ("appendix one", "appendix-1"),
    ("appx 2", "appendix-2"),
    ("appendix 7 part 10", "appendix-7/part-10"),
    ("part 8 of the form", "appendix-7/part-8"),
    ("show me appendix-1/siblings", "appendix-1/siblings"),   # what the buttons send
    ("what's in appendix 1 about siblings", "appendix-1/siblings"),
])
def test_typed_references_are_looked_up(question: str, unit: str) -> None:
    assert first(question) == unit


def test_a_section_lists_its_paragraphs() -> None:
    answer = answer_question("section 3", None)
    assert answer.citations[:2] == ["3.1", "3.2"] and "3.13 — Civil orders" in answer.text


def test_a_paragraph_that_does_not_exist_is_said_so_without_citations() -> None:
    answer = answer_question("what does 3.14 say", None)
    assert answer.citations == [] and "no paragraph 3.14" in answer.text and "3.1 to 3.13" in answer.text


def test_section_47_of_an_act_is_not_a_protocol_section() -> None:
    assert first("what does section 15 of the sexual offences act cover") == "1.0"
    assert first("does every referral trigger a section 47") == "2.3"


@pytest.mark.parametrize("question, unit", [
    ("what is OASys", "appendix-4"),
    ("whats an SHPO", "3.13"),
    ("what does MAPPA stand for", "appendix-4/other-sources"),
    ("rm2000?", "appendix-4/risk-matrix-2000"),
    ("what are the three A's", "appendix-5/contact-offences"),
    ("what is the triangle of risk", "appendix-5"),
    ("how does the protocol define a potential protective carer", "10.13"),
    ("what does the protocol mean by capacity to protect?", "appendix-1/non-abusing-parent"),
    ("what do we mean by significant harm", "3.4"),
    ("how are internet offenders defined", "appendix-5/contact-offences"),
    ("what does CP stand for in this protocol", "abbreviations"),
])
def test_glossary_questions_answer_from_the_glossary(question: str, unit: str) -> None:
    answer = answer_question(question, None)
    assert answer.outcome == "answer" and answer.citations[0] == unit
    term = retriever().search(question).glossary
    assert term is not None and term.cites[0] == unit


@pytest.mark.parametrize("question, unit", [
    ("when do i interveiw the alleged perp", "3.10"),                 # typo + abbreviation
    ("do both adults have to be interviewed seperately and together", "appendix-1/couple-relationship"),
    ("what does the strat mtg need to consider", "3.1"),              # lexicon: mtg -> meeting
    ("who is in the core grp", "6.3"),
    ("when should the s47 begin", "3.8"),
    ("should probation share the PSR with us", "7.1"),
    ("he got a custodial sentance, now what", "4.3"),                 # spelling fix
    ("who makes the call on what happens next, me or w my manager", "2.2"),   # w = with, not a rare word
    ("should internet use come up in every assmt", "13.4"),           # assmt = assessment, not ASSET
    ("the one with the images is mums bf, he isnt the childrens father", "10.9"),  # bf = boyfriend
])
def test_typos_and_abbreviations(question: str, unit: str) -> None:
    assert first(question) == unit


@pytest.mark.parametrize("question, unit", [
    ("he lives with his 2 stepkids, do we need a child protection conference", "3.11"),
    ("risk factors are there, does he have to move out", "3.5"),
    ("the partner is in shock after the police raid at 6am", "10.2"),
    ("stable family, no forensic history - are the kids at immediate risk", "10.9"),
    ("how do we assess a baby", "11.1"),
    ("should we hold off safeguarding action until the police have finished", "3.12"),
])
def test_practitioner_scenarios(question: str, unit: str) -> None:
    assert first(question) == unit


@pytest.mark.parametrize("question", [
    "what's the weather like in bangor tomorrow",
    "how do i claim my mileage",
    "book me a meeting room for friday",
    "what is the capital of france",
    "how do i make a referral to CAMHS",
    "what's the process for an adult safeguarding referral",
    "asdfghjkl",
])
def test_out_of_scope_has_no_citations(question: str) -> None:
    answer = answer_question(question, None)
    assert answer.outcome == "out_of_scope" and answer.citations == [] and "line manager" in answer.text


@pytest.mark.parametrize("question", [
    "how long do we keep the case file",                          # retention: not in the protocol
    "what rm2000 score counts as very high risk",                # no scores in the protocol
    "within how many working days must the strategy meeting be held",   # no timescale given
    "how often should core group meetings take place",
    "can the perp attend the review conference",                 # perp: the cue's abbreviation too
    "is the perp allowed at the icpc",
])
def test_silent_topics_say_the_protocol_does_not_say(question: str) -> None:
    answer = answer_question(question, None)
    assert answer.outcome == "not_covered" and answer.citations == []
    assert "does not say" in answer.text


def test_a_silent_topic_asked_of_a_named_appendix_is_still_silent() -> None:
    answer = answer_question("how long do we keep the completed appendix 7 form once the case closes", None)
    assert answer.outcome == "not_covered" and answer.citations == []
    assert first("what does appendix 7 ask about his drinking and drugs") == "appendix-7/part-12"
    assert first("what does 3.6 say about the written agreement template") == "3.6"  # a paragraph named: shown


def test_a_named_appendix_is_also_answered_by_the_paragraph_that_refers_to_it() -> None:
    # 7.7 says when and why the Appendix 1 indicators are used; the appendix lists them
    assert first("at what stage do we measure what we have gathered against the appendix 1 indicators") == "7.7"
    assert first("what does appendix 1 say about siblings") == "appendix-1/siblings"


def test_a_question_closest_to_the_decline_bank_is_declined() -> None:
    # paraphrases of knowledge/data/declines.yml questions, not copies; both were answered before it
    silent = answer_question("can we ask the police to put monitoring software on his new phone", None)
    assert silent.outcome == "not_covered" and silent.citations == []
    other = answer_question("can mum get universal credit now he has moved out", None)
    assert other.outcome == "out_of_scope" and other.citations == []


def test_one_word_shared_with_a_decline_question_does_not_decline() -> None:
    # "legal" is all it shares with "do we need legal advice before ..." in the decline bank
    assert first("legal definition of an indecent image?") == "1.0"


@pytest.mark.parametrize("question, unit", [("Sexual Offences Act 2003 relevance?", "1.0"),
                                            ("risk matrix 2000 relevance?", "appendix-4/risk-matrix-2000"),
                                            ("why do we not call it child porn anymore", "appendix-5/terminology")])
def test_relevance_is_how_a_question_is_asked_not_what_about(question: str, unit: str) -> None:
    assert first(question) == unit


def test_text_speak_for_days_is_read_as_the_day_not_a_strange_subject() -> None:
    # "tmrw" weighed as an unknown word was the heaviest of the question and declined it
    assert first("police want to do a joint visit tmrw, do i need a strat first?") == "3.2"


@pytest.mark.parametrize("question, unit", [("who dose the core group", "6.3"),
                                            ("weather or not to tell the school", "2.5")])
def test_a_real_word_typed_for_another_is_read_as_meant_where_the_sense_is_plain(question: str, unit: str) -> None:
    # "dose" and "weather" are words, so the speller leaves them; weighed as the subject they declined
    assert first(question) == unit


def test_the_same_words_keep_their_own_sense_elsewhere() -> None:
    assert answer_question("what dose would a gp give", None).outcome == "out_of_scope"
    assert answer_question("whats the weather like tomorrow", None).outcome == "out_of_scope"


def test_the_domains_of_the_assessment_framework_are_its_three_main_aspects() -> None:
    assert first("which domains make up the assessment framework") == "appendix-2"
    assert first("list the domians in the triangle") == "appendix-2"  # the typo as well


def test_the_decline_bank_may_not_contain_a_question_the_bank_answers(tmp_path) -> None:
    import shutil

    kb = knowledge.load()
    bank = retrieval_data.load_questions(kb)
    unit_id, questions = next(iter(bank.items()))
    shutil.copytree(retrieval_data.QUESTIONS_DIR, tmp_path / "questions")
    (tmp_path / "declines.yml").write_text(f"silent:\n  - {questions[0].upper()}\n", encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError, match=f"answered by {unit_id}"):
        retrieval_data.load(kb, questions=tmp_path / "questions")


def test_a_time_question_the_unit_does_answer_is_answered() -> None:
    assert first("how long will the police investigation go on for") in ("3.3", "2.3")
    assert first("when should the s47 begin") == "3.8"


def test_unsure_offers_the_closest_paragraphs_as_buttons() -> None:
    answer = answer_question("who needs to be at the strategy meeting", None)
    if answer.outcome != "unsure":
        pytest.skip("answered outright")
    assert 2 <= len(answer.buttons) <= 3
    assert all(button["payload"].startswith("show me ") for button in answer.buttons)
    for button in answer.buttons:  # each button's payload is itself a look-up of that paragraph
        unit = button["payload"].removeprefix("show me ")
        assert first(button["payload"]) == unit


def test_an_answer_quotes_the_protocol_names_the_paragraph_and_the_version() -> None:
    answer = answer_question("should the alleged offender be asked to leave the house while we assess", None)
    unit = knowledge.load().units["3.5"]
    assert answer.citations[0] == "3.5"
    assert unit.label in answer.text and "version 09" in answer.text
    assert "asked to leave the home during the assessment" in answer.text
    assert [b["payload"] for b in answer.buttons] == ["/tell_more"]


def test_long_units_are_quoted_in_part() -> None:
    answer = answer_question("should i ask how he labels and stores the files", None)
    assert answer.citations[0] == "12.2"
    assert "files labelled" in answer.text and "…" in answer.text
    assert len(answer.text) < len(knowledge.load().units["12.2"].text)


def test_a_lost_symbol_is_stated_with_its_citation() -> None:
    answer = answer_question("which questions can also be cross checked with the partner", None)
    assert answer.citations[0] == "12.2" and "did not survive conversion" in answer.text


def test_follow_up_questions_use_the_previous_question() -> None:
    class Tracker:  # the slots answer_question reads
        latest_message: dict = {}

        def get_slot(self, name: str):
            return {"last_question": "when do we interview the alleged perpetrator"}.get(name)

    answer = answer_question("what about the partner?", Tracker())  # type: ignore[arg-type]
    assert answer.citations and answer.citations[0] in ("3.9", "3.10")
    assert "alleged perpetrator" in answer.question


@pytest.mark.parametrize("text, outcome", [
    ("", "empty"), ("   \n\t ", "empty"), ("🙂🙂🙂", "empty"), ("\x00\x01\x02", "empty"),
    ("Beth yw cyfarfod strategaeth?", "not_english"),
    ("Pryd ddylwn i siarad gyda'r plant?", "not_english"),
])
def test_bad_input_gets_a_clear_reply_without_citations(text: str, outcome: str) -> None:
    answer = answer_question(text, None)
    assert answer.outcome == outcome and answer.citations == [] and answer.text


@pytest.mark.parametrize("text", ["'; DROP TABLE cases; --", "<script>alert('x')</script>",
                                  "SELECT * FROM practitioners WHERE 1=1"])
def test_code_looking_text_is_declined_and_never_echoed(text: str) -> None:
    answer = answer_question(text, None)
    assert answer.citations == [] and "<script>" not in answer.text and "DROP" not in answer.text


def test_a_huge_message_is_handled_quickly() -> None:
    text = "what should the strategy meeting consider " * 2500  # ~100 kB
    started = time.perf_counter()
    answer = answer_question(text, None)
    assert time.perf_counter() - started < 1.0
    assert answer.citations[:1] == ["3.1"]


def test_emoji_and_control_characters_around_a_question_are_ignored() -> None:
    assert first("🙂 what must the\x07 strategy meeting consider?\u200b") == "3.1"


def test_answers_are_fast() -> None:
    questions = [q["q"] for q in yaml.safe_load((ROOT / "tests/protocol/dev_questions.yml").read_text())]
    answer_question("warm up", None)
    timings = []
    for question in questions:
        started = time.perf_counter()
        answer_question(question, None)
        timings.append(time.perf_counter() - started)
    # Typically ~4 ms median on 2 cores; the bound is for an order-of-magnitude slip, not for noise
    # from whatever else make test runs beside it (it failed once at 5.35 ms against a 5 ms bound).
    assert statistics.median(timings) < 0.010
    assert sorted(timings)[int(len(timings) * 0.95)] < 0.04


def test_every_retrieval_hint_cites_a_unit_that_exists() -> None:
    kb = knowledge.load()
    data = retrieval_data.load(kb)  # raises KnowledgeError on an unknown id
    assert set(data.hints) <= set(kb.units)
    assert all(set(targets) <= set(kb.units) for targets in data.related.values())
    assert set(data.loss_triggers) <= {loss.id for loss in kb.losses}


def test_a_hint_for_a_unit_that_does_not_exist_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "retrieval.yml"
    path.write_text('hints:\n  "3.14": [a paragraph that is not there]\n', encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError, match="3.14"):
        retrieval_data.load(knowledge.load(), path)


def test_the_retriever_is_built_once_per_process() -> None:
    assert retriever() is retriever()
    assert retriever().search("what is oasys").outcome is Outcome.ANSWER


def test_the_question_bank_asks_about_every_unit() -> None:
    kb = knowledge.load()
    bank = retrieval_data.load(kb).asked
    thin = {unit_id: len(bank.get(unit_id, [])) for unit_id in kb.units if len(bank.get(unit_id, [])) < 5}
    assert not thin, f"units with fewer than 5 bank questions: {thin}"


def test_a_bank_question_for_a_unit_that_does_not_exist_is_rejected_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "section-3.yml").write_text('"3.14":\n  - a paragraph that is not there\n', encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError, match=r"questions/section-3.yml.*3\.14"):
        retrieval_data.load_questions(knowledge.load(), tmp_path)


def test_the_same_bank_question_under_two_units_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text('"3.1":\n  - Who chairs the strat meeting?\n', encoding="utf-8")
    (tmp_path / "b.yml").write_text('"3.2":\n  - who chairs the strat meeting\n', encoding="utf-8")
    with pytest.raises(knowledge.KnowledgeError, match=r"under 3\.2 here and under 3\.1 in questions/a.yml"):
        retrieval_data.load_questions(knowledge.load(), tmp_path)


@pytest.mark.parametrize("unit, phrasing, question", [
    ("11.1", "the little ones keep asking why daddy moved out", "the kids keep asking why their dad moved out"),
    ("3.6", "written agreement that he stays away from the house",
     "he's signed something saying he'll stay away from the house"),
    ("10.6", "she is in denial about what he did", "mum is in denial about all of it"),
])
def test_one_curated_phrasing_close_to_the_question_outweighs_words_shared_with_other_units(
        unit: str, phrasing: str, question: str) -> None:
    from dataclasses import replace as with_changes

    from actions.retrieval.retriever import Retriever
    kb = knowledge.load()
    data = retrieval_data.load(kb)
    built = retriever()
    untaught = Retriever(kb, with_changes(data, asked={}, hints={}, declined={}), built.text,
                         built.queries.informativeness)
    taught = Retriever(kb, with_changes(data, asked={unit: [phrasing]}, hints={}, declined={}), built.text,
                       built.queries.informativeness)
    assert untaught.search(question).unit_ids[:1] != [unit]
    decision = taught.search(question)
    assert decision.outcome is Outcome.ANSWER and decision.unit_ids[0] == unit


@pytest.mark.parametrize("question", ["who wrote the paper on online offending",
                                      "which journal published the research on internet offenders"])
def test_who_wrote_it_questions_lean_to_the_references(question: str) -> None:
    assert retriever().search(question).unit_ids[0] == "appendix-6"


def test_naming_a_tool_without_asking_who_wrote_it_stays_with_the_tool() -> None:
    assert retriever().search("what is risk matrix 2000").unit_ids[0] == "appendix-4/risk-matrix-2000"


@pytest.mark.parametrize("question", ["who leads the specialist risk assessment and by when must it be finished"])
def test_a_runner_up_giving_the_time_asked_for_is_offered_first(question: str) -> None:
    decision = retriever().search(question)
    assert decision.outcome is Outcome.UNSURE
    assert decision.unit_ids[0] == "8.2"


def test_a_weighty_word_the_protocol_never_uses_is_enough_to_decline() -> None:
    assert retriever().search("what's the quorum for an initial child protection conference").outcome in (
        Outcome.OUT_OF_SCOPE, Outcome.NOT_COVERED)


def test_unless_practitioners_use_that_word_for_the_paragraph_found() -> None:
    # "epilepsy" is in a bank question for Appendix 7 part 12 (general health), not in the protocol
    decision = retriever().search("does his epilepsy go on the internet offender assessment")
    assert decision.outcome in (Outcome.ANSWER, Outcome.UNSURE)
    assert decision.unit_ids[0] == "appendix-7/part-12"


def test_words_about_the_document_itself_are_framing_not_content() -> None:
    # "paragraph" is a word the protocol never uses; "cite" would lean to the references
    decision = retriever().search("which paragraph do I cite for the presumption of a s47")
    assert decision.outcome is Outcome.ANSWER and decision.unit_ids[0] == "2.3"


def test_one_word_the_protocol_never_uses_among_many_it_does_is_not_enough_to_decline() -> None:
    decision = retriever().search("I'm a community midwife invited to a strategy meeting about the baby's father, "
                                  "should all professionals be there and is it a joint investigation")
    assert decision.outcome in (Outcome.ANSWER, Outcome.UNSURE)
    assert decision.unit_ids[0] == "3.2"


@pytest.mark.parametrize("question", ["can I bring an interpreter to the strategy meeting",
                                      "can mum apply under the scheme to find out about her new boyfriend's past"])
def test_questions_mostly_about_what_the_protocol_never_mentions_are_declined(question: str) -> None:
    assert retriever().search(question).outcome in (Outcome.OUT_OF_SCOPE, Outcome.NOT_COVERED)


def test_a_hyphenated_word_the_protocol_writes_apart_is_read_by_its_parts() -> None:
    # "cross-check" also gives "crosscheck", which the protocol never uses: it must not count as foreign
    query = retriever().query("which questions for him can also be asked of his partner to cross-check")
    assert "crosscheck" not in [group.word for group in query.groups]
    assert "noncontact" in [group.word for group in retriever().query("what is non-contact offending").groups]


def test_a_synonym_phrase_of_any_length_is_read() -> None:
    """Phrases were matched up to four words, so longer ones in the data never fired."""
    query = retriever().query("he won't answer the door to us")
    assert "cooperation" in query.weights and "absence" in query.weights
    assert all(len(key) <= len(retriever().queries._sizes) for key in retriever().queries.synonyms)


def test_a_situation_told_before_the_question_does_not_decide_its_scope() -> None:
    """Practitioners tell the situation, then ask. A silent topic in the telling ("3 years in
    prison") does not decline what the last sentence asks."""
    assert first("Dad got 3 years in prison. Conference agreed the kids aren't at continuing risk "
                 "while he's inside. Can we just close the case?") == "4.3"
    answer = answer_question("how many years in prison will he get for the images?", None)
    assert answer.outcome == "not_covered" and answer.citations == []  # asked: still silent


@pytest.mark.parametrize("question", ["Pa mor aml ddylai'r grŵp craidd gyfarfod?",   # mutated forms, "'r" clitic
                                      "Oes angen cyfarfod strategaeth cyn yr ymweliad?"])
def test_a_question_in_welsh_is_told_the_assistant_answers_in_english(question: str) -> None:
    answer = answer_question(question, None)
    assert answer.outcome == "not_english" and answer.citations == []


def test_no_english_question_of_the_bank_is_taken_for_welsh() -> None:
    from actions.retrieval.language import is_welsh
    bank = retriever().data.asked
    assert not [q for questions in bank.values() for q in questions if is_welsh(q.lower())]


@pytest.mark.parametrize("question, unit", [
    ("do I need to ask about their sex life?? feels intrusive", "10.12"),   # audit fault 5: was declined
    ("bit awkward - do i need to ask about their sex life", "10.12"),
    ("how do i interview a 5 year old, feels awkward", "11.1"),
])
def test_a_remark_on_how_the_question_feels_does_not_decline_it(question: str, unit: str) -> None:
    answer = answer_question(question, None)
    assert answer.outcome == "answer" and answer.citations[0] == unit


def test_only_a_short_remark_of_feeling_is_set_aside() -> None:
    from actions.retrieval.text import without_remark

    assert without_remark("do i need to ask about their sex life?? feels intrusive") == \
        "do i need to ask about their sex life??"
    assert without_remark("feeling nervous, who should be at the strat?") == "who should be at the strat?"
    for kept in ["what does 3.4 say, is that harsh?",              # the remark asks
                 "dad said police were rude, what now",             # no remark at either end
                 "mum is upset about the written agreement"]:      # the feeling is what is asked about
        assert without_remark(kept) == kept


def test_a_section_the_protocol_does_not_have_is_said_so_and_its_mentions_offered() -> None:
    """Audit fault 11: "what does section 15 say" answered 1.0 (the Sexual Offences Act's section 15)."""
    answer = answer_question("what does section 15 say", None)
    assert answer.outcome == "no_such_unit" and answer.citations == []
    assert answer.text.startswith("There is no section 15 in the protocol") and "1.0 to 14.0" in answer.text
    assert [b["payload"] for b in answer.buttons] == ["show me 1.0", "show me appendix-7/part-15"]
    assert answer_question("show me section 22", None).text.startswith("There is no section 22")


def test_a_section_named_by_the_act_a_section_title_names_is_that_section() -> None:
    answer = answer_question("what does s47 say", None)  # Section 3 — Section 47 Enquiry (Children Act 1989)
    assert answer.citations[:2] == ["3.1", "3.2"] and "Section 47 Enquiry" in answer.text


def test_a_question_about_the_document_itself_gets_its_version_note_alone() -> None:
    """Audit fault 11: "is this protocol still in date?" quoted Purpose on the male gender convention."""
    review = next(loss for loss in knowledge.load().losses if loss.id == "review-date-passed")
    for question in ["is this protocol still in date?", "what version is this", "has it been superseded"]:
        answer = answer_question(question, None)
        assert answer.citations == review.cites and answer.text == " ".join(review.says.split()), question


def test_questions_about_the_document_catch_no_in_scope_question() -> None:
    from actions.retrieval.text import clean
    from tests.protocol.test_cues_spare_in_scope_questions import in_scope_questions

    finder = retriever()
    caught = [f"{question!r} (answered by {unit_id})" for unit_id, question in in_scope_questions(finder)
              if unit_id != "purpose" and finder._about_the_document(finder.queries.respell(clean(question)))]
    assert not caught, "\n".join(caught)


def test_a_pasted_referral_is_answered_and_its_personal_details_are_not_taken_as_the_subject() -> None:
    pasted = ("Referral from police: John Smith DOB 12/03/1985, 14 High Street LL57 2AB, tel 07700 900123, "
              "arrested for downloading IIOC, two children at home. What do we do first?")
    reply = answer_question(pasted, None)
    assert reply.text.startswith("Please don't put personal details in the chat")
    assert reply.outcome in ("answer", "unsure") and reply.citations


def test_setting_aside_strange_clauses_does_not_bring_a_message_about_something_else_in_scope() -> None:
    other = "Hi, quick one, I'm on annual leave next week, who covers my caseload, thanks"
    assert answer_question(other, None).outcome == "out_of_scope"


@pytest.mark.parametrize("said", ["this is useless", "ffs this bot is rubbish"])
def test_frustration_gets_a_way_forward_not_the_out_of_scope_reply(said: str) -> None:
    reply = answer_question(said, None)
    assert reply.text.startswith("Sorry this isn't helping") and reply.citations == []


@pytest.mark.parametrize("question", ["hes low risk isnt he", "the kids are safe with mum arent they",
                                      "can we nfa this then", "how likely is he to reoffend",
                                      "kids r safe now?", "will he do it again", "is there any risk to the kids",
                                      "hes not dangerous is he", "are my kids safe"])
def test_verdicts_asked_as_tag_questions_raise_the_caution(question: str) -> None:
    assert "What the protocol cautions:" in answer_question(question, None).text


@pytest.mark.parametrize("question", ["how likely is the police investigation to be lengthy",
                                      "yes or no - do we need a strategy meeting",
                                      "what will the police do again after the first interview"])
def test_process_questions_worded_like_verdicts_raise_no_caution(question: str) -> None:
    assert "What the protocol cautions:" not in answer_question(question, None).text


def test_i_dont_understand_gets_a_way_forward_not_a_paragraph() -> None:
    reply = answer_question("I don't understand", None)
    assert reply.text.startswith("Sorry this isn't helping") and reply.citations == []


@pytest.mark.parametrize("question", ["dad is Gareth, do we need to interview the kids",
                                      "we are in Caernarfon, do we need to interview the kids"])
def test_a_person_or_place_named_where_one_is_introduced_is_not_weighed_as_the_subject(question: str) -> None:
    decision = retriever().search(question)
    assert decision.outcome.value in ("answer", "unsure") and decision.unit_ids[0] == "11.0"


def test_an_organisation_the_protocol_does_not_cover_still_counts() -> None:
    assert retriever().search("Is Ofsted involved in the strategy meeting").outcome.value == "out_of_scope"


@pytest.mark.parametrize("question, unit", [
    ("Sian in Rhyl says her and Dylan's sex life is fine and won't say more. Is that enough?", "10.12"),
    ("Megan from Conwy wants Gethin home now, what needs to be in place before the family is reunited", "3.6"),
])
def test_people_named_by_what_follows_them_are_not_weighed_as_the_subject(question: str, unit: str) -> None:
    decision = retriever().search(question)
    assert decision.outcome.value in ("answer", "unsure") and decision.unit_ids[0] == unit


@pytest.mark.parametrize("question, unit", [
    ("Sian, 34, was tearful at the first visit but agreed to everything. Is that first reaction a guide to "
     "whether she'll protect?", "10.4"),
    ("kids Mia (4) and Tom (7) - do they get interviewed", "11.0"),
    ("the kids are Ffion 6 and Osian 9, do we need to interview them", "11.0"),
    ("mum Kelly keeps saying she believes him, what does that tell me", "10.2"),   # "Kelly": an English word too
    ("family live in Mold, does he hav to leave the house while we assess?", "3.5"),  # "Mold" too; "hav"
])
def test_people_named_with_their_age_and_places_are_not_weighed_as_the_subject(question: str, unit: str) -> None:
    decision = retriever().search(question)
    assert decision.outcome.value in ("answer", "unsure") and decision.unit_ids[0] == unit


def test_a_hyphenated_word_whose_parts_the_protocol_uses_is_not_a_strange_word() -> None:
    query = retriever().query("she keeps saying it was all pop-ups, why is she reacting like that")
    assert "popups" not in query.weights
    assert retriever().search("she keeps saying it was all pop-ups, why is she reacting like that").unit_ids[0] == "10.2"


@pytest.mark.parametrize("question", ["Is Ofsted involved in the strategy meeting", "Ofsted and the school want an update"])
def test_an_organisation_the_protocol_does_not_cover_is_not_taken_for_a_person(question: str) -> None:
    assert retriever().search(question).outcome.value not in ("answer", "unsure")


def test_text_speak_questions_and_with() -> None:
    assert retriever().search("which perp qs can be crosschecked w the partner").unit_ids[0] == "12.2"


def test_a_name_in_a_question_is_asked_to_be_left_out() -> None:
    assert "looks like it has a name" in answer_question("dad is Gareth, do we need to interview the kids", None).text
    assert "personal details" not in answer_question("who should attend the strategy meeting", None).text


def test_words_only_in_the_telling_of_a_situation_weigh_less_than_the_words_asked_with() -> None:
    told_then_asked = retriever().query("dad was arrested at work yesterday. who should attend the strategy meeting?")
    one_sentence = retriever().query("dad was arrested at work yesterday, who should attend the strategy meeting")
    assert told_then_asked.weights["arrest"] < one_sentence.weights["arrest"]
    assert told_then_asked.weights["attend"] == one_sentence.weights["attend"]


def test_a_place_of_short_and_several_words_is_set_aside_keeping_the_clauses_apart() -> None:
    kept = retriever().without_names("they live at Ty Gwyn, Llanrug, who goes to the strategy meeting")
    assert "Gwyn" not in kept and "Llanrug" not in kept and "Ty" not in kept
    assert kept.count(",") == 2


@pytest.mark.parametrize("question, unit", [
    ("what do we tell Mia about why dad has left", "11.1"),        # a child named after "tell"
    ("do we tell the kids? Mia is 6 and Alfie is 9", "11.1"),      # a name told by "is <age>"
    ("the family live at Tŷ Gwyn, Llanrwst - who chairs core group", "6.3"),  # Welsh letters
])
def test_children_and_homes_named_are_not_weighed_as_the_subject(question: str, unit: str) -> None:
    decision = retriever().search(question)
    assert decision.outcome.value == "answer" and decision.unit_ids[0] == unit


def test_the_protocols_own_words_in_another_form_are_not_taken_for_names() -> None:
    assert retriever().without_names("should we tell Children's Services").split() == [
        "should", "we", "tell", "Children's", "Services"]


def test_how_long_a_document_should_be_asks_its_length_not_a_time() -> None:
    """Re-trial: "how long should the chronology be?" was declined as a timescale question."""
    chronology = answer_question("how long should the chronology be?", None)
    assert chronology.citations[:1] == ["appendix-7/part-8"] and "succinct" in chronology.text
    assert "a timescale" not in answer_question("how long should the report be", None).text
    assert retriever().search("how long does the police investigation take").unit_ids[0] == "3.3"
