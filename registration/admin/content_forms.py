"""Forms for the public side of the work: projects, posts, documents, the organisation.

Each gives its service the input through `to_command()`; files come as `uploads.Upload`
(or None when no file was chosen), so the service checks them like any other upload.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import EmailAddress, max_length, required
from ..forms import Form as TranslatedForm
from ..services.documents import DocumentDetails
from ..services.organisation import OrganisationChange
from ..services.posts import PostDetails
from ..services.projects import ProjectDetails
from ..services.uploads import Upload
from .fields import STRIP, Choice, DayField, RigaDateTimeField, _TextConverted

MARKDOWN_HINT = _l(
    "Blank line between paragraphs; **bold**, *italic*, “- ” for a list, “## ” for a heading, "
    "[text](https://…) for a link."
)


def uploaded(field: FileField) -> Upload | None:
    """The chosen file as the services take it; None when none was chosen."""
    storage = field.data
    if storage is None or not getattr(storage, "filename", None):
        return None
    return Upload(filename=storage.filename, stream=storage.stream)


class DecimalTextField(_TextConverted):
    """A number typed the Latvian way or the English one: '6 460,64', '6460.64'."""

    invalid_message = _l("Enter a number, for example 6460,64.")
    places = 2

    def format(self, value: Decimal) -> str:
        return f"{value:.{self.places}f}".replace(".", ",")

    def parse(self, text: str) -> Decimal:
        compact = re.sub(r"[\s\u00a0]|EUR|€|%", "", text, flags=re.IGNORECASE)
        if compact.count(",") == 1 and "." not in compact:
            compact = compact.replace(",", ".")
        if not re.fullmatch(r"\d{1,10}(\.\d{1,2})?", compact):
            raise ValueError(text)
        try:
            return Decimal(compact)
        except InvalidOperation:
            raise ValueError(text) from None


class PercentField(DecimalTextField):
    invalid_message = _l("Enter a percentage, for example 100.")

    def format(self, value: Decimal) -> str:
        return f"{value.normalize():f}".replace(".", ",")


def _project_choices(projects, blank_label) -> list:
    return [("", str(blank_label))] + [(str(p.id), p.title) for p in projects]


class ProjectForm(TranslatedForm):
    title = StringField(
        _l("Title"),
        filters=STRIP,
        validators=[required(_l("Enter the project's title.")), max_length(300)],
    )
    code = StringField(
        _l("Project number"),
        filters=STRIP,
        validators=[max_length(80)],
        description=_l("As the funder registered it, for example 2021.LV/NVOF/MIC/031/10."),
    )
    funder = StringField(_l("Funder"), filters=STRIP, validators=[max_length(200)])
    programme = StringField(_l("Programme"), filters=STRIP, validators=[max_length(200)])
    starts_on = DayField(_l("Starts on"))
    ends_on = DayField(_l("Ends on"))
    amount = DecimalTextField(_l("Amount granted, EUR"), validators=[Optional()])
    support_intensity = PercentField(_l("Support intensity, %"), validators=[Optional()])
    implementation_place = StringField(
        _l("Place of implementation"), filters=STRIP, validators=[max_length(300)]
    )
    description = TextAreaField(
        _l("Summary"),
        filters=STRIP,
        validators=[max_length(1000)],
        description=_l("One or two sentences for the list of projects and link previews."),
    )
    goal = TextAreaField(
        _l("Goal"), filters=STRIP, validators=[max_length(5000)], description=MARKDOWN_HINT
    )
    activities = TextAreaField(
        _l("Activities"), filters=STRIP, validators=[max_length(10000)], description=MARKDOWN_HINT
    )
    expected_results = TextAreaField(
        _l("Expected results"),
        filters=STRIP,
        validators=[max_length(10000)],
        description=MARKDOWN_HINT,
    )
    target_groups = TextAreaField(
        _l("Target groups"), filters=STRIP, validators=[max_length(5000)], description=MARKDOWN_HINT
    )
    funding_line = StringField(
        _l("Funding line"),
        filters=STRIP,
        validators=[max_length(400)],
        description=_l(
            "Printed as the funder requires on the project's pages, emails, calendar files and "
            "lists, for example: Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”."
        ),
    )
    funder_logo = FileField(_l("Funder's logo"), description=_l("A PNG or JPEG picture."))
    remove_logo = BooleanField(_l("Remove the logo"))
    slug = StringField(
        _l("Web address"),
        filters=[lambda v: v.strip().lower() if v else v],
        validators=[max_length(120)],
        description=_l("The end of the page's address. Leave empty to make it from the title."),
    )

    def to_command(self) -> dict:
        return {
            "details": ProjectDetails(
                title=self.title.data,
                slug=self.slug.data or "",
                code=self.code.data or None,
                funder=self.funder.data or None,
                programme=self.programme.data or "",
                starts_on=self.starts_on.data,
                ends_on=self.ends_on.data,
                amount=self.amount.data,
                support_intensity=self.support_intensity.data,
                implementation_place=self.implementation_place.data or "",
                description=self.description.data or "",
                goal=self.goal.data or "",
                activities=self.activities.data or "",
                expected_results=self.expected_results.data or "",
                target_groups=self.target_groups.data or "",
                funding_line=self.funding_line.data or None,
            ),
            "funder_logo": uploaded(self.funder_logo),
        }


class MultiCheckbox(SelectMultipleField):
    """A list of checkboxes (works without JavaScript, unlike a multiple select on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        allowed = {str(value) for value, _label in self.choices or ()}
        if any(value not in allowed for value in self.data or ()):
            raise ValueError(str(_l("Choose one of the options in the list.")))


class PostForm(TranslatedForm):
    title = StringField(
        _l("Title"), filters=STRIP, validators=[required(_l("Enter the title.")), max_length(200)]
    )
    published_at = RigaDateTimeField(
        _l("Publication date and time"),
        description=_l(
            "Empty: the moment you publish it. A time in the future schedules the post: it "
            "appears by itself at that time."
        ),
    )
    lead = TextAreaField(
        _l("Lead"),
        filters=STRIP,
        validators=[max_length(400)],
        description=_l("One or two sentences for the news list, feeds and link previews."),
    )
    body = TextAreaField(
        _l("Text"), filters=STRIP, validators=[max_length(50000)], description=MARKDOWN_HINT
    )
    photo = FileField(
        _l("Photo"), description=_l("A JPEG or PNG picture. Location and camera data are removed.")
    )
    photo_alt = StringField(
        _l("What the photo shows"),
        filters=STRIP,
        validators=[max_length(300)],
        description=_l(
            "For people who cannot see it, for example: Participants of the think tank in Sece."
        ),
    )
    remove_photo = BooleanField(_l("Remove the photo"))
    project_id = Choice(_l("Project"), choices=[], validate_choice=True)
    event_ids = MultiCheckbox(_l("Events the post is about"), choices=[])
    slug = StringField(
        _l("Web address"),
        filters=[lambda v: v.strip().lower() if v else v],
        validators=[max_length(120)],
        description=_l("The end of the page's address. Leave empty to make it from the title."),
    )

    def __init__(self, *args, projects=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = _project_choices(projects, _l("No project"))
        self.event_ids.choices = [(str(e.id), e.title) for e in events]
        self.events = list(events)

    def to_command(self) -> dict:
        return {
            "details": PostDetails(
                title=self.title.data,
                slug=self.slug.data or "",
                lead=self.lead.data or "",
                body=self.body.data or "",
                published_at=self.published_at.data,
                project_id=int(self.project_id.data) if self.project_id.data else None,
                event_ids=[int(value) for value in self.event_ids.data or ()],
                photo_alt=self.photo_alt.data or "",
            ),
            "photo": uploaded(self.photo),
        }


class DocumentForm(TranslatedForm):
    title = StringField(
        _l("Title"),
        filters=STRIP,
        validators=[required(_l("Enter the document's title.")), max_length(200)],
    )
    description = TextAreaField(_l("Description"), filters=STRIP, validators=[max_length(2000)])
    project_id = Choice(
        _l("Project"),
        choices=[],
        validate_choice=True,
        validators=[required(_l("Choose the project."))],
    )
    event_id = Choice(_l("Event"), choices=[], validate_choice=True)

    def __init__(self, *args, projects=(), events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.project_id.choices = _project_choices(projects, _l("Choose…"))
        self.event_id.choices = [("", str(_l("No event")))] + [(str(e.id), e.title) for e in events]

    def details(self) -> DocumentDetails:
        return DocumentDetails(
            title=self.title.data,
            description=self.description.data or "",
            project_id=int(self.project_id.data),
            event_id=int(self.event_id.data) if self.event_id.data else None,
        )

    def to_command(self) -> dict:
        return {"details": self.details()}


class NewDocumentForm(DocumentForm):
    file = FileField(
        _l("File"),
        description=_l("PDF, DOCX, ODT, XLSX, ODS, PPTX, ODP, JPEG or PNG."),
    )

    def to_command(self) -> dict:
        return {"details": self.details(), "upload": uploaded(self.file)}


class ReplaceFileForm(TranslatedForm):
    file = FileField(
        _l("New file"), description=_l("The document keeps its address; links to it stay good.")
    )

    def to_command(self) -> dict:
        return {"upload": uploaded(self.file)}


class OrganisationForm(TranslatedForm):
    name = StringField(
        _l("Name"),
        filters=STRIP,
        validators=[required(_l("Enter the organisation's name.")), max_length(200)],
    )
    registration_number = StringField(
        _l("Registration number"), filters=STRIP, validators=[max_length(40)]
    )
    address = StringField(_l("Address"), filters=STRIP, validators=[max_length(300)])
    email = StringField(
        _l("Contact email"), filters=STRIP, validators=[Optional(), max_length(254), EmailAddress()]
    )
    phone = StringField(_l("Contact phone"), filters=STRIP, validators=[max_length(40)])
    website = StringField(_l("Website"), filters=STRIP, validators=[max_length(300)])
    logo = FileField(_l("Logo"), description=_l("A PNG or JPEG picture."))
    remove_logo = BooleanField(_l("Remove the logo"))

    def to_command(self) -> dict:
        return {
            "change": OrganisationChange(
                name=self.name.data,
                registration_number=self.registration_number.data or "",
                address=self.address.data or "",
                email=self.email.data or "",
                phone=self.phone.data or "",
                website=self.website.data or "",
            ),
            "logo": uploaded(self.logo),
            "remove_logo": self.remove_logo.data,
        }
