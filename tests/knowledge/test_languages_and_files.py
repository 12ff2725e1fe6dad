"""An article's language, detected and stored (the list's language filter works on it), and a new
article made from an uploaded file; another workspace's categories stay out of reach."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agent_platform.tenancy import workspace_scope
from knowledge import services
from knowledge.languages import detect_language
from knowledge.models import Article, ArticleFile
from tests.conftest import client_for
from tests.knowledge.conftest import run_indexing

RU = "<p>Мы доставляем заказы по всей России за три дня. Оплата картой при получении.</p>"
EN = "<p>We deliver orders across the country in three days, and you can pay by card.</p>"


@pytest.fixture
def api(owner, workspace, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return client_for(owner, workspace)


def test_a_language_is_detected_on_save_stored_and_filtered(api, workspace):
    ru = api.post("/api/knowledge/articles", {"title": "Доставка", "body": RU}, format="json").json()
    en = api.post("/api/knowledge/articles", {"title": "Delivery", "body": EN}, format="json").json()
    chosen = api.post(
        "/api/knowledge/articles", {"title": "Envíos", "body": EN, "language": "es"}, format="json"
    ).json()
    assert (ru["language"], ru["detected_language"]) == ("", "ru")  # shown before indexing
    assert (en["detected_language"], chosen["detected_language"]) == ("en", "es")
    run_indexing(workspace.pk)
    listed = api.get("/api/knowledge/articles").json()["results"]
    assert {a["id"]: a["detected_language"] for a in listed} == {ru["id"]: "ru", en["id"]: "en", chosen["id"]: "es"}
    assert [a["id"] for a in api.get("/api/knowledge/articles?language=ru").json()["results"]] == [ru["id"]]
    assert [a["id"] for a in api.get("/api/knowledge/articles?language=en").json()["results"]] == [en["id"]]
    changed = api.patch(f"/api/knowledge/articles/{en['id']}", {"body": RU}, format="json").json()
    assert changed["detected_language"] == "ru"


def test_an_articles_files_decide_its_language_once_indexed(api, workspace, owner):
    with workspace_scope(workspace.pk):
        article = services.article_create(workspace=workspace, actor=owner, title="Terms")
        services.article_file_upload(
            article=article, upload=SimpleUploadedFile("terms.txt", RU.strip("<p/>").encode()), actor=owner
        )
    assert Article.all_workspaces.get(pk=article.pk).detected_language == ""  # a title alone says nothing
    run_indexing(workspace.pk)
    assert Article.all_workspaces.get(pk=article.pk).detected_language == "ru"


def test_a_file_becomes_an_article_titled_after_it(api, kb, workspace):
    shipping = kb.category("Shipping")
    created = api.post(
        "/api/knowledge/articles/import-file",
        {
            "file": SimpleUploadedFile("returns_policy.md", b"# Returns\n\nUnused items come back within 30 days."),
            "categories": [shipping.pk],
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["title"] == "returns policy" and body["source"] == "file" and body["status"] == "published"
    assert body["categories"] == [shipping.pk]
    assert [f["name"] for f in body["files"]] == ["returns_policy.md"]
    run_indexing(workspace.pk)
    detail = api.get(f"/api/knowledge/articles/{body['id']}").json()
    assert detail["files"][0]["index"]["state"] == "ready" and detail["detected_language"] == "en"
    hits = api.get("/api/knowledge/search", {"q": "return unused items"}).json()["results"]
    assert hits[0]["file_name"] == "returns_policy.md"


def test_a_rejected_file_creates_no_article(api):
    rejected = api.post(
        "/api/knowledge/articles/import-file", {"file": SimpleUploadedFile("tool.exe", b"MZ")}, format="multipart"
    )
    assert rejected.status_code == 400 and rejected.json()["code"] == "file_rejected"
    assert not Article.all_workspaces.exists() and not ArticleFile.all_workspaces.exists()


def test_other_workspaces_are_out_of_reach(api, other_kb, workspace, stranger):
    theirs = other_kb.category("Theirs")
    upload = SimpleUploadedFile("notes.txt", b"Gift cards last one year.")
    linked = api.post(
        "/api/knowledge/articles/import-file", {"file": upload, "categories": [theirs.pk]}, format="multipart"
    )
    assert linked.status_code == 400 and not Article.all_workspaces.filter(workspace=workspace).exists()
    outsider = client_for(stranger, workspace).post(
        "/api/knowledge/articles/import-file", {"file": SimpleUploadedFile("notes.txt", b"x")}, format="multipart"
    )
    assert outsider.status_code == 404
    assert not Article.all_workspaces.filter(workspace=workspace).exists()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Unused items come back within 30 days.", "en"),
        ("We ship from our warehouse on Mondays.", "en"),
        ("Мы доставляем заказы.", "ru"),
        ("Los pedidos se envían en dos días por la mañana.", "es"),
        ("As encomendas são enviadas em dois dias para a sua casa.", "pt"),
        ("SKU-12345", ""),
    ],
)
def test_short_texts_are_detected(text, language):
    assert detect_language(text) == language
