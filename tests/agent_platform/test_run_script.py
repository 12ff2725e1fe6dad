"""`make run`'s readiness wait (scripts/run.py): /readyz must say every check is ok, while the local
Kommo's and Stripe's health answers (not JSON, or JSON without a status) are ready at 200."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_script():
    spec = importlib.util.spec_from_file_location("run_script", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readiness_waits_for_every_check_but_takes_any_other_200():
    ready = _run_script()._all_checks_ok
    assert ready(b'{"status": "ok", "checks": {}}')
    assert not ready(b'{"status": "degraded", "checks": {"redis": {"ok": false}}}')
    assert ready(b"ok")  # the local Stripe's /healthz
    assert ready(b'{"ok": true}')
    assert ready(b"")
