"""Demo content: the partnership's 2021 civic-participation programme, moved into the
coming weeks so that sign-up is open. Loading it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa

from .extensions import db
from .models import Event, EventKind, EventStatus, PickupStop, ProgrammeItem, Project
from .timeutil import now_utc, riga_datetime, today_riga

PROJECT_CODE = "2021.LV/NVOF/MIC/031/10"
CONTACT_EMAIL = "info@partneriba.example"
CONTACT_PHONE = "+371 26 000 000"


@dataclass
class DemoEvent:
    slug: str
    kind: EventKind
    title: str
    summary: str
    day: int  #: days after the first demo day
    starts: time
    ends: time
    place: str | None
    venue_name: str = ""
    venue_address: str = ""
    capacity: int | None = 25
    description: str = ""
    is_online: bool = False
    online_url: str | None = None
    requires_phone: bool = False
    practical_info: str = ""
    stops: list[tuple[str, time]] = field(default_factory=list)
    programme: list[tuple[time, str, str]] = field(default_factory=list)


THINK_TANK_TEXT = (
    "Domnīcā satiekas vietējo biedrību un nodibinājumu pārstāvji un aktīvi iedzīvotāji, lai "
    "kopā izvērtētu nevalstisko organizāciju situāciju pagastā: kas izdodas, kas traucē un ko "
    "pašvaldība un partnerība var darīt, lai iedzīvotāju iniciatīvas taptu dzīvas.\n\n"
    "Domnīcas rezultāti tiks apkopoti pārskatā par NVO sektoru novadā. Dalība ir bez maksas."
)


def _think_tank(slug: str, village: str, place: str, venue: str, day: int, starts: time):
    return DemoEvent(
        slug=slug,
        kind=EventKind.THINK_TANK,
        title=f"NVO domnīca {village}",
        summary=f"Sarunas par biedrību darbu un iedzīvotāju līdzdalību {village}.",
        day=day,
        starts=starts,
        ends=time(starts.hour + 3, starts.minute),
        place=place,
        venue_name=venue,
        venue_address=place,
        capacity=20,
        description=THINK_TANK_TEXT,
    )


DEMO_EVENTS: list[DemoEvent] = [
    _think_tank(
        "nvo-domnica-mazzalve",
        "Mazzalvē",
        "Mazzalves pagasts",
        "Mazzalves tautas nams",
        0,
        time(10),
    ),
    _think_tank("nvo-domnica-sece", "Secē", "Seces pagasts", "Seces pagasta pārvalde", 0, time(15)),
    _think_tank(
        "nvo-domnica-skriveri",
        "Skrīveros",
        "Skrīveru pagasts",
        "Skrīveru kultūras nams",
        1,
        time(10),
    ),
    _think_tank(
        "nvo-domnica-aizkraukle",
        "Aizkrauklē",
        "Aizkraukle",
        "Aizkraukles novada bibliotēka",
        1,
        time(15),
    ),
    _think_tank(
        "nvo-domnica-irsi", "Iršos", "Iršu pagasts", "Iršu pagasta saiešanas nams", 2, time(10)
    ),
    _think_tank(
        "nvo-domnica-plavinas", "Pļaviņās", "Pļaviņas", "Pļaviņu kultūras centrs", 2, time(15)
    ),
    DemoEvent(
        slug="seminars-iedzivotaju-padomes",
        kind=EventKind.SEMINAR,
        title="Seminārs „Iedzīvotāju padomes – kā tās darbojas?”",
        summary="Kas ir iedzīvotāju padome, kā to izveidot un kā tā sadarbojas ar pašvaldību.",
        day=13,
        starts=time(11),
        ends=time(15),
        place="Jaunjelgava",
        venue_name="Jaunjelgavas kultūras nams",
        venue_address="Jaunjelgava",
        capacity=40,
        description=(
            "Seminārs aktīviem iedzīvotājiem par iedzīvotāju padomēm: kā tās veido, kādas ir "
            "to tiesības un kā padome var palīdzēt pagasta attīstībai. Dalīsimies citu novadu "
            "pieredzē.\n\nPēc semināra – kafijas pauze un sarunas."
        ),
        programme=[
            (time(11), "", "Reģistrācija un kafija"),
            (time(11, 30), "", "Iedzīvotāju padomes likumā un praksē"),
            (time(13), "", "Pusdienas"),
            (time(13, 45), "", "Darbs grupās: padome mūsu pagastā"),
        ],
    ),
    DemoEvent(
        slug="seminars-lidzdalibas-rikri",
        kind=EventKind.SEMINAR,
        title="Seminārs „Līdzdalības rīki laukos”",
        summary="Kolektīvais iesniegums, līdzdalības budžets un citi veidi, kā ietekmēt lēmumus.",
        day=30,
        starts=time(11),
        ends=time(15),
        place="Sunākstes pagasts",
        venue_name="Sunākstes pagasta pārvalde",
        venue_address="Sunākstes pagasts",
        capacity=30,
        description=(
            "Praktisks seminārs par iedzīvotāju līdzdalības rīkiem: kā uzrakstīt kolektīvo "
            "iesniegumu, kā darbojas līdzdalības budžets un kā sarunāties ar pašvaldību."
        ),
    ),
    DemoEvent(
        slug="pieredzes-brauciens-olaine",
        kind=EventKind.STUDY_TRIP,
        title="Pieredzes apmaiņas brauciens uz Jaunolaini un Mežiniekiem",
        summary="Autobusa brauciens pie biedrībām, kas pašas veido savu ciemu dzīvi.",
        day=21,
        starts=time(7, 30),
        ends=time(19, 30),
        place="Aizkraukle",
        venue_name="Jaunolaine un Mežinieki",
        venue_address="Olaines pagasts",
        capacity=30,
        requires_phone=True,
        description=(
            "Dienas brauciens ar autobusu pie biedrībām, kas organizē kopienas dzīvi savos "
            "ciemos. Brauciens, ekskursijas un pusdienas ir bez maksas."
        ),
        practical_info="Ņemiet līdzi ērtus apavus un lietussargu.",
        stops=[
            ("Pļaviņas, autoosta", time(7, 30)),
            ("Aizkraukle, autoosta", time(8, 0)),
            ("Skrīveri, stacija", time(8, 15)),
        ],
        programme=[
            (time(10, 0), "Jaunolaine", "Tikšanās ar biedrību: kopienas centrs un tā darbs"),
            (time(12, 30), "Jaunolaine", "Pusdienas"),
            (time(14, 0), "Mežinieki", "Ciema iedzīvotāju iniciatīvas: pieredzes stāsti"),
            (time(17, 0), "", "Atpakaļceļš"),
        ],
    ),
    DemoEvent(
        slug="pieredzes-brauciens-selija",
        kind=EventKind.STUDY_TRIP,
        title="Pieredzes apmaiņas brauciens uz Sēliju",
        summary="Iepazīsim Sēlijas biedrību pieredzi kopienas attīstībā.",
        day=42,
        starts=time(7, 0),
        ends=time(20, 0),
        place="Aizkraukle",
        venue_name="Sēlija",
        venue_address="Sēlija",
        capacity=30,
        requires_phone=True,
        description="Dienas brauciens ar autobusu pie Sēlijas biedrībām un uzņēmējiem.",
        stops=[
            ("Aizkraukle, autoosta", time(7, 0)),
            ("Jaunjelgava, centrs", time(7, 40)),
        ],
        programme=[
            (time(9, 30), "Sēlija", "Biedrības darbs ar jauniešiem"),
            (time(12, 30), "Sēlija", "Pusdienas"),
            (time(14, 0), "Sēlija", "Vietējā uzņēmēja pieredze"),
            (time(17, 30), "", "Atpakaļceļš"),
        ],
    ),
    DemoEvent(
        slug="nosleguma-pasakums",
        kind=EventKind.CONFERENCE,
        title="Projekta noslēguma pasākums tiešsaistē",
        summary="Domnīcu rezultāti, NVO sektora pārskats un ieteikumi pašvaldībai.",
        day=56,
        starts=time(14),
        ends=time(16),
        place=None,
        capacity=None,
        is_online=True,
        online_url="https://meet.example.org/nosleguma-pasakums",
        description=(
            "Noslēguma pasākumā iepazīstināsim ar domnīcu rezultātiem, NVO sektora pārskatu un "
            "informatīvo materiālu iedzīvotājiem. Pieslēgšanās saiti nosūtīsim e-pastā."
        ),
    ),
]


def _first_demo_day(today: date) -> date:
    return today + timedelta(days=14)


def seed_demo() -> int:
    """Load the demo programme; return how many events were added (0 on a second run)."""
    project = db.session.scalar(sa.select(Project).where(Project.code == PROJECT_CODE))
    if project is None:
        project = Project(
            title="Iedzīvotāju līdzdalība un NVO sadarbība Aizkraukles novadā",
            code=PROJECT_CODE,
            funder="Sabiedrības integrācijas fonds",
            funding_line="Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”",
            starts_on=today_riga(),
            ends_on=today_riga() + timedelta(days=90),
            description="Domnīcas, semināri un pieredzes apmaiņas braucieni NVO un iedzīvotājiem.",
        )
        db.session.add(project)

    existing = set(db.session.scalars(sa.select(Event.slug)))
    first_day = _first_demo_day(today_riga())
    added = 0
    for spec in DEMO_EVENTS:
        if spec.slug in existing:
            continue
        day = first_day + timedelta(days=spec.day)
        event = Event(
            slug=spec.slug,
            kind=spec.kind,
            status=EventStatus.PUBLISHED,
            published_at=now_utc(),
            title=spec.title,
            summary=spec.summary,
            description=spec.description,
            starts_at=riga_datetime(day, spec.starts),
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
            registration_closes_at=riga_datetime(day - timedelta(days=2), time(23, 59)),
            project=project,
        )
        event.pickup_stops = [
            PickupStop(position=n, place=place, departs_at=riga_datetime(day, at))
            for n, (place, at) in enumerate(spec.stops, start=1)
        ]
        event.programme = [
            ProgrammeItem(
                position=n, starts_at=riga_datetime(day, at), place=where, description=what
            )
            for n, (at, where, what) in enumerate(spec.programme, start=1)
        ]
        db.session.add(event)
        added += 1
    db.session.commit()
    return added
