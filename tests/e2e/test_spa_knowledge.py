"""The knowledge page in real Chromium against Daphne and a real Celery worker: files uploaded from the
page become articles (titled after them, in the chosen category) and get indexed live, in their
detected language; search labels what it finds and says "No results" for an off-topic query; a web
page the server may not fetch is refused in the import dialog with the reason."""

from __future__ import annotations

import pytest

from tests.accounts.factories import UserFactory, WorkspaceFactory
from tests.e2e.conftest import log_in, screenshot
from tests.knowledge.factories import CategoryFactory

pytestmark = pytest.mark.django_db(transaction=True)

RETURNS = b"""# Returns

You can return any unused item within 30 days of delivery. The refund goes back to your card
within 5 business days.
"""
WARRANTY = "Гарантия на все товары — два года с момента доставки. Ремонт по гарантии бесплатный.".encode()


@pytest.fixture
def owner():
    return UserFactory(prefix="kb-upload", verified=True)


@pytest.fixture
def workspace(owner):
    workspace = WorkspaceFactory(name="Upload Shop", owner=owner)
    CategoryFactory(workspace=workspace, name="Policies")
    return workspace


def test_upload_files_from_the_knowledge_page_then_search(open_context, owner, workspace, celery_worker_process):
    _, page, console = open_context()
    log_in(page, owner.email)
    page.goto("/knowledge")
    page.locator("[data-realtime=open]").wait_for()
    page.get_by_role("button", name="Policies").first.click()

    page.get_by_role("button", name="Upload files").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Files to upload").set_input_files(
        files=[
            {"name": "returns_policy.md", "mimeType": "text/markdown", "buffer": RETURNS},
            {"name": "гарантия.txt", "mimeType": "text/plain", "buffer": WARRANTY},
        ]
    )
    assert dialog.get_by_label("Category").input_value() != "", "the current category is preselected"
    dialog.get_by_role("button", name="Upload", exact=True).click()
    rows = dialog.get_by_test_id("upload-row")
    for name in ("returns_policy.md", "гарантия.txt"):
        rows.filter(has_text=name).locator("[data-index-state=ready]").wait_for(timeout=60_000)
    screenshot(page, "knowledge-upload-indexed")
    dialog.get_by_role("button", name="Close", exact=True).last.click()

    articles = page.get_by_role("list", name="Articles")
    returns = articles.get_by_role("listitem").filter(has_text="returns policy")
    returns.locator("[data-index-state=ready]").wait_for()
    assert returns.get_by_test_id("article-language").inner_text() == "English"
    warranty = articles.get_by_role("listitem").filter(has_text="гарантия")
    warranty.get_by_test_id("article-language").filter(has_text="Russian").wait_for()
    page.get_by_role("combobox", name="Language").select_option("ru")
    page.wait_for_function("document.querySelectorAll('[aria-label=Articles] > li').length === 1")
    assert "гарантия" in articles.inner_text()
    screenshot(page, "knowledge-language-filter")

    page.get_by_role("tab", name="Search").click()
    box = page.get_by_role("searchbox", name="Search the knowledge base")
    box.fill("Can I return an unused item?")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    results = page.get_by_role("list", name="Search results")
    results.get_by_text("returns_policy.md").first.wait_for()
    assert "relevance" in results.inner_text()
    screenshot(page, "knowledge-search-relevance")
    box.fill("quantum physics")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.get_by_text("No results").wait_for()
    screenshot(page, "knowledge-search-no-results")

    # A web page the server may not fetch (loopback) is refused in the dialog, with the reason.
    page.get_by_role("button", name="Import from URL").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Page address").fill("http://127.0.0.1:9/private")
    with console.expecting("status of 400"):
        dialog.get_by_role("button", name="Import", exact=True).click()
        dialog.get_by_role("alert").filter(has_text="private or reserved network").wait_for()
    screenshot(page, "knowledge-url-import-refused")
    dialog.get_by_role("button", name="Close", exact=True).last.click()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("tab", name="Articles").click()
    page.get_by_role("list", name="Articles").get_by_role("listitem").first.wait_for()
    screenshot(page, "knowledge-phone")
