"""The local Kommo's demo side: the HTML UI on the hub and the command line."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from integrations.kommo.fakes import FakeKommo

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


def test_the_ui_shows_threads_and_its_forms_drive_the_fake():
    with FakeKommo(rate_limit_rps=None) as kommo:
        account = kommo.add_account(subdomain="acme", name="Acme Store")
        page = requests.get(f"{kommo.url}/", timeout=5)
        assert page.status_code == 200 and "Acme Store" in page.text and "A customer writes on" in page.text
        posted = requests.post(
            f"{kommo.url}/ui/customer-writes",
            data={
                "account_id": account.id,
                "origin": "instagram",
                "name": "Ana",
                "phone": "+5511999990000",
                "text": "Hi <b>there</b>",
            },
            timeout=5,
        )
        assert posted.status_code == 200  # after the 303 back to the page
        assert "Hi &lt;b&gt;there&lt;/b&gt;" in posted.text
        lead_id = next(iter(account.leads))
        assert account.messages[0]["origin"] == "instagram"
        answered = requests.post(
            f"{kommo.url}/ui/manager-writes",
            data={"account_id": account.id, "lead_id": lead_id, "text": "Hello Ana"},
            timeout=5,
        )
        assert "Hello Ana" in answered.text
        assert [m["type"] for m in account.messages] == ["incoming", "outgoing"]


def test_the_command_line_prints_the_account_and_the_env_lines_and_stops_on_sigterm():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "integrations.kommo.fakes",
            "--port",
            "0",
            "--client-id",
            "demo-client",
            "--client-secret",
            "demo-secret",
            "--redirect-uri",
            "http://127.0.0.1:8000/api/integrations/kommo/callback",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = []
        while not any(line.startswith("KOMMO_INSECURE_HOSTS=") for line in lines):
            line = process.stdout.readline()
            assert line, "the command ended early"
            lines.append(line.strip())
        text = "\n".join(lines)
        base_domain = re.search(r"base_domain \(the OAuth referer\): (\S+)", text).group(1)
        oauth_url = re.search(r"KOMMO_OAUTH_URL=(\S+)", text).group(1)
        assert "KOMMO_CLIENT_ID=demo-client" in text
        assert requests.get(f"http://{base_domain}/api/v4/leads", timeout=5).status_code == 401
        assert requests.get(oauth_url, params={"client_id": "demo-client", "state": "x"}, timeout=5).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
