"""The demo's events: the partnership's 2021 programme, on days counted from the first
demo day (see demo/__init__.py). Three think tanks have already taken place; the rest are
ahead, so that sign-up is open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from ..models import EventKind


@dataclass
class DemoEvent:
    slug: str
    kind: EventKind
    title: str
    summary: str
    day: int  #: days after the first demo day (negative: it has taken place)
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
        -54,
        time(10),
    ),
    _think_tank(
        "nvo-domnica-sece", "Secē", "Seces pagasts", "Seces pagasta pārvalde", -47, time(15)
    ),
    _think_tank(
        "nvo-domnica-skriveri",
        "Skrīveros",
        "Skrīveru pagasts",
        "Skrīveru kultūras nams",
        -40,
        time(10),
    ),
    _think_tank(
        "nvo-domnica-aizkraukle",
        "Aizkrauklē",
        "Aizkraukle",
        "Aizkraukles novada bibliotēka",
        1,
        time(10),
    ),
    _think_tank(
        "nvo-domnica-irsi", "Iršos", "Iršu pagasts", "Iršu pagasta saiešanas nams", 3, time(10)
    ),
    _think_tank(
        "nvo-domnica-plavinas", "Pļaviņās", "Pļaviņas", "Pļaviņu kultūras centrs", 5, time(15)
    ),
    DemoEvent(
        slug="seminars-iedzivotaju-padomes",
        kind=EventKind.SEMINAR,
        title="Seminārs „Iedzīvotāju padomes – kā tās darbojas?”",
        summary="Kas ir iedzīvotāju padome, kā to izveidot un kā tā sadarbojas ar pašvaldību.",
        day=15,
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
        day=29,
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
        day=20,
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
        day=40,
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
