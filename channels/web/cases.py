"""The team's cases and one case: recorded answers, history with corrections, flags, what is
missing and the statutory timeline. Every read goes through CaseService (team scope, audit)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from werkzeug.routing import BaseConverter
from werkzeug.wrappers import Response

import knowledge
from casestore.errors import CaseClosed, InvalidEntry
from casestore.overview import CaseOverview, overview
from casestore.refs import normalise_reference
from knowledge.timeline import timeline

from .case_forms import ENTER_REFERRAL_DATE, ReferralDateForm, referral_date_form
from .case_views import case_service, history_rows

bp = Blueprint("cases", __name__, url_prefix="/cases")


class CaseReferenceConverter(BaseConverter):
    """References contain slashes (NW/2026/0012): exactly three path segments."""

    regex = r"[^/]+/[^/]+/[^/]+"
    part_isolating = False


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


CASE_FILTERS = {"all": "All cases", "open": "Open cases", "closed": "Closed cases",
                "flagged": "Cases with flags to consider"}


@bp.get("")
def index() -> str:
    """The team's cases, each with the flags its current answers raise and its checklist
    progress; `?show=` one of CASE_FILTERS."""
    kb = knowledge.load()
    show = request.args.get("show", "all")
    show = show if show in CASE_FILTERS else "all"
    rows = [overview(kb, summary) for summary in case_service().list_case_summaries()]
    shown = [view for view in rows if _shown(view, show)]
    return render_template("cases.html", cases=shown, total=len(rows), show=show,
                           filters=CASE_FILTERS)


def _shown(view: CaseOverview, show: str) -> bool:
    if show == "flagged":
        return bool(view.flags)
    return show == "all" or view.summary.case.status == show


@bp.get("/<caseref:reference>")
def case(reference: str) -> str:
    return render_case(normalise_reference(reference), referral_date_form())


@bp.post("/<caseref:reference>/referral-date")
def record_referral_date(reference: str) -> Response | tuple[str, int]:
    """Record or correct the referral date (a new entry in its history), then back to the page."""
    reference = normalise_reference(reference)
    form = referral_date_form()
    if form.validate_on_submit():
        try:
            case_service().record_referral_date(reference, form.referral_date.data)
        except (InvalidEntry, CaseClosed) as refused:
            form.referral_date.errors = [str(refused)]
        else:
            return redirect(url_for("cases.case", reference=reference, _anchor="referral-date"),
                            code=303)
    if not form.referral_date.errors:
        form.referral_date.errors = [ENTER_REFERRAL_DATE]
    return render_case(reference, form), 400


def render_case(reference: str, date_form: ReferralDateForm) -> str:
    kb = knowledge.load()
    service = case_service()
    summary = service.summary(reference)
    view = overview(kb, summary)
    raised = service.flags(reference)
    history = history_rows(kb, service.history(reference))
    fired_ids = {f.rule.id for f in view.flags}
    rules = {rule.id: rule for rule in kb.flags}
    no_longer_met = [(rules[f.rule_id], f) for f in raised
                     if f.rule_id not in fired_ids and f.rule_id in rules]
    referral_dates = service.referral_date_history(reference)
    if not date_form.is_submitted():
        date_form.referral_date.data = summary.case.referral_date
    conference = _date_arg("initial_conference")
    anchors = {"referral": summary.case.referral_date, "initial conference": conference}
    return render_template(
        "case.html", case=summary.case, view=view, history=history, no_longer_met=no_longer_met,
        timeline=timeline(kb.timescales, anchors), initial_conference=conference, kb=kb,
        referral_dates=referral_dates, date_form=date_form,
        started=[s for s in view.checklists if s.started],
        not_started=[s for s in view.checklists if not s.started])


def init_app(app: Flask) -> None:
    app.url_map.converters["caseref"] = CaseReferenceConverter
    app.register_blueprint(bp)
