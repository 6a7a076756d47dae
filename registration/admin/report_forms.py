"""The report's period: from–to in the query string, so a report's address can be shared."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from ..forms import Form as TranslatedForm
from ..services.report import Period
from .fields import DayField


class PeriodForm(TranslatedForm):
    """Read from the query string (a GET form changes nothing, so it carries no CSRF token)."""

    class Meta:
        csrf = False

    starts_on = DayField(_l("From"))
    ends_on = DayField(_l("To"))

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The period cannot end before it starts."))

    def to_period(self) -> Period:
        return Period(self.starts_on.data, self.ends_on.data)

    def query(self) -> dict[str, str]:
        """The period as query-string values for the download links."""
        period = self.to_period()
        values = {"starts_on": period.starts_on, "ends_on": period.ends_on}
        return {name: day.isoformat() for name, day in values.items() if day is not None}
