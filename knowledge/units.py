"""Derive the protocol's citation units from the source text (ids: docs/KNOWLEDGE_SCHEMA.md).

Numbered paragraphs are found by their numbers inside each section; front sections, section
headings and appendix parts by the heading table in data/segments.yml, searched in document
order; Appendix 7's parts by their part numbers. A unit runs from its start line to the next
unit or heading. Unit text keeps the source's words: only the paragraph number, list-marker
indentation, empty table rows/pipes and surplus blank lines (including the page breaks the
conversion left inside sentences and lists) are dropped.
"""
from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Tuple

from pydantic import ValidationError

from knowledge.model import KnowledgeError, Strict, StrictStr, Unit

SEGMENTS_FILE = "data/segments.yml"
APPENDIX_7_PARTS = 18

PARAGRAPH_START = re.compile(r"^\s*(?:-\s+)?(?P<section>\d{1,2})\.(?P<sub>\d{1,2})(?:\.\*\*|\.)?\s+\S")
PARAGRAPH_NUMBER = re.compile(r"^\s*(?:-\s+)?\d{1,2}\.\d{1,2}(?:\.\*\*|\.)?\s*")
NUMBERED_PART = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<title>\S.*)$")
BULLET = re.compile(r"^\s*[-*]\s+")
PAGE_BREAK_CONTINUATION = re.compile(r"^(?![a-z]\.\s)[a-z]")  # "a. ..." starts a lettered list
TABLE_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
QUOTES_AND_DASHES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class Heading(Strict):
    id: StrictStr
    title: StrictStr
    heading: Optional[StrictStr] = None
    starts: Optional[StrictStr] = None


class AppendixHeading(Heading):
    trailer: Optional[StrictStr] = None
    parts: List[Heading] = []


class Segments(Strict):
    front: List[Heading]
    front_end: StrictStr
    sections: List[Heading]
    paragraph_titles: Dict[StrictStr, StrictStr]
    appendices: List[AppendixHeading]


class Start(NamedTuple):
    """A line where a unit (or an unnamed stretch, unit_id None) begins."""
    line: int                 # 0-based index into the source lines
    unit_id: Optional[str]
    fields: dict              # title, section_title, section, kind, parent


