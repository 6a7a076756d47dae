"""The demo's news posts: invitations before activities and reports after them, in the
project's voice (our own words). Days count from the first demo day, like the events';
posts dated after today are scheduled and appear by themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time


@dataclass
class DemoPost:
    slug: str
    day: int
    at: time
    title: str
    lead: str
    body: str
    events: list[str] = field(default_factory=list)
    #: A drawn picture for the post (see pictures.py), with its description.
    picture: str | None = None
    picture_alt: str = ""
    #: Title of a result document the body links to as {document}.
    document: str | None = None


THINK_TANKS = [
    "nvo-domnica-mazzalve",
    "nvo-domnica-sece",
    "nvo-domnica-skriveri",
    "nvo-domnica-aizkraukle",
    "nvo-domnica-irsi",
    "nvo-domnica-plavinas",
]

DEMO_POSTS = [
    DemoPost(
        slug="sakam-projektu-par-lidzdalibu",
        day=-100,
        at=time(10),
        title="Sākam projektu par iedzīvotāju līdzdalību",
        lead="Šogad pagastos rīkosim domnīcas, seminārus un pieredzes braucienus biedrībām "
        "un aktīviem iedzīvotājiem.",
        body="Partnerība sāk projektu „Iedzīvotāju stiprināšana par pilsonisko līdzdalību "
        "Aizkraukles rajona partnerības darbības teritorijā”. Tā mērķis ir vienkāršs: lai "
        "vairāk cilvēku zinātu, kā ietekmēt lēmumus savā pagastā, un lai biedrības un "
        "iedzīvotāji strādātu kopā.\n\n"
        "## Kas notiks\n\n"
        "- izpētīsim, kādas biedrības darbojas mūsu teritorijā un kas tām traucē;\n"
        "- sešos pagastos un pilsētās rīkosim NVO domnīcas;\n"
        "- aicināsim uz diviem semināriem un diviem pieredzes apmaiņas braucieniem;\n"
        "- rezultātus pārrunāsim noslēguma pasākumā tiešsaistē.\n\n"
        "Visas aktivitātes ir bez maksas. Sekojiet jaunumiem šeit vai pierakstieties "
        "notikumu kalendāram.",
        picture="fields",
        picture_alt="Lauku ainava ar pļavām un mežu pie apvāršņa",
    ),
    DemoPost(
        slug="aicinam-uz-nvo-domnicam",
        day=-62,
        at=time(9),
        title="Aicinām uz NVO domnīcām pagastos",
        lead="Sešās vietās sarunāsimies par to, kā klājas vietējām biedrībām un ko darīt, "
        "lai iniciatīvas taptu dzīvas.",
        body="Domnīca ir saruna nelielā lokā: biedrību un nodibinājumu pārstāvji, aktīvi "
        "iedzīvotāji un pagasta pārvalde kopā izvērtē, kas izdodas, kas traucē un ko varam "
        "darīt citādi.\n\n"
        "Domnīcas notiks Mazzalvē, Secē, Skrīveros, Aizkrauklē, Iršos un Pļaviņās. "
        "Izvēlieties sev tuvāko un piesakieties – vietu skaits ir ierobežots.\n\n"
        "Domnīcu secinājumus apkoposim un nodosim pašvaldībai.",
        events=THINK_TANKS,
    ),
    DemoPost(
        slug="mazzalve-kas-biedribam-trauce",
        day=-53,
        at=time(16),
        title="Mazzalvē runājām par to, kas biedrībām traucē",
        lead="Pirmajā domnīcā biežāk izskanēja divas lietas: trūkst telpu un trūkst jaunu cilvēku.",
        body="Mazzalves tautas namā pulcējās vietējo biedrību pārstāvji un aktīvi "
        "iedzīvotāji. Runājām par to, kā biedrības atrod naudu saviem darbiem, kā sadarbojas "
        "ar pagasta pārvaldi un kāpēc jaunieši iesaistās retāk.\n\n"
        "**Galvenās atziņas:**\n\n"
        "1. Biedrībām noderētu kopīgas telpas, kur tikties un glabāt inventāru.\n"
        "2. Par projektu konkursiem informācija jādara zināma laikus un vienkāršā valodā.\n"
        "3. Jaunieši labprāt palīdz konkrētos pasākumos, ja viņus uzrunā personīgi.\n\n"
        "Paldies visiem, kas atnāca!",
        events=["nvo-domnica-mazzalve"],
        picture="hall",
        picture_alt="Domnīcas dalībnieki pie gariem galdiem tautas nama zālē",
    ),
    DemoPost(
        slug="domnica-sece",
        day=-46,
        at=time(18),
        title="Domnīca Secē: kopā ar pagasta pārvaldi",
        lead="Secē sarunā piedalījās arī pagasta pārvaldes vadītāja, tāpēc daudz runājām par "
        "to, kā iedzīvotāji var ierosināt idejas.",
        body="Otrajā domnīcā uzmanības centrā bija iedzīvotāju un pārvaldes saziņa. "
        "Dalībnieki stāstīja par labiem piemēriem – kopīgām talkām un sporta svētkiem – un "
        "par to, ka reizēm nav skaidrs, kam un kā iesniegt priekšlikumu.\n\n"
        "Vienojāmies, ka noderētu īss atgādnes materiāls par to, kā uzrakstīt iesniegumu "
        "pašvaldībai. To sagatavosim projekta gaitā.",
        events=["nvo-domnica-sece"],
        picture="table",
        picture_alt="Sarunu aplis ar kafijas krūzēm un piezīmju lapām uz galda",
    ),
    DemoPost(
        slug="skriveros-par-jauniesiem",
        day=-39,
        at=time(15),
        title="Skrīveros – par jauniešiem un brīvprātīgo darbu",
        lead="Trešajā domnīcā jaunieši paši stāstīja, kas viņus mudina iesaistīties.",
        body="Skrīveru kultūras namā bija kupls pulks – arī vairāki vidusskolēni. Viņu "
        "padoms biedrībām: dot konkrētu, īsu uzdevumu un ļaut pašiem izdomāt, kā to paveikt.\n\n"
        "Domnīcu rezultāti tiks apkopoti pārskatā par NVO sektoru, ko publicēsim šajā lapā.",
        events=["nvo-domnica-skriveri"],
    ),
    DemoPost(
        slug="parskats-par-nvo-sektoru",
        day=-30,
        at=time(11),
        title="Gatavs pārskats par NVO sektoru mūsu teritorijā",
        lead="Cik biedrību darbojas partnerības teritorijā, ar ko tās nodarbojas un kas tām "
        "traucē: pārskats ir publicēts.",
        body="Projekta pirmais rezultāts ir pārskats par nevalstiskajām organizācijām "
        "partnerības darbības teritorijā. Tajā apkopoti publiski pieejamie dati un pirmo "
        "trīs domnīcu sarunās dzirdētais.\n\n"
        "[Lasīt pārskatu (PDF)]({document})\n\n"
        "Pārskatu papildināsim pēc visām domnīcām.",
        document="Pārskats par NVO sektoru partnerības teritorijā",
    ),
    DemoPost(
        slug="domnicas-turpinas",
        day=-16,
        at=time(9),
        title="Domnīcas turpinās Aizkrauklē, Iršos un Pļaviņās",
        lead="Vēl trīs sarunas par biedrību darbu un iedzīvotāju līdzdalību – piesakieties!",
        body="Pēc domnīcām Mazzalvē, Secē un Skrīveros turpinām ceļu pa partnerības "
        "teritoriju. Aicinām biedrību pārstāvjus un ikvienu, kam rūp sava pagasta dzīve.",
        events=["nvo-domnica-aizkraukle", "nvo-domnica-irsi", "nvo-domnica-plavinas"],
    ),
    DemoPost(
        slug="seminars-iedzivotaju-padomes",
        day=-15,
        at=time(10),
        title="Aicinām uz semināru „Iedzīvotāju padomes – kā tās darbojas?”",
        lead="Kas ir iedzīvotāju padome, kā to izveidot un ko tā var paveikt: seminārs "
        "Jaunjelgavā.",
        body="Seminārā skaidrosim, kā darbojas iedzīvotāju padomes, kādas ir to tiesības un "
        "kā padome var sadarboties ar pašvaldību. Dalīsimies arī citu novadu pieredzē.\n\n"
        "Seminārs ir bez maksas; pusdienas un kafija tiks nodrošinātas.",
        events=["seminars-iedzivotaju-padomes"],
    ),
    DemoPost(
        slug="pieredzes-brauciens-jaunolaine",
        day=-14,
        at=time(8),
        title="Aicinām pieteikties pieredzes apmaiņas braucienam uz Jaunolaini un Mežiniekiem",
        lead="Dienas brauciens ar autobusu pie biedrībām, kas pašas veido savu ciemu dzīvi.",
        body="Brauciena laikā tiksimies ar biedrībām, kas uztur kopienas centru un rīko "
        "ciema pasākumus. Autobuss izbrauks no Pļaviņām un uzņems dalībniekus Aizkrauklē un "
        "Skrīveros.\n\n"
        "Brauciens, ekskursijas un pusdienas ir bez maksas. Piesakoties lūdzam norādīt "
        "tālruni un pieturvietu.",
        events=["pieredzes-brauciens-olaine"],
    ),
    DemoPost(
        slug="seminars-lidzdalibas-riki",
        day=5,
        at=time(9),
        title="Seminārs par līdzdalības rīkiem laukos",
        lead="Kolektīvais iesniegums, līdzdalības budžets un citi veidi, kā ietekmēt lēmumus.",
        body="Praktiskā seminārā Sunākstē kopā rakstīsim kolektīvo iesniegumu un "
        "izspēlēsim, kā darbojas līdzdalības budžets.",
        events=["seminars-lidzdalibas-rikri"],
    ),
    DemoPost(
        slug="brauciens-uz-seliju",
        day=25,
        at=time(9),
        title="Aicinām uz pieredzes braucienu uz Sēliju",
        lead="Otrais pieredzes apmaiņas brauciens: Sēlijas biedrības un uzņēmēji.",
        body="Iepazīsim Sēlijas biedrību darbu ar jauniešiem un vietējā uzņēmēja pieredzi. "
        "Autobuss izbrauks no Aizkraukles un uzņems dalībniekus Jaunjelgavā.",
        events=["pieredzes-brauciens-selija"],
    ),
    DemoPost(
        slug="nosleguma-pasakums",
        day=45,
        at=time(9),
        title="Aicinām uz projekta noslēguma pasākumu tiešsaistē",
        lead="Domnīcu rezultāti, pārskats par NVO sektoru un ieteikumi pašvaldībai – trīs "
        "īsas prezentācijas.",
        body="Noslēguma pasākums notiks tiešsaistē, lai pieslēgties varētu ikviens. "
        "Pieslēgšanās saiti nosūtīsim e-pastā visiem, kas būs pieteikušies.",
        events=["nosleguma-pasakums"],
    ),
]
