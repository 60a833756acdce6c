"""What the tour shows at a stop: the protocol's own words (each cited unit's opening sentences or
the start of its list), the cautions that belong there, and what the conversion lost there."""
from __future__ import annotations

import re

from knowledge import KnowledgeBase, Unit
from knowledge.induction import Stop, Tour

STOP_CHARS = 600       # the protocol's words shown at a stop, shared between its units
MIN_UNIT_CHARS = 120
LIST_START = 3         # list points shown from the start of a list
BULLET = re.compile(r"^(?:[-•❖]\s*)+")
NUMBERED = re.compile(r"^(?:\d{1,2}|[a-z])\.\s")
SENTENCE_END = re.compile(r"(?<=[.?!])(?<!\bal\.)(?<!e\.g\.)(?<!i\.e\.)(?<!N\.B\.)\s+(?=[A-Z\"“])")


def tidy(line: str) -> str:
    """Markdown out, words kept: emphasis, link targets and escapes."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("\\", "").replace("**", "")
    return re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", line).strip()


def lines_of(unit: Unit) -> list[tuple[str, bool]]:
    """(line, is a list point) for each line of the unit, without heading lines repeating its title."""
    out: list[tuple[str, bool]] = []
    for raw in unit.text.splitlines():
        line = tidy(raw)
        if BULLET.match(line):
            out.append(("- " + BULLET.sub("", line), True))
        elif line:  # "1. ..." is a list point only after a lead-in or another point
            after_lead = bool(out) and (out[-1][1] or out[-1][0].endswith(":"))
            out.append((line, bool(NUMBERED.match(line)) and after_lead))
    while unit.kind != "paragraph" and out and not out[0][1] and _repeats_title(out[0][0], unit):
        out = out[1:]
    return out


def _repeats_title(line: str, unit: Unit) -> bool:
    """"Appendix 5 – Messages from Research – A note of caution", "1. Details of Offender", and a
    line that is only the appendix's own number ("Appendix 7", over "ASSESSMENT OF INTERNET OFFENDERS")."""
    fold = lambda text: re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()  # noqa: E731
    own = re.fullmatch(r"appendix-(\d+)(?:/.*)?", unit.id)
    if own and fold(line) == f"appendix {own.group(1)}":
        return True
    bare = re.sub(r"^(?:appendix \d+ |\d+ )", "", fold(line))
    title = re.sub(r"^part \d+ ", "", fold(unit.title))
    return len(line) < 130 and bool(bare) and (bare in title or title in bare)


def passage(unit: Unit, budget: int) -> tuple[str, int]:
    """The unit's opening words within about `budget` characters ("…" where more follows), and
    how many points of a list were left out. A list's lead-in is shown with its first points."""
    lines = lines_of(unit)
    shown: list[str] = []
    length = points = 0
    for number, (line, point) in enumerate(lines):
        if point:
            if points == LIST_START or (points and length + len(line) > budget):
                left_out = next((i for i, (_, p) in enumerate(lines[number:]) if not p), len(lines) - number)
                return "\n".join([*shown, "…"]), left_out
            shown.append(line)
            points += 1
            length += len(line)
            continue
        if points:  # a list was shown: stop where it ends
            return "\n".join([*shown, "…"]), 0
        sentences = SENTENCE_END.split(line)
        kept: list[str] = []
        for sentence in sentences:
            if (shown or kept) and length + len(sentence) > budget:
                break
            kept.append(sentence)
            length += len(sentence)
        if not kept:
            return "\n".join([*shown, "…"]), 0
        shown.append(" ".join(kept) + (" …" if len(kept) < len(sentences) else ""))
        if len(kept) < len(sentences):
            return "\n".join(shown), 0
    return "\n".join(shown), 0


def stop_text(kb: KnowledgeBase, tour: Tour, index: int) -> str:
    stop = tour.stops[index]
    budget = max(MIN_UNIT_CHARS, STOP_CHARS // len(stop.cites))
    parts = [f"Induction — stop {index + 1} of {len(tour.stops)}: {stop.heading}"]
    if stop.point is not None:  # what the stop is for, first (Appendix 1 itself opens with its source)
        point = "\n".join(tidy(line) for line in stop.point.quote.splitlines())
        parts.append(f"{stop.point.lead} ({_where(kb, [stop.point.cite])}):\n“{point}”")
    for unit_id in stop.cites:
        unit = kb.units[unit_id]
        words, left_out = passage(unit, budget)
        more = (f" ({left_out} more point{'s' if left_out > 1 else ''}: “tell me more” shows "
                f"{'them' if left_out > 1 else 'it'})" if left_out else "")
        parts.append(f"{unit.label}:\n“{words}”{more}" if words else unit.label)
    for caution in tour.cautions_at(stop.id):
        said = f"“{caution.text}”" if caution.is_quote else caution.text
        parts.append(f"⚠ Don't miss this ({_where(kb, caution.cites)}): {said}")
    shown_losses = {c.id for c in tour.cautions if not c.is_quote}
    for loss in kb.losses:
        if loss.cites[0] in stop.cites and loss.id not in shown_losses:
            parts.append(f"Note: {' '.join(loss.says.split())}")
    return "\n\n".join(parts)


def stop_citations(kb: KnowledgeBase, tour: Tour, index: int) -> list[str]:
    stop = tour.stops[index]
    cited = list(stop.cites) + ([stop.point.cite] if stop.point is not None else [])
    for caution in tour.cautions_at(stop.id):
        cited += caution.cites
    return list(dict.fromkeys(cited))


def full_text(kb: KnowledgeBase, stop: Stop) -> str:
    """"Tell me more": every unit of the stop, in full."""
    texts = []
    for unit_id in stop.cites:
        unit = kb.units[unit_id]
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(tidy(line) for line in unit.text.splitlines()))
        texts.append(f"{unit.label}, in full:\n{body}")
    return "\n\n".join(texts)


def _where(kb: KnowledgeBase, cites: list[str]) -> str:
    unit = kb.units[cites[0]]
    return unit.id if unit.kind in ("paragraph", "section") else unit.label
