"""The accessibility statement (Act 306/2019, the model of the Finnish supervisory
authority): what the service is, its compliance status, the content that is not
accessible and why, how the statement was prepared, the feedback channel and the
supervisory authority.

The parts that must stay true are data here, in one place, and the statement page
renders them (templates/portal/includes/accessibility_statement.html, shown on the
StandardPage whose translation key is the demo's "accessibility" page):

- KNOWN_ISSUES: the content that is not accessible. Each entry has a check in
  tests/portal/test_accessibility_statement.py that asserts the issue still exists,
  so fixing one fails that test until the entry is removed here.
- PAGE_TYPES and ROUTES: every public Wagtail page type and named route, by the part
  of the service the statement names. A new page type or route fails the same test
  until it is declared here (and so covered by the statement).

The texts are the statement's content in fi, sv and en (like portal/demo_content.py),
not interface strings.
"""

import datetime

from django.utils import translation
from wagtail.models import Site

from portal.demo import demo_key
from portal.models import SiteSettings

ASSESSED_ON = datetime.date(2026, 12, 6)
STATEMENT_DEMO_NAME = "accessibility"  # portal.demo.demo_key(name) is the page's translation key

# The parts of the service, in the order the statement lists them.
SERVICE_PARTS = {
    "front": {
        "fi": "etusivu ja tiedotesivut (esimerkiksi tämä seloste ja tietosuojaseloste)",
        "sv": "startsidan och informationssidorna (till exempel detta utlåtande och dataskyddsbeskrivningen)",
        "en": "the front page and information pages (such as this statement and the privacy notice)",
    },
    "doors": {
        "fi": "Oven löytäjä ja palvelupolut: mihin ottaa yhteyttä missäkin elämäntilanteessa",
        "sv": "dörrsökaren och servicestigarna: vart man vänder sig i olika livssituationer",
        "en": "the door finder and service pathways: where to turn in each life situation",
    },
    "library": {
        "fi": "toimintamallikirjasto: toimintamallit, kehittämistiimit ja mallien vertailu",
        "sv": "biblioteket med verksamhetsmodeller: modellerna, utvecklingsteamen och jämförelsen",
        "en": "the operating models library: models, development teams and comparison",
    },
    "directory": {
        "fi": "palveluhakemisto: palvelut, organisaatiot, toimipisteet, tiimit ja ammattilaisten verkostokartat",
        "sv": "tjänstekatalogen: tjänster, organisationer, verksamhetsställen, team och yrkespersonernas nätverkskartor",
        "en": "the service directory: services, organisations, locations, teams and the professionals' network maps",
    },
    "search": {
        "fi": "haku ja hakuehdotukset",
        "sv": "sökningen och sökförslagen",
        "en": "search and search suggestions",
    },
    "feedback": {
        "fi": "virheilmoituslomake (Ilmoita virheestä)",
        "sv": "formuläret för felanmälan (Anmäl ett fel)",
        "en": "the error report form (Report an error)",
    },
    "professionals": {
        "fi": "ammattilaisten kirjautuminen, salasanan vaihto ja kattavuusraportti",
        "sv": "yrkespersonernas inloggning, byte av lösenord och täckningsrapporten",
        "en": "the professionals' sign-in, password reset and coverage report",
    },
}

# Every public Wagtail page model, by the part of the service it belongs to.
PAGE_TYPES = {
    "portal.HomePage": "front",
    "portal.StandardPage": "front",
    "portal.PathwayIndexPage": "doors",
    "portal.PathwayPage": "doors",
    "models_library.ModelsLibraryIndexPage": "library",
    "models_library.DevelopmentTeamPage": "library",
    "models_library.OperatingModelPage": "library",
    "directory.DirectoryIndexPage": "directory",
}

