"""The SPA's index.html answers every browser route; API, admin and file-like paths do not get it."""

from __future__ import annotations

import pytest

from agent_platform import spa

INDEX = "<!doctype html><title>spa</title><div id=root></div>"


@pytest.fixture
def built(settings, tmp_path):
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text(INDEX)
    settings.FRONTEND_DIST = tmp_path / "dist"
    settings.STATIC_ROOT = tmp_path / "static"
    spa._cached_index.cache_clear()
    yield
    spa._cached_index.cache_clear()


class CatchAllTests:
    @pytest.mark.parametrize("path", ["/", "/login", "/agents/12", "/settings/", "/reset-password?token=abc"])
    def test_browser_routes_get_the_index(self, client, built, path):
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert response.content.decode() == INDEX
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

    @pytest.mark.parametrize("path", ["/api/nope", "/api/", "/foo.js", "/agents/logo.png"])
    def test_api_and_file_like_paths_answer_the_problem_404(self, client, built, path):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not_found"

    def test_admin_is_not_swallowed(self, client, built):
        assert client.get("/admin/login/").status_code == 200
        assert client.get("/admin").status_code == 301

    def test_api_routes_still_answer(self, client, built):
        assert client.post("/api/auth/login", {}, content_type="application/json").status_code == 400

    def test_only_safe_methods(self, client, built):
        assert client.post("/login").status_code == 405

    def test_without_a_build_a_page_says_how_to_build(self, client, settings, tmp_path):
        settings.FRONTEND_DIST = tmp_path / "missing"
        settings.STATIC_ROOT = tmp_path / "missing-too"
        spa._cached_index.cache_clear()
        response = client.get("/")
        assert response.status_code == 503
        assert b"npm run build" in response.content

    def test_index_after_collectstatic_is_used_when_dist_is_gone(self, client, settings, tmp_path):
        settings.FRONTEND_DIST = tmp_path / "missing"
        settings.STATIC_ROOT = tmp_path
        (tmp_path / "index.html").write_text(INDEX)
        spa._cached_index.cache_clear()
        assert client.get("/agents").content.decode() == INDEX
        spa._cached_index.cache_clear()
