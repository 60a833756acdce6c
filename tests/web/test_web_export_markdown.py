"""The Word exports show the protocol's Markdown as formatting, never as raw marks: Appendix 7
part 13's "**Cycle of Offending Tool**" is a bold run, and no "**" is left in any export."""
from __future__ import annotations

import io

import pytest
from docx import Document
from flask.testing import FlaskClient

from channels.web.exports.documents import add_protocol_text

CASE = "NW/2026/0012"


def download(client: FlaskClient, name: str) -> Document:
    response = client.get(f"/cases/{CASE}/export/{name}")
    assert response.status_code == 200
    return Document(io.BytesIO(response.data))


@pytest.mark.parametrize("name", ["appendix-7.docx", "strategy-meeting.docx"])
def test_no_raw_markdown_in_the_exports(demo: FlaskClient, name: str) -> None:
    doc = download(demo, name)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "**" not in text and "](" not in text


def test_the_cycle_of_offending_tool_is_bold(demo: FlaskClient) -> None:
    doc = download(demo, "appendix-7.docx")
    runs = [run for p in doc.paragraphs for run in p.runs if "Cycle of Offending Tool" in run.text]
    assert runs and runs[0].text.strip() == "Cycle of Offending Tool" and runs[0].bold


def test_protocol_text_runs() -> None:
    paragraph = Document().add_paragraph()
    add_protocol_text(paragraph, r"See **this** and *that*, [the guide](https://x.example) \(1\)",
                      italic=True)
    assert paragraph.text == "See this and that, the guide (1)"
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in paragraph.runs] == [
        ("See ", False, True), ("this", True, True), (" and ", False, True), ("that", False, True),
        (", the guide (1)", False, True)]