# Every named route outside the editors' admin: the routes of routable pages as
# "app.Model:name", the others by URL name. None: not a web page for people (an
# API, a file, a probe or a redirect), which the statement does not cover as content.
ROUTES = {
    "portal.PathwayIndexPage:index_route": "doors",
    "portal.PathwayIndexPage:finder": "doors",
    "models_library.ModelsLibraryIndexPage:index_route": "library",
    "models_library.ModelsLibraryIndexPage:listing": "library",
    "models_library.ModelsLibraryIndexPage:compare": "library",
    "directory.DirectoryIndexPage:index_route": "directory",
    "directory.DirectoryIndexPage:browse": "directory",
    "directory.DirectoryIndexPage:service": "directory",
    "directory.DirectoryIndexPage:organisation": "directory",
    "directory.DirectoryIndexPage:location": "directory",
    "directory.DirectoryIndexPage:team": "directory",
    "directory.DirectoryIndexPage:network": "directory",
    "search": "search",
    "report-error": "feedback",
    "report-error-thanks": "feedback",
    "login": "professionals",
    "logout": "professionals",
    "password_reset": "professionals",
    "password_reset_done": "professionals",
    "password_reset_confirm": "professionals",
    "password_reset_complete": "professionals",
    "two_factor_verify": "professionals",
    "two_factor": "professionals",
    "coverage": "professionals",
    "coverage-county": "professionals",
    "coverage-county-csv": None,
    "oidc_authentication_init": None,
    "oidc_authentication_callback": None,
    "set_language": None,
    "favicon": None,
    "healthz": None,
    "readyz": None,
    "security-txt": None,
    "api-doors": None,
    "api-search": None,
    "api-suggest": None,
    "api-openapi": None,
    "root": None,
    "services": None,
    "service": None,
    "organizations": None,
    "organization": None,
    "taxonomies": None,
    "taxonomy": None,
    "taxonomy_terms": None,
    "taxonomy_term": None,
    "service_at_locations": None,
    "service_at_location": None,
    "wagtail_serve": "front",
    "wagtailcore_login": "professionals",  # sign-in to a page restricted to signed-in users
    "wagtailcore_authenticate_with_password": "front",  # the password form of a protected page
    "wagtaildocs_serve": None,
    "wagtaildocs_authenticate_with_password": None,
}

# Headings of the groups of non-accessible content, as in the authority's model.
BASES = {
    "noncompliance": {
        "fi": "Vaatimustenvastaisuudet",
        "sv": "Bristande överensstämmelse med kraven",
        "en": "Non-compliance with the requirements",
    },
    "other": {
        "fi": "Muut tiedossa olevat puutteet",
        "sv": "Andra kända brister",
        "en": "Other known shortcomings",
    },
}

