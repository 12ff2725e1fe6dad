"""The code's shape, checked on every run (docs/architecture.md §1): the import contracts (layers of
apps, public modules, no cycles), every function-level import saying why, and files small enough
to read. `make lint` runs the same tools; this makes CI run them too."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON_MAX_LINES, TSX_MAX_LINES = 400, 300
# Generated or declarative: migrations, settings, and the fakes of external services.
PYTHON_EXEMPT = ("/migrations/", "/settings/", "/fakes/")
SKIPPED_DIRS = {".venv", "node_modules", ".git", ".data", "artifacts", "dist", "staticfiles"}


def _files(pattern: str, under: Path) -> list[Path]:
    return [p for p in under.rglob(pattern) if not SKIPPED_DIRS & set(p.relative_to(ROOT).parts)]


def _too_long(paths: list[Path], limit: int) -> list[str]:
    lengths = ((p, len(p.read_text(encoding="utf-8").splitlines())) for p in paths)
    return [f"{p.relative_to(ROOT)}: {n} lines" for p, n in lengths if n > limit]


def test_import_contracts_hold():
    result = subprocess.run([BIN / "lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_function_level_imports_say_why():
    result = subprocess.run(
        [BIN / "ruff", "check", "--select", "PLC0415", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_no_python_file_over_400_lines():
    paths = [p for p in _files("*.py", ROOT) if not any(part in f"/{p.relative_to(ROOT)}" for part in PYTHON_EXEMPT)]
    assert len(paths) > 100  # the walk found the code
    assert _too_long(paths, PYTHON_MAX_LINES) == []


def test_no_tsx_file_over_300_lines():
    source = ROOT / "frontend" / "src"
    if not source.is_dir():
        pytest.skip("no frontend sources")
    paths = _files("*.tsx", source)
    assert len(paths) > 20
    assert _too_long(paths, TSX_MAX_LINES) == []


def test_the_login_page_loads_a_small_first_chunk_and_each_page_its_own():
    """Route-level code splitting (React.lazy per page): the entry script index.html loads is under
    200 kB uncompressed (one 616 kB bundle before), and the pages are chunks of their own."""
    dist = ROOT / "frontend" / "dist"
    if not (dist / "index.html").is_file():
        pytest.skip("the web app is not built (make spa)")
    entry = re.search(r'<script type="module"[^>]* src="/static/assets/([^"]+\.js)"', (dist / "index.html").read_text())
    assert entry is not None
    assert (dist / "assets" / entry.group(1)).stat().st_size < 200_000
    chunks = {path.name.split("-")[0] for path in (dist / "assets").glob("*.js")}
    assert {"LoginPage", "AgentEditorPage", "ConversationsPage", "KnowledgePage", "SettingsPage"} <= chunks
