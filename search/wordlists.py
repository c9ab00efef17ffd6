"""Small word lists the analysis pipeline needs: stop words and the core
Finnish domain vocabulary the compound splitter starts from.

The core vocabulary is in base form. The splitter also learns every term seen
in the indexed documents, so this list only has to cover the words of the
domain that compounds are built from.
"""

STOPWORDS = {
    "fi": frozenset(
        """
        ja tai sekä eli on ovat oli ole olla ei että se ne jos kun mutta myös kuin joka jotka
        jonka joiden mikä mitä tämä nämä tuo nuo hän he me te niin vain jo nyt kanssa mm esim tms
        yms en et emme ette eivät olen olet olemme olette mä sä minulla sinulla mulla sulla
        minulle sinulle mulle sulle minua sinua mua sua
        """.split()
    ),
    "sv": frozenset(
        """
        och eller samt att det den de är var som en ett av för till på i med om men inte så har
        hade från vid vara ha jag du han hon vi ni min mitt mina din ditt dina vår vårt våra hur vad
        när vem där här
        """.split()
    ),
    "en": frozenset(
        """
        a an and or the of to in on at for with by from is are was were be been it its this that
        these those as not but if so into i me my we our you your he him his she her they them their
        what which who where when how am do does did have has had can could will would should about
        """.split()
    ),
}

# Base forms of the words Finnish social, health, school and NGO compounds are
# made of. Combining forms that are not words of their own (sosiaali-,
# varhais-, erityis-) are included because compounds start with them.
FINNISH_CORE_WORDS = frozenset(
    """
    perhe keskus mielenterveys mieli terveys terve palvelu päihde ongelma työ pari työpari
    malli neuvola lapsi lapsuus nuori nuoriso koulu kuraattori sosiaali asema hyvinvointi alue
    tiimi kunta toiminta yhteistyö yhteis ohjaus ohjaaja asiakas vastaava verkosto palaveri
    koti hoito hoitaja lääkäri psykologi tuki apu huoli kriisi ryhmä vanhempi äiti isä äitiys
    isyys väkivalta riippuvuus masennus ahdistus suojelu kasvatus varhais oppilas huolto
    opiskelija opiskelu työntekijä tekijä vastaanotto ajanvaraus kuntoutus vammais vammainen
    vanhus omainen sote sairaala päivystys hammas erityis neuvonta koulutus harrastus talous
    velka asunto asuminen työllisyys työttömyys kotoutuminen maahanmuuttaja seksuaali raskaus
    synnytys vauva lääke sairaus muisti kehitys vamma puhe terapia fysioterapia ravitsemus
    liikunta arki elämä tilanne polku ovi yhteys neuvo tieto paikka piste yksikkö klinikka
    poliklinikka osasto etsivä kynnys matala sairaan hoitotyö sosiaalityö perhetyö nuorisotyö
    kotipalvelu varhaiskasvatus päiväkoti esiopetus opetus oppilashuolto lastensuojelu
    vammaispalvelu kehitysvamma suun hammashoito mielenterveystyö päihdetyö ehkäisy ehkäisevä
    asiantuntija työryhmä kumppanuus järjestö seurakunta yhdistys säätiö kirjasto nuorisotila
    kohtaamo olohuone
    """.split()
)
