"""The demo's result documents: small real PDFs, written by the demo in our own words."""

from __future__ import annotations

from functools import lru_cache

from ..pdf import Section, document

LEAFLET = "Kā piedalīties lēmumu pieņemšanā: informatīvs materiāls iedzīvotājiem"
REVIEW = "Pārskats par NVO sektoru partnerības teritorijā"
VIEWS = "Domnīcās izteiktie viedokļi: starpposma apkopojums"


@lru_cache(maxsize=2)
def results(project_title: str, project_code: str, funding_line: str) -> tuple[dict, ...]:
    """(title, description, file name, PDF bytes) of each result document. Written once per
    process: embedding the font takes a second or two of CPU per file."""
    subtitle = f"Projekts „{project_title}”, Nr. {project_code}"
    return (
        {
            "title": REVIEW,
            "description": "Kādas biedrības darbojas teritorijā, ar ko tās nodarbojas un kas "
            "tām traucē.",
            "filename": "NVO-sektora-parskats.pdf",
            "data": document(
                title=REVIEW,
                subtitle=subtitle,
                footer=funding_line,
                sections=[
                    Section(
                        "Kāpēc šis pārskats",
                        [
                            "Pārskats apkopo, kas zināms par biedrībām un nodibinājumiem "
                            "partnerības darbības teritorijā: cik to ir, kādās jomās tās "
                            "darbojas un ar kādām grūtībām saskaras. Tas ir pamats sarunām "
                            "domnīcās un ieteikumiem pašvaldībai."
                        ],
                    ),
                    Section(
                        "Galvenie secinājumi",
                        bullets=[
                            "Lielākā daļa organizāciju darbojas kultūras, sporta un sociālajā jomā.",
                            "Daudzas biedrības balstās uz dažiem aktīviem cilvēkiem; trūkst "
                            "jaunu biedru.",
                            "Biedrībām visvairāk pietrūkst telpu, laika projektu rakstīšanai "
                            "un savlaicīgas informācijas par konkursiem.",
                            "Sadarbība ar pagastu pārvaldēm lielākoties ir laba, bet tā "
                            "balstās uz personīgiem kontaktiem.",
                        ],
                    ),
                    Section(
                        "Ieteikumi",
                        bullets=[
                            "Kopīgas telpas un inventārs biedrībām pagastu centros.",
                            "Vienkāršā valodā rakstīts konkursu kalendārs.",
                            "Regulāras tikšanās starp biedrībām un pašvaldību.",
                        ],
                    ),
                ],
            ),
        },
        {
            "title": VIEWS,
            "description": "Pirmajās trīs domnīcās dzirdētais: kas izdodas, kas traucē, ko darīt.",
            "filename": "Domnicu-viedokli.pdf",
            "data": document(
                title=VIEWS,
                subtitle=subtitle,
                footer=funding_line,
                sections=[
                    Section(
                        "Mazzalve",
                        [
                            "Trūkst telpu un jaunu cilvēku; informācijai par konkursiem "
                            "jānonāk laikus un vienkāršā valodā."
                        ],
                    ),
                    Section(
                        "Sece",
                        [
                            "Iedzīvotāji vēlas skaidrāk zināt, kā iesniegt priekšlikumu "
                            "pašvaldībai; labi piemēri ir kopīgas talkas un svētki."
                        ],
                    ),
                    Section(
                        "Skrīveri",
                        [
                            "Jaunieši iesaistās, ja saņem konkrētu, īsu uzdevumu un brīvību "
                            "to paveikt savā veidā."
                        ],
                    ),
                ],
            ),
        },
        {
            "title": LEAFLET,
            "description": "Kolektīvais iesniegums, iedzīvotāju padome, līdzdalības budžets – "
            "īsi un saprotami.",
            "filename": "Ka-piedalities.pdf",
            "data": document(
                title=LEAFLET,
                subtitle=subtitle,
                footer=funding_line,
                sections=[
                    Section(
                        "Iesniegums pašvaldībai",
                        [
                            "Ikviens var rakstīt pašvaldībai. Iesniegumā norādiet, ko lūdzat, "
                            "kāpēc, un savu kontaktinformāciju. Atbildi saņemsiet rakstiski."
                        ],
                    ),
                    Section(
                        "Kolektīvais iesniegums",
                        [
                            "Vairāki iedzīvotāji kopā var iesniegt priekšlikumu par jautājumu, "
                            "kas skar viņu apkaimi vai pagastu. Pašvaldībai tas jāizskata."
                        ],
                    ),
                    Section(
                        "Iedzīvotāju padome",
                        [
                            "Padome ir konsultatīva: tā pārstāv pagasta vai pilsētas "
                            "iedzīvotājus sarunās ar pašvaldību un palīdz laikus uzzināt par "
                            "plānotajiem lēmumiem."
                        ],
                    ),
                    Section(
                        "Līdzdalības budžets",
                        [
                            "Daļu naudas pašvaldība atvēl iedzīvotāju idejām. Idejas iesniedz "
                            "paši iedzīvotāji, un par tām balso."
                        ],
                    ),
                ],
            ),
        },
    )
