"""Demo content: the partnership's 2021 civic-participation project, moved so that its
events fall in the coming weeks (sign-up is open) and a few have already taken place (with
participants and attendance, so the archive, the figures and the exports show something).

The project page is complete: the funder's facts, the texts, result documents (PDFs the demo
writes), a dozen dated posts, the funding line and a stand-in logo. Loading it twice changes
nothing.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import (
    THE_ORGANISATION,
    Document,
    Event,
    EventStatus,
    Organisation,
    PickupStop,
    Post,
    PostStatus,
    ProgrammeItem,
    Project,
    ProjectStatus,
)
from ..services import organisation, unit_of_work, uploads
from ..timeutil import now_utc, riga_datetime, today_riga
from ..urls import external_url
from . import pictures
from .people import participants
from .posts import DEMO_POSTS
from .programme import DEMO_EVENTS, DemoEvent
from .project import (
    CONTACT_EMAIL,
    CONTACT_PHONE,
    ORGANISATION,
    PROJECT,
    PROJECT_CODE,
    REAL_END,
    REAL_FIRST_DAY,
    REAL_START,
)
from .results import results

__all__ = ["PROJECT_CODE", "seed_demo"]


def _first_demo_day(today: date) -> date:
    return today + timedelta(days=14)


def seed_demo() -> int:
    """Load the demo; return how many events were added (0 on a second run)."""
    first_day = _first_demo_day(today_riga())
    with unit_of_work():
        _organisation()
        project = _project(first_day)
        added = _events(project, first_day)
        documents = _documents(project)
        _posts(project, first_day, documents)
    organisation.forget()
    return added


def _organisation() -> None:
    if db.session.get(Organisation, THE_ORGANISATION) is None:
        db.session.add(Organisation(id=THE_ORGANISATION, **ORGANISATION))


def _project(first_day: date) -> Project:
    project = db.session.scalar(sa.select(Project).where(Project.code == PROJECT_CODE))
    if project is not None:
        return project
    shift = first_day - REAL_FIRST_DAY
    project = Project(
        status=ProjectStatus.PUBLISHED,
        starts_on=REAL_START + shift,
        ends_on=REAL_END + shift,
        **PROJECT,
    )
    project.funder_logo = uploads.store(
        uploads.Upload("nvo-fonds.png", io.BytesIO(pictures.badge("NVO fonds"))),
        uploads.Purpose.LOGO,
    )
    db.session.add(project)
    return project


def _events(project: Project, first_day: date) -> int:
    existing = set(db.session.scalars(sa.select(Event.slug)))
    notice = current_app.config["PRIVACY_NOTICE_VERSION"]
    added = 0
    for number, spec in enumerate(DEMO_EVENTS):
        if spec.slug in existing:
            continue
        event = _event(spec, first_day + timedelta(days=spec.day), project)
        db.session.add(event)
        if spec.day < 0:
            people = participants(event, 12 + number % 4, number * 3, "lv", notice)
            db.session.add_all(people)
            event.confirmed_count = len(people)
        added += 1
    return added


def _event(spec: DemoEvent, day: date, project: Project) -> Event:
    starts_at = riga_datetime(day, spec.starts)
    event = Event(
        slug=spec.slug,
        kind=spec.kind,
        status=EventStatus.PUBLISHED,
        published_at=min(now_utc(), starts_at - timedelta(days=30)),
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        starts_at=starts_at,
        ends_at=riga_datetime(day, spec.ends),
        place=spec.place,
        venue_name=spec.venue_name,
        venue_address=spec.venue_address,
        is_online=spec.is_online,
        online_url=spec.online_url,
        capacity=spec.capacity,
        requires_phone=spec.requires_phone,
        practical_info=spec.practical_info,
        contact_name="Projekta koordinatore",
        contact_email=CONTACT_EMAIL,
        contact_phone=CONTACT_PHONE,
        registration_closes_at=riga_datetime(
            day - timedelta(days=2), spec.starts.replace(hour=23, minute=59)
        ),
        project=project,
    )
    event.pickup_stops = [
        PickupStop(position=n, place=place, departs_at=riga_datetime(day, at))
        for n, (place, at) in enumerate(spec.stops, start=1)
    ]
    event.programme = [
        ProgrammeItem(position=n, starts_at=riga_datetime(day, at), place=where, description=what)
        for n, (at, where, what) in enumerate(spec.programme, start=1)
    ]
    return event


def _documents(project: Project) -> dict[str, Document]:
    """The result documents by title (made once)."""
    found = {
        d.title: d
        for d in db.session.scalars(sa.select(Document).where(Document.project_id == project.id))
    }
    if found:
        return found
    for position, result in enumerate(
        results(project.title, project.code or "", project.funding_line or ""), start=1
    ):
        document = Document(
            project=project,
            title=result["title"],
            description=result["description"],
            position=position,
            is_published=True,
        )
        document.file = uploads.store(
            uploads.Upload(result["filename"], io.BytesIO(result["data"])),
            uploads.Purpose.DOCUMENT,
        )
        db.session.add(document)
        found[document.title] = document
    db.session.flush()
    return found


def _posts(project: Project, first_day: date, documents: dict[str, Document]) -> None:
    existing = set(db.session.scalars(sa.select(Post.slug)))
    events = {e.slug: e for e in db.session.scalars(sa.select(Event))}
    for spec in DEMO_POSTS:
        if spec.slug in existing:
            continue
        body = spec.body
        if spec.document and spec.document in documents:
            link = external_url("public.document_file", document_id=documents[spec.document].id)
            body = body.replace("{document}", link)
        post = Post(
            slug=spec.slug,
            status=PostStatus.PUBLISHED,
            title=spec.title,
            lead=spec.lead,
            body=body,
            published_at=riga_datetime(first_day + timedelta(days=spec.day), spec.at),
            project=project,
            events=[events[slug] for slug in spec.events if slug in events],
        )
        if spec.picture:
            post.photo = uploads.store(
                uploads.Upload(f"{spec.slug}.jpg", io.BytesIO(pictures.scene(spec.picture))),
                uploads.Purpose.PHOTO,
            )
            post.photo_alt = spec.picture_alt
        db.session.add(post)
