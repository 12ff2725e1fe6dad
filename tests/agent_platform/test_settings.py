"""Production settings are safe: `check --deploy` passes and unsafe configurations refuse to boot."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "agent_platform.settings.base",
    "DEBUG": "false",
    "SECRET_KEY": "x7!Kq2#Lm9$Vp4&Rt8*Wz1^Yb6(Nc3)Hd5_Jf0+Gs2=Ua7%Ee9@Ii4",
    "ALLOWED_HOSTS": "agents.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://agents.example.com",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_boot_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY_FILE=str(secret_file), **env)
    assert result.returncode == 0, result.stderr


SECURITY_HEADERS_PROBE = """
from django.test import Client
client = Client(HTTP_HOST="agents.example.com")
response = client.get("/api/no-such-thing", secure=True)
for name in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
             "Content-Security-Policy"):
    print(f"header {name}: {response.get(name, '')}")
print(f"header status: {response.status_code}")
print(f"header redirect: {client.get('/api/no-such-thing').status_code}")
"""


def test_production_sends_hsts_and_the_security_headers_and_redirects_to_https():
    result = _manage("shell", "-c", SECURITY_HEADERS_PROBE, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    lines = [line.removeprefix("header ") for line in result.stdout.splitlines() if line.startswith("header ")]
    headers = dict(line.split(": ", 1) for line in lines)
    assert headers["status"] == "404", result.stdout
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["redirect"] == "301"  # plain http goes to https
