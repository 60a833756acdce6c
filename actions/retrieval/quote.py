"""Which of a unit's sentences and bullets to quote for a question (the protocol's own words)."""
from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_END = re.compile(r"(?<=[.;?!])\s+(?=[A-Z\"'(])")
WHOLE_UNIT_CHARS = 600     # shorter units are quoted whole
LIST_CHARS = 1400          # a list asked about as a whole is quoted whole up to this length
LISTS_UNIT_CHARS = 1600    # a question asking for a list gets every list of a unit up to this length
# "1. Child Protection concerns are substantiated ...": a list item (not a heading: "1. Introduction")
NUMBERED = re.compile(r"^\d{1,2}\.\s+(?:\S+\s+){4,}")
QUOTE_CHARS = 750
MAX_SEGMENTS = 5


@dataclass(frozen=True)
class Segment:
    text: str
    bullet: bool
    intro: bool         # a list's lead-in (followed by bullets)
    terms: frozenset[str]


def tidy(text: str) -> str:
    text = text.replace("**", "").replace("❖ ", "").replace("❖", "")
    return re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)


def split(text: str, title: str = "") -> list[tuple[str, bool]]:
    """(segment, is_bullet) for each sentence or bullet, without a first line repeating the title."""
    out: list[tuple[str, bool]] = []
    lines = [line.strip() for line in tidy(text).splitlines() if line.strip()]
    if len(lines) > 1 and title and _same_heading(lines[0], title):
        lines = lines[1:]  # (a blank form part's heading is all it has: keep it)
    for line in lines:
        bullet = line.startswith("- ") or bool(NUMBERED.match(line))
        if bullet or len(line) < 220:
            out.append((line, bullet))
        else:
            out.extend((sentence.strip(), False) for sentence in SENTENCE_END.split(line) if sentence.strip())
    return out


def _same_heading(line: str, title: str) -> bool:
    fold = lambda text: re.sub(r"[^a-z]+", " ", text.lower()).strip()  # noqa: E731
    line, title = fold(re.sub(r"^\d+\.\s*", "", line)), fold(re.sub(r"^Part \d+ – ", "", title))
    # A repeated heading is short; a sentence that merely begins with the title's words is content
    # ("The first interview should be focused on ..." under the title "The first interview").
    heading_sized = len(line) <= len(title) + 15
    return bool(line) and heading_sized and (line == title or line.startswith(title) or title.startswith(line))


def mark_intros(segments: list[tuple[str, bool]]) -> list[bool]:
    return [not bullet and index + 1 < len(segments) and segments[index + 1][1]
            for index, (_, bullet) in enumerate(segments)]


def select(segments: list[Segment], query_weights: dict[str, float], wants_list: bool = False) -> list[int | None]:
    """Indexes of segments to quote in document order; None marks an elision (…). Empty when the
    unit is long and nothing in it matches the question. wants_list: the question asks for a list
    ("s47 outcomes?", "risk factors in the couple relationship"): a unit of lists is quoted whole."""
    if not segments:
        return []
    length = sum(len(segment.text) for segment in segments)
    if length <= WHOLE_UNIT_CHARS or (wants_list and length <= LISTS_UNIT_CHARS
                                      and any(segment.bullet for segment in segments)):
        return list(range(len(segments)))
    scores = [sum(weight for term, weight in query_weights.items() if term in segment.terms)
              for segment in segments]
    best = max(range(len(segments)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        return []
    chosen = {best}
    intro = best if segments[best].intro else _intro_before(segments, best)
    if intro is not None:
        chosen.add(intro)
        bullets = _following_bullets(segments, intro)
        whole_list = sum(len(segments[i].text) for i in bullets) <= LIST_CHARS
        if whole_list and scores[intro] >= 0.5 * scores[best]:  # the list itself is asked about
            chosen.update(bullets)
            return _in_order(chosen, len(segments), limit=None)
        if best == intro and bullets:  # a long list: its best-matching items, else its first few
            matching = sorted((i for i in bullets if scores[i] > 0), key=lambda i: -scores[i])
            chosen.update(matching[:MAX_SEGMENTS - 1] or bullets[:3])
            return _in_order(chosen, len(segments), limit=QUOTE_CHARS, keep=best, segments=segments)
    elif best + 1 < len(segments) and not segments[best + 1].bullet and len(segments[best].text) < 120:
        chosen.add(best + 1)
    threshold = scores[best] * 0.6
    for index in sorted(range(len(segments)), key=lambda i: -scores[i]):
        if len(chosen) >= MAX_SEGMENTS or scores[index] < threshold:
            break
        chosen.add(index)
        if segments[index].bullet:
            lead = _intro_before(segments, index)
            if lead is not None:
                chosen.add(lead)
    for lead in [i for i in chosen if segments[i].intro]:  # a lead-in shown with none of its list
        bullets = _following_bullets(segments, lead)
        if bullets and not chosen.intersection(bullets):
            matching = sorted((i for i in bullets if scores[i] > 0), key=lambda i: -scores[i])
            chosen.update(matching[:3] or bullets[:2])
    return _in_order(chosen, len(segments), limit=QUOTE_CHARS, keep=best, segments=segments)


def _in_order(chosen: set[int], count: int, limit: int | None, keep: int | None = None,
              segments: list[Segment] | None = None) -> list[int | None]:
    ordered: list[int | None] = []
    length = 0
    for index in sorted(chosen):
        if limit is not None and segments is not None:
            length += len(segments[index].text)
            if length > limit and ordered and index != keep:
                continue
        if ordered and ordered[-1] is not None and index != ordered[-1] + 1:
            ordered.append(None)
        ordered.append(index)
    if ordered and ordered[0] != 0:
        ordered.insert(0, None)
    if ordered and ordered[-1] is not None and ordered[-1] < count - 1:
        ordered.append(None)
    return ordered


def _following_bullets(segments: list[Segment], start: int) -> list[int]:
    bullets = []
    for index in range(start + 1, len(segments)):
        if not segments[index].bullet:
            break
        bullets.append(index)
    return bullets


def _intro_before(segments: list[Segment], index: int) -> int | None:
    if not segments[index].bullet:
        return None
    for back in range(index - 1, -1, -1):
        if not segments[back].bullet:
            return back if segments[back].intro else None
    return None


def render(segments: list[Segment], chosen: list[int | None]) -> str:
    return "\n".join("…" if index is None else segments[index].text for index in chosen)
