"""Exports of one case: the strategy-meeting pack and the Appendix 7 form (Word), and the full
record (JSON). Each is audited as an export naming the document."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Flask, Response, g

import knowledge
from casestore.overview import CaseOverview
from casestore.refs import normalise_reference
from casestore.timeutil import now_utc
from knowledge.model import KnowledgeBase

from ..case_views import case_service, exported_overview
from . import appendix7, strategy_meeting

bp = Blueprint("exports", __name__, url_prefix="/cases")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Builder = Callable[[KnowledgeBase, CaseOverview, str, datetime], bytes]


def _download(body: bytes, mimetype: str, reference: str, suffix: str) -> Response:
    filename = f"{reference.replace('/', '-')}-{suffix}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _word(reference: str, builder: Builder, suffix: str) -> Response:
    reference = normalise_reference(reference)
    view = exported_overview(reference, suffix)
    body = builder(knowledge.load(), view, g.practitioner.username, now_utc())
    return _download(body, DOCX, reference, suffix)


@bp.get("/<caseref:reference>/export/strategy-meeting.docx")
def strategy_meeting_pack(reference: str) -> Response:
    return _word(reference, strategy_meeting.build, "strategy-meeting.docx")


@bp.get("/<caseref:reference>/export/appendix-7.docx")
def appendix_7_form(reference: str) -> Response:
    return _word(reference, appendix7.build, "appendix-7.docx")


@bp.get("/<caseref:reference>/export.json")
def full_record(reference: str) -> Response:
    reference = normalise_reference(reference)
    export = case_service().export_case(reference)
    body = json.dumps(export, indent=2, ensure_ascii=False).encode()
    return _download(body, "application/json", reference, "record.json")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