def normalise(text: str) -> str:
    """Fold text for comparison: case, whitespace, markdown emphasis, bullets, table pipes, quotes."""
    lines = [" ".join(cells) if (cells := _table_cells(line)) is not None else line
             for line in text.translate(QUOTES_AND_DASHES).splitlines()]
    text = re.sub(r"(?m)^\s*(?:[-*•❖]\s+)+", " ", "\n".join(lines))
    text = text.replace("❖", " ").replace("*", "").replace("|", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _clean(line: str) -> str:
    return line.replace("**", "").strip()


def _table_cells(line: str) -> Optional[List[str]]:
    """The non-empty cells of a markdown table row, or None if the line is not a table row."""
    if not line.lstrip().startswith("|"):
        return None
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return [cell for cell in cells if cell and not TABLE_SEPARATOR_CELL.match(cell)]


def _render(lines: List[str], strip_number: bool) -> str:
    out: List[str] = []
    for index, line in enumerate(lines):
        if index == 0 and strip_number:
            line = PARAGRAPH_NUMBER.sub("", line)
        cells = _table_cells(line)
        if cells == []:
            continue  # empty or separator table row
        if cells is not None:
            line = " | ".join(cells)
        elif BULLET.match(line):
            line = BULLET.sub("- ", line)
        line = line.rstrip()
        if len(out) >= 2 and not out[-1] and out[-2]:
            # Page breaks in the conversion left blank lines inside sentences and lists.
            if PAGE_BREAK_CONTINUATION.match(line):
                out[-2:] = [f"{out[-2]} {line}"]
                continue
            if BULLET.match(line) and BULLET.match(out[-2]):
                out[-1] = line
                continue
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


class _Finder:
    """Finds heading lines in document order; each search starts after the previous hit."""

    def __init__(self, lines: List[str]):
        self.lines = lines
        self.cursor = 0

    def find(self, heading: Heading) -> int:
        for index in range(self.cursor, len(self.lines)):
            line = _clean(self.lines[index])
            if (heading.heading is not None and line == heading.heading) or \
                    (heading.starts is not None and line.startswith(heading.starts)):
                self.cursor = index + 1
                return index
        wanted = heading.heading if heading.heading is not None else heading.starts
        raise KnowledgeError(f"{SEGMENTS_FILE}: {heading.id}: heading {wanted!r} not found in the "
                             f"source after line {self.cursor}")


def _segments(data: object) -> Segments:
    try:
        segments = Segments.parse_obj(data)
    except ValidationError as error:
        raise KnowledgeError(f"{SEGMENTS_FILE}: {error}") from None
    for heading in [*segments.front, *segments.sections, *segments.appendices,
                    *(part for appendix in segments.appendices for part in appendix.parts)]:
        if (heading.heading is None) == (heading.starts is None):
            raise KnowledgeError(f"{SEGMENTS_FILE}: {heading.id}: give exactly one of heading, starts")
    return segments


def _paragraph_starts(lines: List[str], section: Heading, begin: int, end: int,
                      titles: Dict[str, str]) -> List[Start]:
    number = section.id.split(".")[0]
    starts: List[Start] = []
    previous_sub = -1
    for index in range(begin, end):
        match = PARAGRAPH_START.match(lines[index])
        if not match or match["section"] != number:
            continue
        sub = int(match["sub"])
        unit_id = f"{number}.{sub}"
        if sub <= previous_sub:
            raise KnowledgeError(f"source line {index + 1}: paragraph {unit_id} out of order")
        previous_sub = sub
        starts.append(Start(index, unit_id, {
            "title": titles.get(unit_id, section.title), "section_title": section.title,
            "section": section.id, "kind": "paragraph", "parent": None}))
    return starts


def _appendix_7_parts(lines: List[str], begin: int, appendix: AppendixHeading) -> List[Start]:
    starts: List[Start] = []
    for index in range(begin, len(lines)):
        cells = _table_cells(lines[index])
        text = (cells[0] if cells else "") if cells is not None else _clean(lines[index])
        match = NUMBERED_PART.match(text)
        if match and int(match["number"]) == len(starts) + 1:
            number = len(starts) + 1
            starts.append(Start(index, f"{appendix.id}/part-{number}", {
                "title": f"Part {number} – {match['title']}", "section_title": appendix.title,
                "section": appendix.id, "kind": "appendix-part", "parent": appendix.id}))
    if len(starts) != APPENDIX_7_PARTS:
        raise KnowledgeError(f"source: {appendix.id}: found {len(starts)} numbered parts, "
                             f"expected {APPENDIX_7_PARTS}")
    return starts


def _starts(lines: List[str], segments: Segments) -> List[Start]:
    finder = _Finder(lines)
    starts: List[Start] = []
    for front in segments.front:
        starts.append(Start(finder.find(front), front.id, {
            "title": front.title, "section_title": front.title, "section": "front",
            "kind": "front", "parent": None}))
    starts.append(Start(finder.find(Heading(id="front_end", title="", heading=segments.front_end)),
                        None, {}))

    section_lines = [finder.find(section) for section in segments.sections]
    appendix_heads: List[Tuple[AppendixHeading, int]] = []
    later: List[Start] = []
    for appendix in segments.appendices:
        appendix_line = finder.find(appendix)
        appendix_heads.append((appendix, appendix_line))
        later.append(Start(appendix_line, appendix.id, {
            "title": appendix.title, "section_title": appendix.title, "section": appendix.id,
            "kind": "appendix", "parent": None}))
        for part in appendix.parts:
            later.append(Start(finder.find(part), f"{appendix.id}/{part.id}", {
                "title": part.title, "section_title": appendix.title, "section": appendix.id,
                "kind": "appendix-part", "parent": appendix.id}))
        if appendix.trailer:
            trailer = Heading(id=appendix.id, title="", heading=appendix.trailer)
            later.append(Start(finder.find(trailer), appendix.id, {}))  # continues the appendix
    body_end = appendix_heads[0][1] if appendix_heads else len(lines)

    for position, (section, line) in enumerate(zip(segments.sections, section_lines)):
        end = section_lines[position + 1] if position + 1 < len(section_lines) else body_end
        paragraphs = _paragraph_starts(lines, section, line + 1, end, segments.paragraph_titles)
        own_text_end = paragraphs[0].line if paragraphs else end
        has_own_text = any(line_text.strip() for line_text in lines[line + 1:own_text_end])
        starts.append(Start(line, section.id if has_own_text else None, {
            "title": section.title, "section_title": section.title, "section": section.id,
            "kind": "section", "parent": None}))
        starts.extend(paragraphs)

    if appendix_heads and appendix_heads[-1][0].id == "appendix-7":
        appendix, line = appendix_heads[-1]
        later.extend(_appendix_7_parts(lines, line + 1, appendix))
    return sorted(starts + later, key=lambda start: start.line)


def derive_units(source: str, segments_data: object) -> List[Unit]:
    """All citation units of the source text, in document order."""
    lines = source.splitlines()
    segments = _segments(segments_data)
    starts = _starts(lines, segments)
    spans: Dict[str, List[Tuple[int, int]]] = {}
    fields: Dict[str, dict] = {}
    for position, start in enumerate(starts):
        if start.unit_id is None:
            continue
        end = starts[position + 1].line if position + 1 < len(starts) else len(lines)
        if start.fields:
            if start.unit_id in fields:
                raise KnowledgeError(f"source line {start.line + 1}: unit {start.unit_id} found twice")
            fields[start.unit_id] = start.fields
        spans.setdefault(start.unit_id, []).append((start.line, end))

    unknown_titles = set(segments.paragraph_titles) - set(spans)
    if unknown_titles:
        raise KnowledgeError(f"{SEGMENTS_FILE}: paragraph_titles for paragraphs not in the source: "
                             f"{sorted(unknown_titles)}")
    units: List[Unit] = []
    for order, (unit_id, unit_spans) in enumerate(spans.items()):
        kind = fields[unit_id]["kind"]
        texts = [_render(lines[begin:end], strip_number=kind in ("paragraph", "section"))
                 for begin, end in unit_spans]
        line_ranges = tuple((begin + 1, _last_content_line(lines, begin, end)) for begin, end in unit_spans)
        units.append(Unit(id=unit_id, text="\n\n".join(text for text in texts if text),
                          order=order, spans=line_ranges, **fields[unit_id]))
    return units


def _last_content_line(lines: List[str], begin: int, end: int) -> int:
    for index in range(end - 1, begin - 1, -1):
        cells = _table_cells(lines[index])
        if (cells if cells is not None else lines[index].strip()):
            return index + 1
    return begin + 1
