"""Command intents act only on text that names the command; other text is answered as a question."""
from __future__ import annotations

import glob
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from actions.commands import GATES, says_command

ROOT = Path(__file__).resolve().parents[1]


def nlu_examples() -> dict[str, list[str]]:
    examples: dict[str, list[str]] = defaultdict(list)
    for path in glob.glob(str(ROOT / "bot" / "data" / "nlu" / "**" / "*.yml"), recursive=True):
        for item in (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item:
                examples[item["intent"]] += [line.strip()[2:] for line in item["examples"].splitlines()
                                             if line.strip().startswith("- ")]
    return examples


@pytest.mark.parametrize("intent", sorted(GATES))
def test_every_training_example_of_a_command_passes_its_gate(intent: str) -> None:
    examples = nlu_examples()[intent]
    assert examples, f"no NLU examples for {intent}"
    refused = [text for text in examples if not says_command(intent, text)]
    assert not refused, f"{intent}: the gate refuses its own examples {refused}"


@pytest.mark.parametrize("intent, text", [
    ("induction_next", "when is the next fire drill"),
    ("my_progress", "who scored for wales last night"),
    ("my_progress", "how do i claim back my train fare"),
    ("help", "can you help me write a court statement"),
    ("start_checklist", "key messages for the analysis of future risk"),
    ("start_induction", "is there a canteen on the ground floor"),
    ("open_case", "what happens to the case if he is acquitted"),
    ("quiz_answer", "has research found that a man who views images will go on to touch a child"),
    ("strategy_meeting_items", "who goes to the strat"),   # who attends (3.2): re-trial got "Which case?"
])
def test_a_command_intent_on_text_that_names_no_command_is_refused(intent: str, text: str) -> None:
    assert not says_command(intent, text)


def test_a_longer_question_about_the_assistant_itself_is_help() -> None:
    assert says_command("help", "hiya, new to this team - what is this bot for?")


def test_button_payloads_and_ungated_intents_pass() -> None:
    assert says_command("start_quiz", "/start_quiz")
    assert says_command("ask_protocol", "anything at all")
    assert says_command(None, "")
