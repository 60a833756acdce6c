"""Forms that change a case from its page (CSRF-protected like every form). The case service
checks team scope, keeps each change append-only and audits it."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import InputRequired, ValidationError

ENTER_REFERRAL_DATE = "Enter the referral date as a date, for example 20/11/2026."


class ReferralDateForm(FlaskForm):
    referral_date = DateField("Referral date", format=["%Y-%m-%d", "%d/%m/%Y"],
                              validators=[InputRequired(ENTER_REFERRAL_DATE)])

    def validate_referral_date(self, field: DateField) -> None:
        if field.data is not None and field.data > date.today():
            raise ValidationError("The referral date cannot be in the future.")


def referral_date_form() -> ReferralDateForm:
    """The form, with today as the latest date the browser's date picker offers."""
    form = ReferralDateForm()
    form.referral_date.render_kw = {"max": date.today().isoformat(),
                                    "aria-describedby": "referral-date-hint"}
    return form
