"""Every Ovi API answers an error in one shape (search.json_api):
{"error": {"code", "message"}}, with `fields` when parameters were bad."""

import pytest


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/search?colour=red", 400, "invalid_parameters"),
        ("/api/v1/suggest?q=perhe&limit=3", 400, "invalid_parameters"),
        ("/api/v1/doors?situation=x&lang=de", 400, "unknown_language"),
        ("/api/hsds/services/?page=x", 400, "invalid_parameter"),
        ("/api/hsds/services/00000000-0000-0000-0000-000000000000/", 404, "not_found"),
    ],
)
def test_every_api_answers_errors_in_one_shape(client, db, url, status, code):
    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if code == "invalid_parameters":
        assert error["fields"] and all(messages for messages in error["fields"].values())
