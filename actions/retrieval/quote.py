"""Which of a unit's sentences and bullets to quote for a question (the protocol's own words)."""
from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"(?<=[.;?!])\s+(?=[A-Z\"'(])")
WHOLE_UNIT_CHARS = 520
QUOTE_CHARS = 750
MAX_SEGMENTS = 5


@dataclass(frozen=True)
class Segment:
    text: str
    bullet: bool
    intro: bool         # ends with ":" (a list's lead-in)
    paragraph: int      # which blank-line separated block it came from
    terms: frozenset[str]


def tidy(text: str) -> str:
    text = text.replace("**", "").replace("❖ ", "").replace("❖", "")
    return re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)


def split(text: str) -> list[tuple[str, bool, int]]:
    """(segment, is_bullet, block number) for each sentence or bullet of a unit's text."""
    out: list[tuple[str, bool, int]] = []
    block = 0
    for line in tidy(text).splitlines():
        stripped = line.strip()
        if not stripped:
            block += 1
            continue
        bullet = stripped.startswith("- ")
        if bullet or len(stripped) < 220:
            out.append((stripped, bullet, block))
            continue
        out.extend((sentence.strip(), False, block) for sentence in SENTENCE_END.split(stripped)
                   if sentence.strip())
    return out


def select(segments: list[Segment], query_weights: dict[str, float], text_length: int) -> list[int | None]:
    """Indexes of segments to quote in document order; None marks an elision (…)."""
    if text_length <= WHOLE_UNIT_CHARS or not segments:
        return list(range(len(segments)))
    scores = [sum(weight for term, weight in query_weights.items() if term in segment.terms)
              for segment in segments]
    best = max(range(len(segments)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        best = 0
    chosen = {best}
    if segments[best].intro:  # a list's lead-in: quote the list that follows
        chosen.update(_following_bullets(segments, best))
    elif segments[best].bullet:
        intro = _intro_before(segments, best)
        if intro is not None:
            chosen.add(intro)
    elif best == 0 and len(segments) > 1 and not segments[1].bullet:
        chosen.add(1)
    threshold = max(scores[best] * 0.6, 1e-9)
    for index in sorted(range(len(segments)), key=lambda i: -scores[i]):
        if len(chosen) >= MAX_SEGMENTS or scores[index] < threshold:
            break
        chosen.add(index)
    ordered: list[int | None] = []
    length = 0
    for index in sorted(chosen):
        length += len(segments[index].text)
        if length > QUOTE_CHARS and ordered and index != best:
            break
        if ordered and ordered[-1] is not None and index != ordered[-1] + 1:
            ordered.append(None)
        ordered.append(index)
    if ordered and ordered[-1] is not None and ordered[-1] < len(segments) - 1:
        ordered.append(None)
    if ordered and ordered[0] not in (0, None):
        ordered.insert(0, None)
    return ordered


def _following_bullets(segments: list[Segment], start: int) -> list[int]:
    bullets = []
    for index in range(start + 1, len(segments)):
        if not segments[index].bullet:
            break
        bullets.append(index)
    return bullets


def _intro_before(segments: list[Segment], index: int) -> int | None:
    for back in range(index - 1, -1, -1):
        if not segments[back].bullet:
            return back if segments[back].intro else None
    return None


def render(segments: list[Segment], chosen: list[int | None]) -> str:
    lines = ["…" if index is None else segments[index].text for index in chosen]
    return "\n".join(lines)
