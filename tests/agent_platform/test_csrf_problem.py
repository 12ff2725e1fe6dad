"""A POST under /api/ that no API view takes is the API's 404 problem, never Django's CSRF page;
a CSRF refusal elsewhere under /api/ is a problem too (schemathesis found the HTML 403s)."""

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_post_to_an_unmatched_api_address_is_a_problem_404(owner):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/conversations/0.5/close")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_a_csrf_refusal_under_the_api_is_a_problem(rf):
    from agent_platform.api.problems import csrf_failure

    response = csrf_failure(rf.post("/api/anything"), reason="CSRF cookie not set.")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["code"] == "csrf_failed"
    admin = csrf_failure(rf.post("/admin/login/"), reason="CSRF cookie not set.")
    assert admin.status_code == 403 and admin["Content-Type"].startswith("text/html")
