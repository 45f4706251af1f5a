"""The OpenAPI document: served to anyone, and it lists every operation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/me"): "me_get",
    ("patch", "/api/v1/me"): "me_update",
    ("get", "/api/v1/members"): "members_list",
    ("get", "/api/v1/members/{member_id}"): "members_get",
    ("get", "/api/v1/skills"): "skills_list",
    ("get", "/api/v1/skills/{skill_id}"): "skills_get",
    ("post", "/api/v1/applications"): "applications_create",
    ("get", "/api/v1/applications"): "applications_list",
    ("get", "/api/v1/applications/{application_id}"): "applications_get",
    ("post", "/api/v1/applications/{application_id}/decision"): "applications_decide",
}


def test_the_openapi_document_lists_the_member_and_admission_operations() -> None:
    # Each area's tests check their own operations; the authorization matrix checks that
    # every operation in this document has a row.
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Townsquare API"
    assert schema["info"]["version"] == "1"
    found = {
        (method, path): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert OPERATIONS.items() <= found.items()
    assert len(set(found.values())) == len(found), "operation ids must be unique"


def test_the_document_describes_both_ways_to_authenticate_and_the_error_rule() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["BearerToken"]["description"],
    }
    assert schemes["BrowserSession"]["in"] == "cookie"
    for code in ("401", "403", "404", "422", "429"):
        assert f"`{code}`" in schema["info"]["description"]
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {} not in me["security"]  # needs a caller
    member = schema["paths"]["/api/v1/members/{member_id}"]["get"]
    assert {} in member["security"]  # public profiles answer anonymous callers


def test_errors_are_documented_with_their_shape() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    patch = schema["paths"]["/api/v1/me"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "422"} <= set(patch)
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"detail", "errors"}
