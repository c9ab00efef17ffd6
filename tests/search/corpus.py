"""A fake registry source for the search tests: plain Python objects, no app models.

Fictional services, teams and pages in the project's own words; the
municipality codes and coordinates are the real ones of the places named.
"""

from search.documents import Area, OpenHours, SearchDocument

LIPERI = ("426", "Liperi", "Liperi", (62.533, 29.385))
JOENSUU = ("167", "Joensuu", "Joensuu", (62.601, 29.763))
KUOPIO = ("297", "Kuopio", "Kuopio", (62.892, 27.678))
HELSINKI = ("091", "Helsinki", "Helsingfors", (60.170, 24.941))
OUTOKUMPU = ("309", "Outokumpu", "Outokumpu", (62.726, 29.016))

COUNTY_OF = {"426": "pk", "167": "pk", "309": "pk", "297": "ps", "091": "hki"}
COUNTY_LABELS = {
    "pk": {"fi": "Pohjois-Karjalan hyvinvointialue", "sv": "Norra Karelens välfärdsområde"},
    "ps": {"fi": "Pohjois-Savon hyvinvointialue", "sv": "Norra Savolax välfärdsområde"},
    "hki": {"fi": "Helsingin kaupunki", "sv": "Helsingfors stad"},
}
TYPE_LABELS = {
    "service": {"fi": "Palvelut", "sv": "Tjänster", "en": "Services"},
    "organisation": {"fi": "Organisaatiot", "sv": "Organisationer", "en": "Organisations"},
    "team": {"fi": "Tiimit", "sv": "Team", "en": "Teams"},
    "location": {"fi": "Toimipisteet", "sv": "Verksamhetsställen", "en": "Locations"},
    "operating_model": {"fi": "Toimintamallit", "sv": "Verksamhetsmodeller", "en": "Operating models"},
    "pathway": {"fi": "Palvelupolut", "sv": "Servicestigar", "en": "Pathways"},
    "page": {"fi": "Sivut", "sv": "Sidor", "en": "Pages"},
}

DAY = 24 * 60


def weekdays(opens, closes):
    """Monday to Friday, opens-closes o'clock, as minutes of the week."""
    return OpenHours(intervals=[(d * DAY + opens * 60, d * DAY + closes * 60) for d in range(5)])


def doc(
    key,
    type,
    title,
    text="",
    place=None,
    area=None,
    sector=(),
    target=(),
    topic=(),
    stage=(),
    visibility="public",
    pro="",
    hours=None,
    extra_places=(),
    sv_title="",
    sv_text="",
    en_title="",
    en_text="",
    boost=1.0,
):
    facets = {"sector": list(sector), "target_group": list(target), "topic": list(topic)}
    labels = {"type": {type: TYPE_LABELS[type]}}
    locations = []
    if stage:
        facets["development_stage"] = list(stage)
    places = ([place] if place else []) + list(extra_places)
    if places:
        facets["municipality"] = [p[0] for p in places]
        facets["county"] = sorted({COUNTY_OF[p[0]] for p in places})
        labels["municipality"] = {p[0]: {"fi": p[1], "sv": p[2]} for p in places}
        labels["county"] = {c: COUNTY_LABELS[c] for c in facets["county"]}
        locations = [p[3] for p in places]
    if area is None and place is not None:
        area = Area(municipalities=[place[0]])
    return SearchDocument(
        type=type,
        uid=key,
        key=f"{type}:{key}",
        title={"fi": title, "sv": sv_title, "en": en_title},
        url={"fi": f"/{type}/{key}/", "sv": f"/sv/{type}/{key}/", "en": f"/en/{type}/{key}/"},
        text={"fi": text, "sv": sv_text, "en": en_text},
        professional_text={"fi": pro} if pro else {},
        facets=facets,
        facet_labels=labels,
        locations=locations,
        area=area,
        visibility=visibility,
        open_hours=hours,
        boost=boost,
    )


