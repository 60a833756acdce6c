"""Latency per message through Rasa's REST channel (Rasa server + action server + case store).

Each simulated practitioner is signed in as the seeded web user `demo` (a fresh signed claim per
message, as the web app sends), has a sender id of its own, opens cases of its own and works
through yes/no/not-known checklists (3.4, then 10.9) with a protocol question between answers.
Loops are bounded by a message count; every request has a timeout.
"""
from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests

from .stats import latency_summary, percentile

DEMO_USER = "demo"
CHECKLISTS = (("3.4", 9), ("10.9", 12))
ANSWERS = ("no", "yes", "not known")
QUESTION_EVERY = 3  # one protocol question after every 3 checklist answers
REQUEST_TIMEOUT_S = 60
BLOCK = 50  # the one-user run also reports p50 per block of this many messages (tracker growth)


def conversation(case_numbers: Iterator[int], questions: list[str]) -> Iterator[str]:
    """An endless, deterministic script of messages for one practitioner."""
    asked = itertools.cycle(questions)
    answers = itertools.cycle(ANSWERS)
    for number in case_numbers:
        reference = f"NW/2026/{number:04d}"
        yield f"open case {reference}"
        for checklist, items in CHECKLISTS:
            yield f"start the {checklist} check for {reference}"
            for item in range(1, items + 1):
                yield next(answers)
                if item % QUESTION_EVERY == 0:
                    yield next(asked)


@dataclass
class Practitioner:
    """One signed-in user talking over REST with keep-alive; collects per-message times."""

    rasa_url: str
    identity_secret: str
    sender: str = field(default_factory=lambda: f"bench-{uuid.uuid4().hex[:10]}")
    timings_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: int = 0
    recorded: int = 0  # replies saying an answer was recorded in the case store

    def say(self, http: requests.Session, message: str) -> None:
        from channels.identity import issue_claim

        body: dict[str, Any] = {"sender": self.sender, "message": message,
                                "metadata": {"identity": issue_claim(DEMO_USER, "web", secret=self.identity_secret)}}
        self.sent += 1
        started = time.perf_counter()
        try:
            response = http.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=REQUEST_TIMEOUT_S)
            replies = response.json()
            elapsed = (time.perf_counter() - started) * 1000
        except (requests.RequestException, ValueError) as error:
            self.errors.append(f"{message!r}: {error}")
            return
        self.timings_ms.append(elapsed)
        if response.status_code != 200 or not replies:
            self.errors.append(f"{message!r}: HTTP {response.status_code}, {len(replies)} replies")
        elif any("Recorded" in reply.get("text", "") for reply in replies):
            self.recorded += 1

    def talk(self, messages: Iterator[str], count: int) -> None:
        with requests.Session() as http:
            for message in itertools.islice(messages, count):
                self.say(http, message)


def one_user(rasa_url: str, identity_secret: str, questions: list[str], messages: int) -> dict[str, Any]:
    user = Practitioner(rasa_url, identity_secret)
    started = time.perf_counter()
    user.talk(conversation(itertools.count(100), questions), messages)
    blocks = [user.timings_ms[i:i + BLOCK] for i in range(0, len(user.timings_ms), BLOCK)]
    return _report([user], time.perf_counter() - started) | {
        "p50_per_block_ms": [round(percentile(block, 0.5), 1) for block in blocks], "block": BLOCK}


def concurrent_users(rasa_url: str, identity_secret: str, questions: list[str], users: int,
                     messages_each: int) -> dict[str, Any]:
    """`users` threads at once, each its own sender and cases (numbers 1000 + 100 * k on)."""
    people = [Practitioner(rasa_url, identity_secret) for _ in range(users)]
    rotated = [questions[k % len(questions):] + questions[:k % len(questions)] for k in range(users)]
    threads = [threading.Thread(target=person.talk, daemon=True,
                                args=(conversation(itertools.count(1000 + 100 * k), rotated[k]), messages_each))
               for k, person in enumerate(people)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=messages_each * REQUEST_TIMEOUT_S)
    return _report(people, time.perf_counter() - started)


def _report(people: list[Practitioner], seconds: float) -> dict[str, Any]:
    timings = [t for person in people for t in person.timings_ms]
    errors = [e for person in people for e in person.errors]
    return {
        "users": len(people),
        "messages": sum(person.sent for person in people),
        **(latency_summary(timings) if timings else {}),
        "throughput_msg_per_s": round(len(timings) / seconds, 1) if seconds else None,
        "answers_recorded": sum(person.recorded for person in people),
        "errors": len(errors),
        "first_errors": errors[:5],
    }
