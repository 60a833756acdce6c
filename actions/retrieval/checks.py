"""Answer-type checks: a "how long" / "how many" / "how often" / "what age" / "how much does it cost" /
"how long should the chronology be" question needs a unit that gives a time, a number, a frequency,
an age, a cost or a length; the best match without one means the protocol does not say."""
from __future__ import annotations

import re

# "how long should the chronology be": a document's length, not a time
LONG_DOCUMENT = (r"(?:should|does|do|must|can|is|will|would) (?:the|a|an|my|our|this|it|each)\s+(?:\w+\s+)?"
                 r"(?:chronology|report|summary|letter|statement|write-?up|section|analysis|form|assessment report|plan)"
                 r"s?\s+")
LENGTH_QUESTION = re.compile(rf"\bhow long {LONG_DOCUMENT}(?:be|go back|need to be)\b|\bhow many (?:pages|words)\b|"
                             r"\bword (?:count|limit)\b|\bpage limit\b")
LENGTH_ANSWER = re.compile(r"\b(?:pages?|words|length|brief|concise|short|succinct)\b", re.IGNORECASE)
DURATION_QUESTION = re.compile(rf"\bhow (?:long(?! {LONG_DOCUMENT}(?:be|need to be)\b)|soon|quickly)\b|"
                               r"\bhow many (?:working )?(?:days|weeks|months|years|hours)\b|\bwithin how\b|\bby when\b|\bwhat timescale|\bwhat(?:'s|s| is| are) the timescales?\b|"
                               r"\bdeadline\b|\btime ?limit\b")
DURATION_ANSWER = re.compile(r"\b(?:\d+\s*(?:working\s+)?(?:days?|weeks?|months?|years?)|day of referral|months|"
                             r"lengthy|timescales?|early stage|as soon as possible|immediate|take time|long run|"
                             r"time)\b", re.IGNORECASE)
COUNT_QUESTION = re.compile(r"\bhow many\b(?! (?:working )?(?:days|weeks|months|years|hours|times)\b)")
COUNT_ANSWER = re.compile(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                          r"several|number of|many)\b", re.IGNORECASE)
FREQUENCY_QUESTION = re.compile(r"\bhow (?:often|frequently)\b|\bhow many times\b|\bfrequency\b")
FREQUENCY_ANSWER = re.compile(r"\b(?:every|weekly|monthly|fortnightly|frequen\w*|times a)\b", re.IGNORECASE)
AGE_QUESTION = re.compile(r"\b(?:what|which|from what|at what|minimum|min) age\b|\bhow old\b|\bage limit\b")
AGE_ANSWER = re.compile(r"\b(?:\d+\s*(?:years?|yrs?)(?:\s*-?\s*old)?|aged?\s+\d+|under\s+\d+|over\s+\d+|"
                        r"teenage\w*|babies|infants?|adolescen\w*)\b", re.IGNORECASE)
COST_QUESTION = re.compile(r"\bhow much (?:does|do|will|would|is|are)\b.*\b(?:cost|charge|pay)\b|\bcost of\b|\bwho pays\b|"
                           r"\b(?:fees?|price|budget)\b")
COST_ANSWER = re.compile(r"\b(?:cost\w*|fund\w*|pay\w*|fees?|budget\w*|£\s*\d+)\b", re.IGNORECASE)
FORM_PART_NUMBER = re.compile(r"^\d+\.\s")

CHECKS = (("length", LENGTH_QUESTION, LENGTH_ANSWER), ("timescale", DURATION_QUESTION, DURATION_ANSWER),
          ("count", COUNT_QUESTION, COUNT_ANSWER), ("frequency", FREQUENCY_QUESTION, FREQUENCY_ANSWER),
          ("age", AGE_QUESTION, AGE_ANSWER), ("cost", COST_QUESTION, COST_ANSWER))


def unanswered_kind(question: str, unit_text: str) -> str | None:
    """"length", "timescale", "count", "frequency", "age" or "cost" when the question asks for one the unit
    does not give."""
    text = FORM_PART_NUMBER.sub("", unit_text)  # Appendix 7's "10. Criminal Convictions" is no count
    for kind, asks, gives in CHECKS:
        if asks.search(question) and not gives.search(text):
            return kind
    return None