# The content that is not accessible, honestly: what, which success criterion, why.
# Each id has a check in tests/portal/test_accessibility_statement.py (CHECKS) that
# asserts the issue still exists.
KNOWN_ISSUES = [
    {
        "id": "attachments-unchecked",
        "basis": "noncompliance",
        "wcag": "1.1.1, 1.3.1, 2.4.2, 3.1.1",
        "fi": "Toimintamallien liitetiedostoja (esimerkiksi PDF- ja Word-tiedostot) ei tarkisteta "
        "saavutettavuuden kannalta. Kehittämistiimit lisäävät ne itse, eikä palvelu tarkista "
        "niiden otsikoita, rakennetta, kieltä tai kuvien tekstivastineita.",
        "sv": "Bilagorna till verksamhetsmodellerna (till exempel PDF- och Word-filer) granskas inte "
        "med tanke på tillgängligheten. Utvecklingsteamen lägger själva till dem, och tjänsten "
        "kontrollerar inte deras rubriker, struktur, språk eller textalternativ till bilder.",
        "en": "Files attached to operating models (such as PDF and Word files) are not checked for "
        "accessibility. Development teams add them themselves, and the service does not check their "
        "headings, structure, language or text alternatives for images.",
    },
    {
        "id": "admin-not-assessed",
        "basis": "noncompliance",
        "wcag": "",
        "fi": "Sisällöntuottajien muokkausnäkymää (Wagtail-julkaisujärjestelmän ylläpito) ei ole "
        "arvioitu. Se on avoimen lähdekoodin komponentti, jota automaattiset tarkistuksemme eivät kata.",
        "sv": "Redaktörernas redigeringsvy (administrationen i publiceringssystemet Wagtail) har inte "
        "bedömts. Den är en komponent med öppen källkod som våra automatiska kontroller inte omfattar.",
        "en": "The editors' editing interface (the administration of the Wagtail content management "
        "system) has not been assessed. It is an open-source component that our automatic checks do not cover.",
    },
    {
        "id": "finnish-only-content",
        "basis": "other",
        "wcag": "3.1.2",
        "fi": "Osa palvelujen kuvauksista, asiointiohjeista ja toimipisteiden sisäänkäyntien kuvauksista "
        "on vain suomeksi, koska tiedot ylläpitävä organisaatio ei ole vielä kääntänyt niitä. "
        "Ruotsin- ja englanninkielisillä sivuilla ne näytetään suomeksi, ja niiden kieli on merkitty.",
        "sv": "En del av tjänsternas beskrivningar, anvisningar om hur man använder tjänsten och "
        "beskrivningar av ingångarna till verksamhetsställena finns bara på finska, eftersom "
        "organisationen som upprätthåller uppgifterna ännu inte har översatt dem. På de svenska och "
        "engelska sidorna visas de på finska, och deras språk är angivet.",
        "en": "Some service descriptions, instructions on how to access a service and descriptions of "
        "locations' entrances are only in Finnish, because the organisation that maintains them has "
        "not translated them yet. On the Swedish and English pages they are shown in Finnish, with "
        "their language marked.",
    },
    {
        "id": "plain-language-finnish-only",
        "basis": "other",
        "wcag": "3.1.5 AAA",
        "fi": "Elämäntilanteiden selkokieliset kuvaukset ovat vain suomeksi. Selkoruotsiksi ja "
        "selkoenglanniksi niitä ei vielä ole.",
        "sv": "Livssituationernas beskrivningar på lättläst språk finns bara på finska. På lättläst "
        "svenska och engelska finns de inte ännu.",
        "en": "The plain-language descriptions of the life situations are only in Finnish. There are "
        "no plain-language versions in Swedish or English yet.",
    },
]

