"""The process map: an inline SVG laid out in Python from kb.process, each node linking to its
paragraph, with an ordered list of the steps as its text alternative."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

import knowledge
from channels.web.process_layout import layout


def test_layout_is_top_to_bottom_without_overlaps() -> None:
    process = knowledge.load().process
    drawn = layout(process)
    nodes = {n.id: n for n in drawn.nodes}
    assert set(nodes) == {s.id for s in process.steps}
    for edge in process.edges:  # every edge points down the page
        assert nodes[edge.to].y > nodes[edge.from_].bottom
    for a in drawn.nodes:
        for b in drawn.nodes:
            if a is not b and a.layer == b.layer:
                assert abs(a.x - b.x) >= (a.width + b.width) / 2, (a.id, b.id)
    for node in drawn.nodes:
        assert 0 <= node.x - node.width / 2 and node.x + node.width / 2 <= drawn.width
        assert node.bottom <= drawn.height


def test_page_draws_every_step_with_a_link_and_a_text_alternative(demo: FlaskClient) -> None:
    process = knowledge.load().process
    html = demo.get("/process").get_data(as_text=True)
    svg = html[html.index("<svg"):html.index("</svg>")]
    for step in process.steps:
        assert f'href="/protocol/{step.cites[0]}" class="node node--{step.kind}"' in svg
    assert svg.count("<polygon") == sum(s.kind == "decision" for s in process.steps)
    assert svg.count("<polyline") == len(process.edges)
    steps = html[html.index('id="process-steps"'):]
    listed = re.findall(r'<li id="step-([a-z0-9-]+)">', steps)
    assert sorted(listed) == sorted(s.id for s in process.steps)
    assert "Only their titles survive" in html  # says the section 14 diagrams were lost
