"""The protocol viewer: every unit at its own address, an index in document order, the glossary,
the version and review date on every page, and what the conversion lost where it matters."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

import knowledge

EVERY_KIND_OF_PAGE = ["/protocol", "/protocol/3.4", "/chat", "/cases", "/process", "/login", "/accessibility"]


def test_every_unit_has_its_own_page(demo: FlaskClient) -> None:
    kb = knowledge.load()
    for unit_id, unit in kb.units.items():
        response = demo.get(f"/protocol/{unit_id}")
        assert response.status_code == 200, unit_id
        assert f"<h1>{unit.label}</h1>".replace("'", "&#39;") in response.get_data(as_text=True)


def test_index_lists_units_in_document_order(demo: FlaskClient) -> None:
    html = demo.get("/protocol").get_data(as_text=True)
    linked = re.findall(r'href="/protocol/([^"#]+)"', html.split('aria-label="Protocol contents"')[1])
    assert linked == knowledge.load().unit_order


def test_unit_text_is_rendered_safely(demo: FlaskClient) -> None:
    html = demo.get("/protocol/appendix-1/siblings").get_data(as_text=True)
    assert "<li>Have no adult whom they trust;</li>" in html
    assert "&#39;naughty&#39;" in html
    assert "<strong>Significant Harm</strong>" in demo.get("/protocol/3.4").get_data(as_text=True)


def test_unknown_unit_is_404(demo: FlaskClient) -> None:
    assert demo.get("/protocol/99.9").status_code == 404


def test_glossary(demo: FlaskClient) -> None:
    html = demo.get("/protocol/glossary").get_data(as_text=True)
    assert 'id="oasys"' in html and "OASys" in html
    assert 'href="/protocol/appendix-4"' in html


@pytest.mark.parametrize("path", EVERY_KIND_OF_PAGE)
def test_version_and_review_date_on_every_page(demo: FlaskClient, path: str) -> None:
    meta = knowledge.load().meta
    html = demo.get(path, follow_redirects=True).get_data(as_text=True)
    assert f"version {meta.version} ({meta.issued})" in html
    assert f"Its review date ({meta.review_date}) has passed" in html


@pytest.mark.parametrize("unit_id,loss", [("12.2", "cross-check-marks-lost"), ("14.0", "process-maps-lost"),
                                          ("3.13", "civil-orders-link-truncated")])
def test_losses_are_shown_where_relevant(demo: FlaskClient, unit_id: str, loss: str) -> None:
    says = next(item.says for item in knowledge.load().losses if item.id == loss)
    html = demo.get(f"/protocol/{unit_id}").get_data(as_text=True)
    assert "Lost or out of date in this version" in html
    assert says.replace('"', "&#34;").replace("'", "&#39;")[:80] in html


def test_section_14_links_to_the_rebuilt_process_map(demo: FlaskClient) -> None:
    assert 'href="/process"' in demo.get("/protocol/14.0").get_data(as_text=True).split("<main")[1]


def test_lost_links_are_not_links(demo: FlaskClient) -> None:
    html = demo.get("/protocol/related-documents").get_data(as_text=True)
    assert 'href="#"' not in html and "link lost in conversion" in html
