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
    # The required parts of the statement (the service, compliance status, non-accessible
    # content, how it was prepared, feedback and the supervisory authority) are rendered
    # from portal/accessibility.py before this body, so a test can keep them true.
    "fi": {
        "title": "Saavutettavuusseloste",
        "slug": "saavutettavuusseloste",
        "intro": (
            "Haluamme, että kuka tahansa voi käyttää Ovea. Tämä seloste kertoo, miten Ovi täyttää "
            "digitaalisten palvelujen tarjoamisesta annetun lain (306/2019) vaatimukset, mitä "
            "puutteita siinä vielä on ja miten voit antaa palautetta."
        ),
        "body": [
            h2("Mitä olemme tehneet"),
            p(
                "<ul><li>Sivuilla on ohituslinkki suoraan sisältöön ja selkeät otsikkotasot.</li>"
                "<li>Kaikki toiminnot toimivat näppäimistöllä, ja kohdistus näkyy selvästi.</li>"
                "<li>Sivut toimivat myös ilman JavaScriptiä ja 320 pikselin levyisellä näytöllä.</li>"
                "<li>Lomakkeen virheet kootaan lomakkeen alkuun, ja jokainen virhe on merkitty kenttäänsä.</li>"
                "<li>Kartoilla näkyvät paikat ovat myös tekstinä luettelossa kartan vieressä.</li>"
                "<li>Sivujen kieli on merkitty, samoin muunkieliset tekstinosat, ja palvelu on saatavilla "
                "suomeksi, ruotsiksi ja englanniksi.</li></ul>"
            ),
        ],
    },
    "sv": {
        "title": "Tillgänglighetsutlåtande",
        "slug": "tillganglighetsutlatande",
        "intro": (
            "Vi vill att alla ska kunna använda Ovi. Detta utlåtande berättar hur Ovi uppfyller kraven "
            "i lagen om tillhandahållande av digitala tjänster (306/2019), vilka brister som finns kvar "
            "och hur du kan ge respons."
        ),
        "body": [
            h2("Vad vi har gjort"),
            p(
                "<ul><li>Sidorna har en länk som hoppar direkt till innehållet och tydliga rubriknivåer.</li>"
                "<li>Alla funktioner fungerar med tangentbord och fokus syns tydligt.</li>"
                "<li>Sidorna fungerar också utan JavaScript och på en skärm som är 320 pixlar bred.</li>"
                "<li>Felen i ett formulär samlas i början av formuläret, och varje fel är kopplat till sitt fält.</li>"
                "<li>Platserna på kartorna finns också som text i en lista bredvid kartan.</li>"
                "<li>Sidornas språk är angivet, liksom textavsnitt på andra språk, och tjänsten finns på "
                "finska, svenska och engelska.</li></ul>"
            ),
        ],
    },
    "en": {
        "title": "Accessibility statement",
        "slug": "accessibility",
        "intro": (
            "We want everyone to be able to use Ovi. This statement tells how Ovi meets the requirements "
            "of the Act on the Provision of Digital Services (306/2019), which shortcomings remain and "
            "how you can give feedback."
        ),
        "body": [
            h2("What we have done"),
            p(
                "<ul><li>Pages have a skip link straight to the content and a clear heading structure.</li>"
                "<li>Everything works with a keyboard and the focus is clearly visible.</li>"
                "<li>Pages also work without JavaScript and on a screen 320 pixels wide.</li>"
                "<li>The errors of a form are gathered at its top, and each error is tied to its field.</li>"
                "<li>The places shown on maps are also listed as text beside the map.</li>"
                "<li>Each page declares its language, as do passages in another language, and the service "
                "is available in Finnish, Swedish and English.</li></ul>"
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