CORPUS = [
    doc(
        "perhekeskus-liperi",
        "service",
        "Liperin perhekeskus",
        "Perhekeskus tukee lapsiperheitä Liperissä. Jos sinulla on huoli lapsesta tai arki tuntuu raskaalta, "
        "ota yhteyttä perhekeskukseen. Perhekeskuksessa työskentelee sosiaaliohjaaja ja perheneuvoja.",
        place=LIPERI,
        sector=["social"],
        target=["families"],
        topic=["child_welfare"],
        hours=weekdays(8, 16),
        sv_title="Familjecentralen i Liperi",
        sv_text="Familjecentralen stöder barnfamiljer i Liperi.",
    ),
    doc(
        "mielenterveys-kuopio",
        "service",
        "Aikuisten mielenterveyspalvelut",
        "Mielenterveyspalveluihin pääsee Kuopiossa ilman lähetettä. Vastaanotolla arvioidaan tilanne ja "
        "sovitaan hoidosta.",
        place=KUOPIO,
        sector=["health"],
        target=["adults"],
        topic=["mental_health"],
        hours=weekdays(8, 15),
    ),
    doc(
        "paihdetyo-kuopio",
        "service",
        "Päihdetyöntekijän vastaanotto",
        "Päihdetyöntekijä auttaa, kun päihteiden käyttö huolestuttaa. Vastaanotolle voi tulla myös läheinen.",
        place=KUOPIO,
        sector=["health"],
        target=["adults"],
        topic=["substance_use"],
        pro="Konsultaatio ammattilaisille: takaovinumero 040 000 0000 arkisin.",
        hours=weekdays(9, 15),
    ),
    doc(
        "tyoparimalli",
        "operating_model",
        "Sote-työparimalli",
        "Työparimallissa sosiaalityöntekijä ja terveydenhoitaja työskentelevät yhdessä saman asiakkaan kanssa. "
        "Työpari sopii asiakkaan kanssa, kumpi on vastuutyöntekijä.",
        sector=["social", "health"],
        topic=["multiprofessional"],
        stage=["established"],
        boost=1.5,
    ),
    doc(
        "paihde-joensuu",
        "service",
        "Apua päihdeongelmiin",
        "Tukea päihdeongelmiin ja peliongelmiin. Ryhmät kokoontuvat Joensuussa.",
        place=JOENSUU,
        area=Area(municipalities=["167"], counties=["pk"]),
        sector=["health"],
        target=["adults"],
        topic=["substance_use"],
        hours=weekdays(10, 18),
    ),
    doc(
        "neuvola-joensuu",
        "service",
        "Joensuun äitiysneuvola",
        "Neuvolassa seurataan raskauden kulkua ja vauvan kasvua.",
        place=JOENSUU,
        sector=["health"],
        target=["families"],
        topic=["child_welfare"],
        hours=weekdays(8, 16),
    ),
    doc(
        "nuoret-helsinki",
        "service",
        "Nuorten mielenterveystuki",
        "Matalan kynnyksen keskusteluapua nuorille. Ei ajanvarausta.",
        place=HELSINKI,
        sector=["youth"],
        target=["youth"],
        topic=["mental_health"],
        hours=OpenHours(intervals=[(5 * DAY + 10 * 60, 5 * DAY + 14 * 60)]),  # Saturdays 10-14
        sv_title="Psykiskt stöd för unga",
        sv_text="Samtalsstöd för unga utan tidsbokning.",
    ),
    doc(
        "kriisipuhelin",
        "service",
        "Valtakunnallinen kriisipuhelin",
        "Kriisipuhelimeen voi soittaa mihin aikaan tahansa, kun elämä tuntuu raskaalta.",
        place=HELSINKI,
        area=Area(whole_country=True),
        sector=["ngo"],
        target=["adults", "youth"],
        topic=["mental_health"],
        hours=OpenHours(always_open=True),
    ),
    doc(
        "pohjois-karjala",
        "organisation",
        "Pohjois-Karjalan hyvinvointialue",
        "Hyvinvointialue järjestää sosiaali- ja terveyspalvelut sekä pelastustoimen Pohjois-Karjalassa.",
        place=JOENSUU,
        area=Area(counties=["pk"]),
        sector=["social", "health"],
    ),
    doc(
        "aluetiimi-liperi",
        "team",
        "Liperin aluetiimi",
        "Aluetiimissä sosiaaliohjaaja, terveydenhoitaja ja kuraattori tapaavat perheitä yhdessä.",
        place=LIPERI,
        sector=["social"],
        target=["families"],
        topic=["multiprofessional"],
    ),
    doc(
        "terveysasema-liperi",
        "location",
        "Liperin terveysasema",
        "Terveysasemalla on lääkärin ja hoitajan vastaanotto sekä laboratorio.",
        place=LIPERI,
        sector=["health"],
        hours=weekdays(8, 16),
    ),
    doc(
        "huoli-lapsesta",
        "pathway",
        "Huoli lapsesta",
        "Kun olet huolissasi lapsesta, ensimmäinen ovi on perhekeskus. Sieltä saat ohjausta ja tukea.",
        target=["families"],
        topic=["child_welfare"],
        boost=1.2,
    ),
    doc(
        "tietoa",
        "page",
        "Tietoa Ovesta",
        "Ovi kokoaa toimintamallit, palvelut ja palvelupolut yhteen paikkaan.",
        en_title="About Ovi",
        en_text="Ovi brings operating models, services and service pathways together.",
    ),
    doc(
        "kuraattori-kuopio",
        "service",
        "Koulukuraattori",
        "Koulukuraattori tukee oppilaita ja heidän perheitään koulunkäyntiin liittyvissä asioissa.",
        place=KUOPIO,
        sector=["school"],
        target=["children", "youth"],
        topic=["school_welfare"],
    ),
    doc(
        "konsultaatio",
        "service",
        "Erityiskonsultaatio ammattilaisille",
        "Lastenpsykiatrian erityiskonsultaatio tukee perusterveydenhuollon ammattilaisia.",
        place=KUOPIO,
        visibility="professional",
        sector=["health"],
        target=["children"],
        topic=["mental_health"],
    ),
    doc(
        "sote-outokumpu",
        "service",
        "Outokummun sosiaali- ja terveysasema",
        "Sosiaali- ja terveyspalvelut samasta paikasta Outokummussa.",
        place=OUTOKUMPU,
        sector=["social", "health"],
        hours=weekdays(8, 16),
    ),
    doc(
        "neuvola-liperi",
        "service",
        "Liperin lastenneuvola",
        "Lastenneuvola seuraa lapsen kasvua ja kehitystä ja tukee vanhempia.",
        place=LIPERI,
        sector=["health"],
        target=["families", "children"],
        topic=["child_welfare"],
        hours=weekdays(8, 16),
    ),
    doc(
        "family-services",
        "page",
        "Perheiden palvelut",
        "Perheiden palvelut kootusti.",
        en_title="Services for families",
        en_text="Family centre services support parents and children.",
        sv_title="Tjänster för familjer",
        sv_text="Familjecentralerna stöder föräldrar och barn.",
    ),
    doc(
        "lastensuojelu-joensuu",
        "service",
        "Lastensuojelun sosiaalityö",
        "Lastensuojeluun voi ottaa yhteyttä, jos lapsen kasvuolot huolestuttavat.",
        place=JOENSUU,
        sector=["social"],
        target=["children", "families"],
        topic=["child_welfare"],
    ),
    doc(
        "oppilashuolto-liperi",
        "team",
        "Liperin koulujen oppilashuoltoryhmä",
        "Oppilashuollossa kuraattori, psykologi ja terveydenhoitaja tukevat oppilaita.",
        place=LIPERI,
        sector=["school"],
        target=["children"],
        topic=["school_welfare"],
        sv_title="Elevvårdsgruppen i Liperis skolor",
        sv_text="I elevvården stöder kurator, psykolog och hälsovårdare eleverna.",
    ),
    # Cross-language matching: words only the Swedish or English text has.
    doc(
        "koulupsykologi-joensuu",
        "service",
        "Koulupsykologi",
        "Koulupsykologi tukee oppilaita, kun koulunkäynti tai kaverisuhteet huolestuttavat.",
        place=JOENSUU,
        sector=["health"],
        target=["children"],
        sv_title="Skolpsykolog",
        sv_text="Skolpsykologen stöder elever när skolgången eller vänskapen oroar.",
    ),
    doc(
        "perheneuvola-kuopio",
        "service",
        "Kuopion perheneuvola",
        "Perheneuvola auttaa, kun parisuhde tai lasten kasvatus askarruttaa.",
        place=KUOPIO,
        sector=["social"],
        target=["families"],
        sv_title="Familjerådgivningen i Kuopio",
        sv_text="Familjerådgivningen ger stöd i frågor om parrelationen, barnuppfostran och barnets psykologi.",
        en_title="Kuopio family guidance clinic",
        en_text="Family counselling for parents: relationship and parenting worries.",
    ),
]

# Fillers for pagination: ordinary services with the word "palveluohjaus".
for number in range(1, 11):
    place = [LIPERI, JOENSUU, KUOPIO, OUTOKUMPU, HELSINKI][number % 5]
    CORPUS.append(
        doc(
            f"palveluohjaus-{number}",
            "service",
            f"Palveluohjaus {number}",
            f"Palveluohjaaja neuvoo palveluihin hakeutumisessa ({place[1]}).",
            place=place,
            sector=["social"],
            target=["adults"],
        )
    )

BY_KEY = {document.key: document for document in CORPUS}


def public_keys():
    return {document.key for document in CORPUS if document.visibility == "public"}


class FakeSource:
    """A registry source over plain objects: the corpus documents themselves."""

    name = "tests.fake"
    # Documents of the apps' types with the apps' facets, which their own sources declare.
    document_types = ()
    facets = ()

    def __init__(self, documents=None):
        self.documents = {d.key: d for d in (documents if documents is not None else CORPUS)}

    def iter_documents(self):
        return iter(list(self.documents.values()))

    def document_for(self, obj):
        return obj if obj.visibility in ("public", "professional") else None

    def key_for(self, obj):
        return obj.key
