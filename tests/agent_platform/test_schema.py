import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning or error into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "application/problem+json" in (tmp_path / "schema.yml").read_text()


def test_schema_and_swagger_ui_are_served_without_login(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/auth/login" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html  # served locally: the UI must work offline


def test_swagger_assets_are_served_locally(client):
    html = client.get("/api/docs/").content.decode()
    import re

    bundle = re.search(r'src="([^"]*swagger-ui-bundle\.js)"', html)
    assert bundle, html[:500]
    assert client.get(bundle.group(1)).status_code == 200


def test_problem_statuses_the_api_can_answer_are_documented(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    # Conflicts raised by writes: last_owner (membership change), member_exists (invite), category_name_taken.
    assert "409" in paths["/api/workspaces/{workspace_id}/members/{id}"]["patch"]["responses"]
    assert "409" in paths["/api/knowledge/categories"]["post"]["responses"]
    # A malformed query parameter (e.g. a NUL character) is a 400 on a read too.
    assert "400" in paths["/api/user/profile"]["get"]["responses"]
    # The page a URL import names failing is no failure of ours: 422, documented there only.
    assert "422" in paths["/api/knowledge/articles/import-url"]["post"]["responses"]
    assert "502" not in paths["/api/knowledge/categories"]["post"]["responses"]