TEXTS = {
    "fi": {
        "service_title": "Palvelu",
        "service": "Tämä saavutettavuusseloste koskee Ovi-verkkopalvelua ja sen kaikkia osia:",
        "status_title": "Vaatimustenmukaisuuden tila",
        "status": "Ovi täyttää osittain digitaalisten palvelujen tarjoamisesta annetun lain (306/2019) "
        "saavutettavuusvaatimukset eli WCAG 2.1 -ohjeiden A- ja AA-tason vaatimukset. "
        "Puutteet on lueteltu alla.",
        "issues_title": "Ei-saavutettava sisältö",
        "criterion": "WCAG",
        "prepared_title": "Selosteen laatiminen",
        "prepared": "Seloste on laadittu {date}. Saavutettavuus on arvioitu itsearviona. Palvelun "
        "automaattiset testit tarkistavat axe-core-työkalulla jokaisen sivutyypin suomeksi, ruotsiksi "
        "ja englanniksi, myös virhe- ja tyhjät tilat, WCAG 2.1 -ohjeiden A- ja AA-tason sääntöjen "
        "mukaan. Lisäksi kehitystiimi on arvioinut sivut käsin: näppäimistökäytön, 320 pikselin "
        "levyisen näkymän, otsikot, kielimerkinnät ja lomakkeiden virheilmoitukset.",
        "assessed": "Saavutettavuus on arvioitu viimeksi {date}.",
        "feedback_title": "Palaute ja yhteystiedot",
        "feedback": "Huomasitko saavutettavuuspuutteen? Kerro siitä meille, niin korjaamme sen tai "
        "toimitamme sisällön sinulle saavutettavassa muodossa. Vastaamme 14 päivän kuluessa.",
        "feedback_email": "Sähköposti:",
        "feedback_no_email": "Palvelun ylläpitäjä ei ole vielä antanut palautteen sähköpostiosoitetta.",
        "feedback_form": "Virheen palvelun, organisaation, toimipisteen tai tiimin tiedoissa voit "
        "ilmoittaa sen sivun Ilmoita virheestä -linkillä (lomake osoitteessa {path}).",
        "operator": "Palvelua ylläpitää {operator}.",
        "authority_title": "Valvontaviranomainen",
        "authority": "Jos huomaat sivustolla saavutettavuusongelmia, anna ensin palautetta meille. Jos et "
        "ole tyytyväinen saamaasi vastaukseen tai et saa vastausta lainkaan kahden viikon aikana, voit "
        "tehdä ilmoituksen Etelä-Suomen aluehallintovirastoon. Sen sivuilla kerrotaan, miten "
        "ilmoituksen voi tehdä ja miten asia käsitellään.",
        "authority_contact_title": "Valvontaviranomaisen yhteystiedot",
        "authority_name": "Etelä-Suomen aluehallintovirasto",
        "authority_unit": "Saavutettavuuden valvonnan yksikkö",
        "authority_site": "www.saavutettavuusvaatimukset.fi",
        "authority_url": "https://www.saavutettavuusvaatimukset.fi/",
        "email": "sähköposti",
        "phone": "puhelinnumero vaihde",
    },
    "sv": {
        "service_title": "Tjänsten",
        "service": "Detta tillgänglighetsutlåtande gäller webbtjänsten Ovi och alla dess delar:",
        "status_title": "Överensstämmelse med kraven",
        "status": "Ovi uppfyller delvis tillgänglighetskraven i lagen om tillhandahållande av digitala "
        "tjänster (306/2019), det vill säga kraven på nivå A och AA i WCAG 2.1. Bristerna listas nedan.",
        "issues_title": "Icke tillgängligt innehåll",
        "criterion": "WCAG",
        "prepared_title": "Hur utlåtandet har utarbetats",
        "prepared": "Utlåtandet har utarbetats {date}. Tillgängligheten har bedömts genom en "
        "självbedömning. Tjänstens automatiska tester granskar med verktyget axe-core varje sidtyp på "
        "finska, svenska och engelska, också fel- och tomma lägen, enligt reglerna för nivå A och AA i "
        "WCAG 2.1. Dessutom har utvecklingsteamet bedömt sidorna manuellt: användning med tangentbord, "
        "visning 320 pixlar bred, rubriker, språkmärkningar och formulärens felmeddelanden.",
        "assessed": "Tillgängligheten bedömdes senast {date}.",
        "feedback_title": "Respons och kontaktuppgifter",
        "feedback": "Har du märkt en brist i tillgängligheten? Berätta det för oss, så rättar vi den eller "
        "ger dig innehållet i tillgänglig form. Vi svarar inom 14 dagar.",
        "feedback_email": "E-post:",
        "feedback_no_email": "Tjänstens administratör har ännu inte angett någon e-postadress för respons.",
        "feedback_form": "Ett fel i uppgifterna om en tjänst, organisation, ett verksamhetsställe eller "
        "ett team kan du anmäla med länken Anmäl ett fel på dess sida (formuläret på adressen {path}).",
        "operator": "Tjänsten upprätthålls av {operator}.",
        "authority_title": "Tillsynsmyndighet",
        "authority": "Om du märker tillgänglighetsproblem på webbplatsen, ge först respons till oss. Om du "
        "inte är nöjd med svaret eller inte får något svar inom två veckor kan du göra en anmälan till "
        "Regionförvaltningsverket i Södra Finland. På dess webbplats finns information om hur du gör "
        "en anmälan och hur ärendet behandlas.",
        "authority_contact_title": "Tillsynsmyndighetens kontaktuppgifter",
        "authority_name": "Regionförvaltningsverket i Södra Finland",
        "authority_unit": "Enheten för tillgänglighetstillsyn",
        "authority_site": "www.tillganglighetskrav.fi",
        "authority_url": "https://www.tillganglighetskrav.fi/",
        "email": "e-post",
        "phone": "telefonnummer växeln",
    },
    "en": {
        "service_title": "The service",
        "service": "This accessibility statement covers the Ovi web service and all its parts:",
        "status_title": "Compliance status",
        "status": "Ovi partially complies with the accessibility requirements of the Act on the "
        "Provision of Digital Services (306/2019), that is, levels A and AA of WCAG 2.1. The "
        "shortcomings are listed below.",
        "issues_title": "Non-accessible content",
        "criterion": "WCAG",
        "prepared_title": "How this statement was prepared",
        "prepared": "This statement was prepared on {date}. Accessibility was assessed as a "
        "self-assessment. The service's automatic tests check every page type in Finnish, Swedish and "
        "English, error and empty states included, with the axe-core tool against the rules of WCAG 2.1 "
        "levels A and AA. In addition, the development team reviewed the pages by hand: keyboard use, "
        "a 320-pixel-wide view, headings, language markup and the error messages of forms.",
        "assessed": "Accessibility was last assessed on {date}.",
        "feedback_title": "Feedback and contact information",
        "feedback": "Did you notice an accessibility problem? Tell us and we will fix it or give you the "
        "content in an accessible form. We reply within 14 days.",
        "feedback_email": "E-mail:",
        "feedback_no_email": "The maintainer of the service has not given a feedback e-mail address yet.",
        "feedback_form": "An error in the information of a service, organisation, location or team can be "
        "reported with the Report an error link on its page (the form at {path}).",
        "operator": "The service is maintained by {operator}.",
        "authority_title": "Supervisory authority",
        "authority": "If you notice accessibility problems on the site, first give feedback to us. If you "
        "are not satisfied with the reply or get no reply within two weeks, you can report it to the "
        "Regional State Administrative Agency for Southern Finland. Its web site explains how to make "
        "a report and how it is handled.",
        "authority_contact_title": "Contact information of the supervisory authority",
        "authority_name": "Regional State Administrative Agency for Southern Finland",
        "authority_unit": "Accessibility Monitoring Unit",
        "authority_site": "www.webaccessibility.fi",
        "authority_url": "https://www.webaccessibility.fi/",
        "email": "e-mail",
        "phone": "telephone switchboard",
    },
}
AUTHORITY_EMAIL = "saavutettavuus@avi.fi"
AUTHORITY_PHONE = "0295 016 000"
REPORT_ERROR_PATH = "/ilmoita-virheesta/"


