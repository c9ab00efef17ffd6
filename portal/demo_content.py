"""Texts of the site shell's demo pages, per language.

Written for this project; the block structure matches portal.blocks.BodyBlock.
"""


def p(html):
    return {"type": "paragraph", "value": html}


def h2(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


HOME = {
    "fi": {
        "title": "Ovi – yksi ovi palveluihin",
        "intro": (
            "Ovi kokoaa yhteen sen, miten sosiaali- ja terveyspalvelut, koulut, varhaiskasvatus "
            "ja järjestöt tekevät työtä yhdessä, ja sen, keitä alueella toimii."
        ),
        "body": [
            h2("Kenelle Ovi on tehty"),
            p(
                "<p>Ammattilainen löytää Ovesta toisten alojen työntekijät ja palvelut omalta "
                "alueeltaan. Kehittäjä kuvaa Oveen toimintamallin, jonka muut voivat ottaa käyttöön. "
                "Asukas saa tietää, mihin yhteen paikkaan hän voi ottaa yhteyttä, kun elämässä on huoli.</p>"
            ),
            h2("Yhden oven periaate"),
            p(
                "<p>Asukkaan ei tarvitse tietää, mikä palvelu hänelle kuuluu. Yksi yhteydenotto "
                "riittää: työntekijä kokoaa tarvittavan avun ympärille ja kertoo, mitä seuraavaksi "
                "tapahtuu.</p>"
            ),
        ],
    },
    "sv": {
        "title": "Ovi – en dörr till tjänsterna",
        "intro": (
            "Ovi samlar hur social- och hälsovården, skolorna, småbarnspedagogiken och "
            "organisationerna arbetar tillsammans, och vilka aktörer som finns i området."
        ),
        "body": [
            h2("För vem är Ovi gjord"),
            p(
                "<p>Yrkespersoner hittar kolleger och tjänster inom andra sektorer i sitt område. "
                "Utvecklare beskriver verksamhetsmodeller som andra kan ta i bruk. Invånare får veta "
                "vart de kan vända sig först när de har en oro.</p>"
            ),
            h2("En dörr-principen"),
            p(
                "<p>Invånaren behöver inte veta vilken tjänst som är den rätta. En kontakt räcker: "
                "arbetstagaren samlar den hjälp som behövs och berättar vad som händer sedan.</p>"
            ),
        ],
    },
    "en": {
        "title": "Ovi – one door to services",
        "intro": (
            "Ovi brings together how social and health services, schools, early childhood "
            "education and NGOs work as a team, and who works in each area."
        ),
        "body": [
            h2("Who Ovi is for"),
            p(
                "<p>Professionals find colleagues and services from other sectors in their area. "
                "Development teams describe operating models that others can adopt. Residents learn "
                "which one place to contact first when something worries them.</p>"
            ),
            h2("The one-door principle"),
            p(
                "<p>Residents do not need to know which service is the right one. One contact is "
                "enough: the worker gathers the help that is needed and explains what happens next.</p>"
            ),
        ],
    },
}

ABOUT = {
    "fi": {
        "title": "Tietoa Ovesta",
        "slug": "tietoa",
        "intro": "Ovi on hyvinvointialueiden, kuntien ja järjestöjen yhteinen tietopalvelu.",
        "body": [
            p(
                "<p>Hyvinvointialueilla sosiaali- ja terveyspalveluja kehitetään niin, että asukas "
                "saisi avun yhdestä paikasta ja eri alojen ammattilaiset tuntisivat toisensa. Tieto "
                "toimintamalleista ja tieto palveluista ovat kuitenkin olleet eri paikoissa. Ovi "
                "tuo ne samaan palveluun.</p>"
            ),
            h2("Demoaineisto"),
            p(
                "<p>Tämän sivuston sisältö on esittelyaineistoa. Henkilöt, puhelinnumerot ja "
                "aukioloajat ovat keksittyjä. Älä ota niihin yhteyttä. Hätätilanteessa soita 112.</p>"
            ),
        ],
    },
    "sv": {
        "title": "Om Ovi",
        "slug": "om-ovi",
        "intro": "Ovi är en gemensam informationstjänst för välfärdsområden, kommuner och organisationer.",
        "body": [
            p(
                "<p>Välfärdsområdena utvecklar social- och hälsovården så att invånaren får hjälp "
                "från ett ställe och yrkespersoner från olika sektorer känner varandra. Kunskapen om "
                "verksamhetsmodeller och om tjänster har ändå funnits på olika ställen. Ovi för ihop dem.</p>"
            ),
            h2("Demomaterial"),
            p(
                "<p>Innehållet på den här webbplatsen är demomaterial. Personer, telefonnummer och "
                "öppettider är påhittade. Kontakta dem inte. Ring 112 i nödsituationer.</p>"
            ),
        ],
    },
    "en": {
        "title": "About Ovi",
        "slug": "about",
        "intro": "Ovi is a shared information service for wellbeing services counties, municipalities and NGOs.",
        "body": [
            p(
                "<p>Wellbeing services counties are developing social and health services so that "
                "residents get help from one place and professionals from different sectors know "
                "each other. Knowledge of operating models and of services has lived in separate "
                "places. Ovi brings them together.</p>"
            ),
            h2("Demo content"),
            p(
                "<p>The content of this site is demonstration material. People, phone numbers and "
                "opening hours are fictional. Do not contact them. In an emergency, call 112.</p>"
            ),
        ],
    },
}

ACCESSIBILITY = {
    "fi": {
        "title": "Saavutettavuusseloste",
        "slug": "saavutettavuusseloste",
        "intro": "Tämä seloste koskee Ovi-verkkopalvelua ja on laadittu digitaalisten palvelujen tarjoamisesta annetun lain (306/2019) mukaisesti.",
        "body": [
            h2("Saavutettavuuden tila"),
            p(
                "<p>Tavoitteena on, että palvelu täyttää WCAG 2.1 -ohjeiden AA-tason vaatimukset. "
                "Palvelu on arvioitu kehitystiimin omana arviona: sivut on tarkistettu "
                "näppäimistöllä, ruudunlukijan kannalta olennaiset rakenteet on testattu "
                "automaattisesti ja värien kontrastit on mitattu.</p>"
            ),
            h2("Mitä olemme tehneet"),
            p(
                "<ul><li>Sivuilla on ohituslinkki suoraan sisältöön ja selkeät otsikkotasot.</li>"
                "<li>Kaikki toiminnot toimivat näppäimistöllä, ja kohdistus näkyy selvästi.</li>"
                "<li>Sivut toimivat myös ilman JavaScriptiä.</li>"
                "<li>Kieli on merkitty jokaiselle sivulle, ja palvelu on saatavilla suomeksi, ruotsiksi ja englanniksi.</li></ul>"
            ),
            h2("Valvontaviranomainen"),
            p(
                "<p>Jos huomaat saavutettavuusongelmia, anna ensin palautetta sivuston ylläpitäjälle. "
                "Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden viikon "
                "aikana, voit tehdä ilmoituksen saavutettavuusvaatimusten valvontaviranomaiselle. "
                "Ohjeet ovat osoitteessa saavutettavuusvaatimukset.fi.</p>"
            ),
        ],
    },
    "sv": {
        "title": "Tillgänglighetsutlåtande",
        "slug": "tillganglighetsutlatande",
        "intro": "Detta utlåtande gäller webbtjänsten Ovi och har utarbetats enligt lagen om tillhandahållande av digitala tjänster (306/2019).",
        "body": [
            h2("Tillgänglighetsstatus"),
            p(
                "<p>Målet är att tjänsten uppfyller nivå AA i WCAG 2.1. Tjänsten har bedömts av "
                "utvecklingsteamet: sidorna har granskats med tangentbord, strukturer som är viktiga "
                "för skärmläsare har testats automatiskt och färgkontrasterna har mätts.</p>"
            ),
            h2("Vad vi har gjort"),
            p(
                "<ul><li>Sidorna har en länk som hoppar direkt till innehållet och tydliga rubriknivåer.</li>"
                "<li>Alla funktioner fungerar med tangentbord och fokus syns tydligt.</li>"
                "<li>Sidorna fungerar också utan JavaScript.</li>"
                "<li>Språket är angivet på varje sida och tjänsten finns på finska, svenska och engelska.</li></ul>"
            ),
            h2("Tillsynsmyndighet"),
            p(
                "<p>Om du märker tillgänglighetsproblem, ge först respons till webbplatsens "
                "administratör. Om du inte är nöjd med svaret eller inte får svar inom två veckor "
                "kan du anmäla saken till tillsynsmyndigheten för tillgänglighetskraven. "
                "Anvisningar finns på webbplatsen tillganglighetskrav.fi.</p>"
            ),
        ],
    },
    "en": {
        "title": "Accessibility statement",
        "slug": "accessibility",
        "intro": "This statement covers the Ovi web service and follows the Finnish Act on the Provision of Digital Services (306/2019).",
        "body": [
            h2("Compliance status"),
            p(
                "<p>The service aims to meet level AA of WCAG 2.1. It has been assessed by the "
                "development team: pages were checked with a keyboard, structures that matter to "
                "screen readers were tested automatically and colour contrast was measured.</p>"
            ),
            h2("What we have done"),
            p(
                "<ul><li>Pages have a skip link straight to the content and a clear heading structure.</li>"
                "<li>Everything works with a keyboard and the focus is clearly visible.</li>"
                "<li>Pages also work without JavaScript.</li>"
                "<li>Each page declares its language, and the service is available in Finnish, Swedish and English.</li></ul>"
            ),
            h2("Enforcement"),
            p(
                "<p>If you notice an accessibility problem, first give feedback to the site's "
                "maintainer. If you are not satisfied with the reply or get no reply within two "
                "weeks, you can report it to the authority that supervises accessibility "
                "requirements. Instructions are at webaccessibility.fi.</p>"
            ),
        ],
    },
}

PRIVACY = {
    "fi": {
        "title": "Tietosuoja",
        "slug": "tietosuoja",
        "intro": "Ovi ei seuraa käyttäjiään eikä käytä mainos- tai analytiikkaevästeitä.",
        "body": [
            h2("Mitä tietoja käsittelemme"),
            p(
                "<p>Selaamiseen ei tarvita kirjautumista. Sivusto käyttää vain toiminnan kannalta "
                "välttämättömiä evästeitä: kieliasetuksen, lomakkeiden suojauksen sekä kirjautuneiden "
                "ammattilaisten ja ylläpitäjien istunnon.</p>"
            ),
            p(
                "<p>Ammattilaisten yhteystiedot näytetään vain kirjautuneille ammattilaisille. "
                "Palveluja ja toimintamalleja ylläpitävien käyttäjien nimet tallentuvat muutoshistoriaan.</p>"
            ),
            h2("Oikeutesi"),
            p(
                "<p>Sinulla on oikeus tarkastaa sinusta tallennetut tiedot, pyytää niiden "
                "korjaamista tai poistamista ja tehdä valitus tietosuojavaltuutetulle.</p>"
            ),
        ],
    },
    "sv": {
        "title": "Dataskydd",
        "slug": "dataskydd",
        "intro": "Ovi spårar inte sina användare och använder inga reklam- eller analyskakor.",
        "body": [
            h2("Vilka uppgifter vi behandlar"),
            p(
                "<p>Det behövs ingen inloggning för att surfa. Webbplatsen använder bara nödvändiga "
                "kakor: språkval, skydd av formulär samt sessionen för inloggade yrkespersoner och "
                "administratörer.</p>"
            ),
            p(
                "<p>Yrkespersoners kontaktuppgifter visas bara för inloggade yrkespersoner. Namnen på "
                "användare som uppdaterar tjänster och verksamhetsmodeller sparas i versionshistoriken.</p>"
            ),
            h2("Dina rättigheter"),
            p(
                "<p>Du har rätt att granska uppgifter om dig, begära att de rättas eller raderas och "
                "att lämna klagomål till dataombudsmannen.</p>"
            ),
        ],
    },
    "en": {
        "title": "Privacy",
        "slug": "privacy",
        "intro": "Ovi does not track its users and uses no advertising or analytics cookies.",
        "body": [
            h2("What we process"),
            p(
                "<p>Browsing needs no login. The site uses only strictly necessary cookies: the "
                "language choice, form protection, and the session of logged-in professionals and "
                "editors.</p>"
            ),
            p(
                "<p>Professionals' contact details are shown only to logged-in professionals. The "
                "names of users who maintain services and operating models are kept in the revision "
                "history.</p>"
            ),
            h2("Your rights"),
            p(
                "<p>You have the right to see the data stored about you, to ask for it to be "
                "corrected or erased, and to complain to the Data Protection Ombudsman.</p>"
            ),
        ],
    },
}
