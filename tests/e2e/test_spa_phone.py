"""Every page at phone width (390 × 844) with real content — the demo workspace, a Kommo account's
pipelines, long category names — in light and dark: a screenshot of each, and what a phone user would
hit measured, not only looked at: nothing wider than the screen, no control off its edge (unless in
a strip that scrolls sideways), the playground's message box on the first screen, the stage picker
of a pipeline whole, category names whole."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from agent_platform.tenancy import workspace_scope
from integrations.kommo.models import KommoPipeline
from knowledge.models import Category
from tests.e2e.conftest import log_in, screenshot
from tests.integrations.kommo.factories import KommoIntegrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What sticks out: controls beyond the screen's edges that no sideways-scrolling strip holds, and
# the page itself wider than the screen.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > width + 1) problems.push(`page ${page}px wide`);
  // The part of a box its clipping ancestors let through; a strip marked as scrolling with a visible
  // hint (data-scroll-hint) may hold more than it shows.
  const visible = (el) => {
    let { left, right } = el.getBoundingClientRect();
    left = Math.max(left, 0);
    right = Math.min(right, width);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.hasAttribute("data-scroll-hint")) return null;
      if (getComputedStyle(a).overflowX === "visible") continue;
      const box = a.getBoundingClientRect();
      left = Math.max(left, box.left);
      right = Math.min(right, box.right);
    }
    return right - left;
  };
  const selector = "button, a[href], input, select, textarea, [role=tab], h1, h2";
  for (const el of document.querySelectorAll(selector)) {
    const shown = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    if (!shown || el.closest("[inert], [aria-hidden=true], .sr-only")) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2) continue;
    const seen = visible(el);
    if (seen !== null && seen < box.width - 2) {
      const name = (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40);
      const shows = Math.max(0, Math.round(seen));
      problems.push(`${el.tagName.toLowerCase()} "${name}" shows ${shows} of ${Math.round(box.width)}px`);
    }
  }
  return problems;
}"""
LONG_CATEGORY = "International delivery and returns policy"


@pytest.fixture
def demo():
    """The demo workspace (agents, knowledge, conversations by the real pipeline), a connected Kommo
    account with a pipeline, and a category with a long name; returns the demo user."""
    call_command("seed_demo", stdout=io.StringIO())
    user = User.objects.get(email="demo@example.com")
    workspace = user.memberships.get().workspace
    KommoIntegrationFactory(workspace=workspace)
    with workspace_scope(workspace.pk):
        KommoPipeline.objects.create(
            workspace=workspace,
            kommo_id=77,
            name="Retail sales",
            is_main=True,
            statuses=[{"id": 700 + i, "name": name, "sort": i} for i, name in enumerate(["New", "Qualified", "Won"])],
            synced_at=timezone.now(),
        )
        shipping = Category.objects.get(name="Shipping")
        Category.objects.create(workspace=workspace, name=LONG_CATEGORY, parent=shipping)
    return user


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_fits_a_phone(open_context, demo, scheme):
    _, page, _ = open_context(viewport="phone", color_scheme=scheme)
    log_in(page, demo.email, os.environ.get("DEMO_PASSWORD", "demo-password-2026"))
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => !document.querySelector('.animate-pulse')")  # skeletons gone: loaded
        found = page.evaluate(OVERFLOW)
        if found:
            problems[name] = found
        screenshot(page, f"phone-{name}-{scheme}")

    def each_tab(name: str) -> None:
        tabs = page.get_by_role("tab")
        for i in range(tabs.count()):
            tab = tabs.nth(i)
            label = tab.inner_text().strip().lower().replace(" ", "-")
            tab.click()
            check(f"{name}-{label}")

    for name, path in [("dashboard", "/"), ("agents", "/agents"), ("knowledge", "/knowledge")]:
        page.goto(path)
        page.get_by_role("heading", level=1).wait_for()
        check(name)
    tree = page.get_by_role("tree")
    if tree.count():
        item = tree.get_by_text(LONG_CATEGORY)
        cut = item.evaluate("el => el.scrollWidth > el.clientWidth + 1")
        if cut:
            problems.setdefault("knowledge", []).append(f"category name {LONG_CATEGORY!r} cut off")

    page.goto("/agents")
    page.get_by_role("link", name="Demo Sales Assistant").first.click()
    page.get_by_role("tab").first.wait_for()
    each_tab("agent")
    page.get_by_role("tab", name="Pipelines").click()
    page.get_by_label("Retail sales").check()
    for stage in ("New", "Qualified", "Won"):  # whole, each a box one can tap
        width = page.get_by_label(stage, exact=True).evaluate("el => el.parentElement.getBoundingClientRect().width")
        if width < 44:
            problems.setdefault("agent-pipelines", []).append(f"stage {stage!r} is {width:.0f}px wide")
    check("agent-pipeline-picked")

    page.goto("/playground")
    page.get_by_role("heading", level=1).wait_for()
    box = page.get_by_label("Your message")
    box.wait_for()
    bottom = box.evaluate("el => el.getBoundingClientRect().bottom")
    if bottom > 844:
        problems.setdefault("playground", []).append(f"message box below the fold (bottom at {bottom:.0f}px)")
    check("playground")

    page.goto("/conversations")
    page.get_by_role("list", name="Conversations").wait_for()
    check("conversations")
    page.get_by_role("list", name="Conversations").get_by_role("link").first.click()
    page.get_by_test_id("message").first.wait_for()
    check("conversation")

    page.goto("/integrations")
    page.get_by_role("heading", level=1).wait_for()
    check("integrations")
    page.goto("/settings")
    page.get_by_role("tab").first.wait_for()
    each_tab("settings")

    assert problems == {}, "\n".join(f"{name}: {'; '.join(found)}" for name, found in problems.items())
