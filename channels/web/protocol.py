"""The protocol viewer: every citation unit at its own address, an index, the glossary."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Flask, abort, render_template

import knowledge
from knowledge.model import KnowledgeBase, Loss, Unit

from .rendering import unit_html

bp = Blueprint("protocol", __name__, url_prefix="/protocol")


def losses_for(kb: KnowledgeBase, unit_id: str) -> list[Loss]:
    return [loss for loss in kb.losses if unit_id in loss.cites]


def _sections(kb: KnowledgeBase) -> list[tuple[str, list[Unit]]]:
    """Units grouped under their section headings, in document order."""
    units = [kb.units[u] for u in kb.unit_order]
    return [(title, list(group)) for title, group in groupby(units, key=lambda u: _heading(u))]


def _heading(unit: Unit) -> str:
    if unit.kind == "front":
        return "Introduction"
    if unit.kind in ("appendix", "appendix-part"):
        appendix = unit.section.replace("appendix-", "Appendix ")
        parent_title = unit.section_title
        return f"{appendix} — {parent_title}"
    return f"{unit.section} — {unit.section_title}"


@bp.get("")
def index() -> str:
    kb = knowledge.load()
    return render_template("protocol_index.html", sections=_sections(kb))


@bp.get("/glossary")
def glossary() -> str:
    kb = knowledge.load()
    terms = sorted(kb.glossary.values(), key=lambda t: t.term.lower())
    return render_template("glossary.html", terms=terms, units=kb.units)


@bp.get("/<path:unit_id>")
def unit(unit_id: str) -> str:
    kb = knowledge.load()
    found = kb.units.get(unit_id)
    if found is None:
        abort(404)
    order = kb.unit_order
    position = order.index(unit_id)
    neighbours = {
        "previous": kb.units[order[position - 1]] if position > 0 else None,
        "next": kb.units[order[position + 1]] if position + 1 < len(order) else None,
    }
    checklists = [c for c in kb.checklists.values()
                  if unit_id in c.cites or any(unit_id in i.cites for i in c.items)]
    terms = [t for t in kb.glossary.values() if unit_id in t.cites]
    return render_template("protocol_unit.html", unit=found, body=unit_html(found.text),
                           heading=_heading(found), losses=losses_for(kb, unit_id),
                           checklists=checklists, terms=terms, units=kb.units, **neighbours)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
