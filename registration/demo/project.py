"""The demo's project, as the funder registered it, and the organisation running the site."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

PROJECT_CODE = "2021.LV/NVOF/MIC/031/10"
CONTACT_EMAIL = "info@partneriba.example"
CONTACT_PHONE = "+371 26 000 000"

#: The demo's day 0 stands for this day of 2021; every real date moves with it, so the
#: project's period keeps its place around its events (the final event, day 56, stands
#: for 4 November 2021).
REAL_FIRST_DAY = date(2021, 9, 9)
REAL_START = date(2021, 2, 1)
REAL_END = date(2021, 11, 20)

ORGANISATION = {
    "name": "Biedrība „Aizkraukles rajona partnerība”",
    "address": "Aizkraukle, Aizkraukles novads",
    "email": CONTACT_EMAIL,
    "phone": CONTACT_PHONE,
}

PROJECT = {
    "slug": "iedzivotaju-lidzdaliba-2021",
    "title": (
        "Iedzīvotāju stiprināšana par pilsonisko līdzdalību Aizkraukles rajona partnerības "
        "darbības teritorijā"
    ),
    "code": PROJECT_CODE,
    "funder": "Sabiedrības integrācijas fonds",
    "programme": "NVO fonds",
    "amount": Decimal("6460.64"),
    "support_intensity": Decimal("100"),
    "implementation_place": (
        "Aizkraukles novads un Bauskas novada Valles un Kurmenes pagasts (partnerības "
        "darbības teritorija)"
    ),
    "description": (
        "Domnīcas, semināri un pieredzes apmaiņas braucieni, lai iedzīvotāji un biedrības "
        "labāk zinātu, kā ietekmēt lēmumus savā pagastā, un strādātu kopā."
    ),
    "goal": (
        "Stiprināt iedzīvotāju izpratni par pilsonisko līdzdalību lēmumu pieņemšanā un "
        "veicināt sadarbību starp iedzīvotājiem un nevalstiskajām organizācijām partnerības "
        "darbības teritorijā."
    ),
    "activities": (
        "- **NVO sektora izpēte**: apkopojam, kādas biedrības un nodibinājumi darbojas "
        "teritorijā, ar ko tie nodarbojas un kas tiem traucē.\n"
        "- **Sešas NVO domnīcas** pagastos un pilsētās: vienāds formāts, sarunas par vietējo "
        "organizāciju situāciju un iespējām.\n"
        "- **Divi semināri** aktīviem iedzīvotājiem: par iedzīvotāju padomēm un par "
        "līdzdalības rīkiem laukos (kolektīvais iesniegums, līdzdalības budžets).\n"
        "- **Divi pieredzes apmaiņas braucieni** ar autobusu: uz Jaunolaini un Mežiniekiem, "
        "un uz Sēliju.\n"
        "- **Noslēguma pasākums tiešsaistē** ar trim prezentācijām."
    ),
    "expected_results": (
        "- Pārskats par NVO sektoru partnerības teritorijā.\n"
        "- Domnīcās izteikto viedokļu apkopojums un ieteikumi pašvaldībai.\n"
        "- Informatīvs materiāls iedzīvotājiem par to, kā piedalīties lēmumu pieņemšanā.\n"
        "- Iedzīvotāji un biedrības, kas zina vairāk par līdzdalības iespējām un ir "
        "iepazinuši citu kopienu pieredzi."
    ),
    "target_groups": (
        "**Tiešā mērķa grupa**: aktīvi iedzīvotāji un nevalstiskās organizācijas "
        "partnerības darbības teritorijā.\n\n"
        "**Netiešā mērķa grupa**: visi teritorijas iedzīvotāji."
    ),
    "funding_line": "Finansējums: Latvijas valsts budžeta finansēta programma „NVO fonds”",
}
