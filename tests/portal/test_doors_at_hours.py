"""Issue 13: the door finder knows the clock (at=), offers help that is open when the door
is closed, shows the wider door beneath the local one, gives the responsible county's
contact when nothing is registered, and says whose place it shows."""

import datetime

import pytest
from bs4 import BeautifulSoup

from directory.hours import HELSINKI
from portal.models import PathwayPage
from portal.pathways import parse_moment

pytestmark = pytest.mark.django_db

ELDERLY = "ikaantyneen-kotona-asuminen"
SATURDAY_EVENING = "2026-12-05T20:00"  # a Saturday, Helsinki time
LOCAL_DOOR = "Kontiolahden ikäihmisten palveluohjaus ja kotihoito"
COUNTY_DOOR = "Ikäihmisten neuvonta, Pohjois-Karjala"
SOCIAL_EMERGENCY = "Sosiaalipäivystys, Pohjois-Karjala"
HELPLINE = "Päivystysapu 116117"


def pathway_url(situation, language="fi"):
    return PathwayPage.objects.get(life_situation__slug=situation, locale__language_code=language).url


def html(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def api(client, **params):
    return client.get("/api/v1/doors", {"situation": ELDERLY, **params})


# at= parsing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-05T20:00", datetime.datetime(2026, 12, 5, 20, 0, tzinfo=HELSINKI)),
        ("2026-12-05T20:00:30", datetime.datetime(2026, 12, 5, 20, 0, 30, tzinfo=HELSINKI)),
        ("2026-12-05T18:00Z", datetime.datetime(2026, 12, 5, 20, 0, tzinfo=HELSINKI)),
        ("2026-12-05T20:00+02:00", datetime.datetime(2026, 12, 5, 20, 0, tzinfo=HELSINKI)),
        ("2026-07-04T20:00", datetime.datetime(2026, 7, 4, 20, 0, tzinfo=HELSINKI)),  # summer time
    ],
)
def test_a_moment_is_read_as_helsinki_time_unless_it_says_otherwise(value, expected):
    moment, error = parse_moment(value)
    assert not error
    assert moment == expected


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-05",
        "2026-12-05 20:00",
        "20:00",
        "2026-02-30T10:00",
        "2026-12-05T25:00",
        "tomorrow",
        "2026-12-05T20:00+2",
    ],
)
def test_anything_else_is_not_a_moment(value):
    assert parse_moment(value) == (None, True)


def test_no_moment_means_now():
    assert parse_moment("") == (None, False)


# The API ----------------------------------------------------------------------------------


def test_api_at_saturday_evening_gives_the_closed_door_and_the_help_open_then(client, demo):
    body = api(client, postal_code="81100", at=SATURDAY_EVENING).json()

    assert body["at"].startswith("2026-12-05T20:00:00+02:00")
    assert [door["name"] for door in body["doors"]] == [LOCAL_DOOR]
    status = body["doors"][0]["open_status"]
    assert status["state"] == "closed" and not status["is_open"]
    assert status["opens_at"].startswith("2026-12-07T08:00")  # Monday morning
    assert body["door_open"] is False

    after_hours = body["after_hours"]
    names = [service["name"] for service in after_hours["services"]]
    assert names[0] == SOCIAL_EMERGENCY  # the county's before the national
    assert HELPLINE in names
    assert all(service["open_status"]["is_open"] for service in after_hours["services"])
    assert after_hours["emergency_number"] == "112"
    assert after_hours["may_be_acute"] is False
    assert "professional" not in after_hours["services"][0]  # anonymous: public data only

    assert body["more_doors"]["scope"] == "county"
    assert [door["name"] for door in body["more_doors"]["doors"]] == [COUNTY_DOOR]
    assert body["responsible_organisations"] is None  # a door exists


def test_api_on_a_weekday_morning_the_door_is_open_and_no_after_hours_help_is_given(client, demo):
    body = api(client, postal_code="81100", at="2026-12-07T10:00").json()

    status = body["doors"][0]["open_status"]
    assert status["state"] == "open"
    assert status["closes_at"].startswith("2026-12-07T16:00")
    assert body["door_open"] is True
    assert body["after_hours"] is None
    # The fields older clients read are still there.
    assert {"situation", "place", "scope", "doors", "next_steps", "pathway_url"} <= set(body)


def test_api_refuses_a_moment_it_cannot_read(client, demo):
    response = api(client, postal_code="81100", at="next saturday")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_at"


def test_api_gives_the_responsible_county_when_nothing_is_registered(client, demo):
    body = api(client, postal_code="99800", at=SATURDAY_EVENING).json()

    assert body["scope"] == "none" and body["doors"] == []
    county = body["responsible_organisations"]["county"]
    assert county["name"] == "Lapin hyvinvointialue"
    assert county["website"] == "https://lapha.fi"
    assert body["responsible_organisations"]["municipality"]["name"] == "Inarin kunta"
    # The medical helpline serves the whole country, Lapland too.
    assert HELPLINE in [service["name"] for service in body["after_hours"]["services"]]


# The page ---------------------------------------------------------------------------------


def test_page_at_saturday_evening(client, demo):
    soup = html(client.get(pathway_url(ELDERLY), {"postal_code": "81100", "at": SATURDAY_EVENING}))

    door = soup.select_one(".your-door > .door")
    assert LOCAL_DOOR in door.select_one(".door__title").get_text()
    status = door.select_one(".door__status").get_text(" ", strip=True)
    assert "Suljettu tuolloin" in status and "08:00" in status
    assert "nyt" not in status  # the answer is for Saturday evening, not for the moment of reading
    after_hours = soup.select_one(".after-hours").get_text(" ", strip=True)
    assert SOCIAL_EMERGENCY in after_hours and "116117" in after_hours and "112" in after_hours
    assert COUNTY_DOOR in soup.select_one(".more-doors").get_text()
    assert "20:00" in soup.select_one(".your-door__moment").get_text()


def test_page_says_whose_place_it_shows_and_how_to_change_it(client, demo):
    soup = html(client.get(pathway_url(ELDERLY), {"postal_code": "81100"}))

    place = soup.select_one(".your-door__place")
    assert "Näytetään: 81100 Kontiolahti" in place.get_text(" ", strip=True)
    change = place.select_one("a.your-door__change")["href"]
    assert "postal_code=81100" in change and f"situation={ELDERLY}" in change

    form = html(client.get(change))  # the door finder, filled in, not a redirect
    assert form.select_one("#postal-code")["value"] == "81100"
    assert form.select_one(f"input[value={ELDERLY}]").has_attr("checked")
    assert "Apua tarvitsevan henkilön postinumero" in form.select_one("label[for=postal-code]").get_text()


def test_page_with_an_unreadable_moment_says_so_and_shows_now(client, demo):
    soup = html(client.get(pathway_url(ELDERLY), {"postal_code": "81100", "at": "lauantaina"}))

    assert soup.select_one(".your-door .field-error")
    assert soup.select_one(".your-door > .door")


def test_page_gives_the_county_contact_where_nothing_is_registered(client, demo):
    soup = html(client.get(pathway_url(ELDERLY), {"postal_code": "99800"}))

    notice = soup.select_one(".your-door .notice")
    assert "Lapin hyvinvointialue" in notice.get_text()
    assert notice.select_one('a[href="https://lapha.fi"]')