def statement_translation_key():

    return demo_key(STATEMENT_DEMO_NAME)


def is_statement(page):
    return str(getattr(page, "translation_key", "")) == str(statement_translation_key())


def _language():
    language = (translation.get_language() or "fi")[:2]
    return language if language in TEXTS else "fi"


def _date(language):
    return (
        f"{ASSESSED_ON.day}.{ASSESSED_ON.month}.{ASSESSED_ON.year}"
        if language != "en"
        else ASSESSED_ON.strftime("%-d %B %Y")
    )


def statement_context(request):
    """What templates/portal/includes/accessibility_statement.html shows, in the active language."""

    language = _language()
    texts = TEXTS[language]
    site = Site.find_for_request(request) if request is not None else None
    settings = SiteSettings.for_site(site) if site else None
    date = _date(language)
    groups = []
    for basis, headings in BASES.items():
        issues = [
            {"id": issue["id"], "wcag": issue["wcag"], "text": issue[language]}
            for issue in KNOWN_ISSUES
            if issue["basis"] == basis
        ]
        if issues:
            groups.append({"heading": headings[language], "issues": issues})
    return {
        "texts": texts,
        "parts": [names[language] for names in SERVICE_PARTS.values()],
        "issue_groups": groups,
        "prepared": texts["prepared"].format(date=date),
        "assessed": texts["assessed"].format(date=date),
        "assessed_on": ASSESSED_ON,
        "feedback_email": (settings.feedback_email.strip() if settings else ""),
        "operator": texts["operator"].format(operator=settings.operator_name)
        if settings and settings.operator_name
        else "",
        "feedback_form": texts["feedback_form"].format(path=REPORT_ERROR_PATH),
        "authority_email": AUTHORITY_EMAIL,
        "authority_phone": AUTHORITY_PHONE,
    }
