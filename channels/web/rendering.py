"""The protocol's unit text (plain text with a little Markdown: bullets, **bold**, *italic*,
[links](...), `a | b` form rows) as safe HTML. Everything is escaped first."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
LINK = re.compile(r"\[(.+?)\]\(([^)\s]*)\)")
MARKDOWN_ESCAPE = re.compile(r"\\([()\[\]*_\\-])")


def _inline(text: str) -> str:
    """Escaped text with bold, italic and links; links whose address did not survive the
    conversion ("#" or truncated with "...") are shown as plain text."""
    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        if url.startswith("https://") and "..." not in url:
            return f'<a href="{url}" rel="noopener noreferrer">{label}</a>'
        return f'{label} <span class="lost">(link lost in conversion)</span>'

    html = str(escape(text))
    html = LINK.sub(link, html)
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    return MARKDOWN_ESCAPE.sub(r"\1", html)


def _kind(line: str) -> str:
    if line.lstrip().startswith("- "):
        return "bullet"
    return "row" if " | " in line else "text"


def _list(lines: list[str]) -> str:
    items = "".join(f"<li>{_inline(line.lstrip()[2:].lstrip('❖ '))}</li>" for line in lines)
    return f"<ul>{items}</ul>"


def _table(lines: list[str]) -> str:
    rows = [[_inline(cell.strip()) for cell in line.split("|")] for line in lines]
    if len(rows) == 1:  # a form's column headings with no rows under them
        return f'<p class="form-fields">Fields on the form: {", ".join(rows[0])}</p>'
    head = "".join(f'<th scope="col">{cell}</th>' for cell in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f'<table class="form-fields"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _block(lines: list[str]) -> str:
    """Consecutive bullets become a list, consecutive `a | b` rows a table, other lines paragraphs."""
    out: list[str] = []
    run: list[str] = []
    for index, line in enumerate(lines):
        run.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else None
        kind = _kind(line)
        if following is not None and kind != "text" and _kind(following) == kind:
            continue
        out.append(_list(run) if kind == "bullet" else _table(run) if kind == "row"
                   else f"<p>{_inline(line)}</p>")
        run = []
    return "".join(out)


def unit_html(text: str) -> Markup:
    blocks, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return Markup("".join(_block(block) for block in blocks))
