"""Bad input to the API gets the one error shape naming the field, never a 500."""

import pytest

from insuredesk.tests.factories import PASSWORD


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message", "details"} <= set(body["error"])
    return body["error"]


@pytest.mark.django_db
def test_malformed_json_is_400_with_the_error_shape(client):
    response = client.post("/api/v1/auth/token", data="{bad", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_json"


@pytest.mark.django_db
def test_a_body_that_is_not_json_is_415_naming_the_content_type(client):
    response = client.post("/api/v1/auth/token", data="username=a", content_type="text/plain")
    assert response.status_code == 415
    assert error_of(response)["details"]["field"] == "Content-Type"


def test_unknown_fields_are_refused_by_name(client, alice):
    response = client.post(
        "/api/v1/auth/token",
        content_type="application/json",
        data={"username": "alice", "password": PASSWORD, "colour": "red"},
    )
    assert response.status_code == 422
    assert error_of(response)["details"]["field"] == "colour"


def test_a_value_out_of_its_range_names_the_field(client, alice, auth_headers):
    response = client.patch(
        "/api/v1/me",
        data={"language": "fr"},
        content_type="application/json",
        headers=auth_headers(alice.user),
    )
    assert response.status_code == 422
    assert error_of(response)["details"]["field"] == "language"


@pytest.mark.django_db
def test_an_unknown_endpoint_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.django_db
def test_a_bad_token_is_401_with_the_error_shape(client):
    response = client.get("/api/v1/policies", headers={"Authorization": "Bearer idk_forged"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in schema["paths"]
    assert "/api/v1/policies" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/policies", "/api/v1/letters"])
@pytest.mark.parametrize("param", ["limit", "offset"])
def test_a_page_position_past_64_bits_is_422_naming_it_not_a_500(
    client, alice, auth_headers, path, param
):
    response = client.get(path, {param: str(2**64)}, headers=auth_headers(alice.user))
    assert response.status_code == 422
    assert error_of(response)["details"]["field"] == param


@pytest.mark.parametrize(
    ("location", "field"),
    [
        (("body", "payload", "amount"), "amount"),
        (("body", "payload", "body"), "body"),
        (("body", "payload", "items", 0, "amount"), "items.0.amount"),
        (("query", "limit"), "limit"),
        (("path", "message_id"), "message_id"),
    ],
)
def test_the_field_named_in_an_error_is_the_clients_name_even_when_it_is_called_body(
    location, field
):
    from insuredesk.api import _field_name

    assert _field_name(location) == field
