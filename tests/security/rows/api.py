"""Rows of the authorization matrix for the REST API's operations.

The API's rule (see its OpenAPI description): 401 without a valid caller, 403 when the
caller's role may not use an operation at all, 404 for an object the caller may not see.
"""

from __future__ import annotations

from tests.security.matrix import (
    OBJECT_VARIANTS,
    PROFILE_EXPECT,
    ROLES,
    Row,
    application_path,
    community,
    everyone,
    managers,
    member_path,
    signed_in,
    skill_path,
    static,
)

APPLICATION = {
    "name": "Matrix Applicant",
    "email": "matrix-applicant@example.com",
    "password": "a long and unusual passphrase",
    "headline": "Tester",
    "skills": ["Python"],
    "why": "I want to check who may apply through the API.",
}

DECISIONS: dict[str, Row] = {
    "GET /api/v1/me": Row("GET", static("/api/v1/me"), signed_in("ok", anonymous="401"), api=True),
    "PATCH /api/v1/me": Row(
        "PATCH",
        static("/api/v1/me"),
        {**signed_in("403", anonymous="401"), "applicant": "ok", "member": "ok"},
        data={"headline": "Matrix"},
        api=True,
    ),
    "GET /api/v1/members": Row(
        "GET",
        static("/api/v1/members"),
        community("ok", applicant="403", anonymous="401"),
        api=True,
    ),
    "GET /api/v1/members/{member_id}": Row(
        "GET",
        lambda w, r, v: f"/api/v1/members/{member_path(w, r, v)}",
        PROFILE_EXPECT,
        variants=OBJECT_VARIANTS,
        api=True,
    ),
    "GET /api/v1/skills": Row("GET", static("/api/v1/skills?q=pyth"), everyone("ok"), api=True),
    # The world's skill is a pending one: only managers see pending skills.
    "GET /api/v1/skills/{skill_id}": Row(
        "GET",
        lambda w, r, v: f"/api/v1/skills/{skill_path(w, r, v)}",
        managers({"foreign": "ok", "missing": "404"}, anonymous="404"),
        variants=("foreign", "missing"),
        api=True,
    ),
    "POST /api/v1/applications": Row(
        "POST",
        static("/api/v1/applications"),
        signed_in("403", anonymous="ok"),
        data=APPLICATION,
        api=True,
    ),
    "GET /api/v1/applications": Row(
        "GET",
        static("/api/v1/applications"),
        managers("ok", others="403", anonymous="401"),
        api=True,
    ),
    # The world's application is the applicant's own: they may read it, not decide it.
    "GET /api/v1/applications/{application_id}": Row(
        "GET",
        lambda w, r, v: f"/api/v1/applications/{application_path(w, r, v)}",
        {
            **managers({"foreign": "ok", "missing": "404"}, anonymous="401"),
            "applicant": {"foreign": "ok", "missing": "404"},
        },
        variants=("foreign", "missing"),
        api=True,
    ),
    "POST /api/v1/applications/{application_id}/decision": Row(
        "POST",
        lambda w, r, v: f"/api/v1/applications/{application_path(w, r, v)}/decision",
        managers({"foreign": "ok", "missing": "404"}, anonymous="401"),
        variants=("foreign", "missing"),
        data={"decision": "waitlist", "reason": "Checking who may decide."},
        api=True,
    ),
}

assert all(set(row.expect) == set(ROLES) for row in DECISIONS.values())
