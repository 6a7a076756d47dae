"""The form of an event's feedback settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import NumberRange, Optional

from ..forms import Form as TranslatedForm
from ..forms import required
from ..services.feedback import MAX_SEND_AFTER_HOURS, FormSettings
from .fields import DayField, WholeNumberField


class FeedbackSettingsForm(TranslatedForm):
    closes_on = DayField(
        _l("Answers are taken until (the end of this day)"),
        validators=[required(_l("Enter the closing day."))],
    )
    shows_names = BooleanField(_l("Show who answered what (otherwise the results are anonymous)"))
    send_after_hours = WholeNumberField(
        _l("Send the thank-you with the form by itself this many hours after the end"),
        description=_l("Empty: only when you press “Send the thank-you”."),
        validators=[
            Optional(),
            NumberRange(
                0,
                MAX_SEND_AFTER_HOURS,
                _l("Enter from 0 to %(max)d hours.", max=MAX_SEND_AFTER_HOURS),
            ),
        ],
    )

    def to_command(self) -> FormSettings:
        return FormSettings(
            closes_on=self.closes_on.data,
            shows_names=bool(self.shows_names.data),
            send_after_hours=self.send_after_hours.data,
        )
