import pytest
from django.db import connection

from agent_platform import crypto
from agent_platform.tenancy import workspace_scope
from tests.sample.models import Secret

pytestmark = pytest.mark.django_db


def test_secrets_are_encrypted_at_rest(workspace):
    with workspace_scope(workspace.pk):
        secret = Secret.objects.create(label="openai", value="sk-live-1234567890abcdef")
        assert Secret.objects.get(pk=secret.pk).value == "sk-live-1234567890abcdef"
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM sample_secret WHERE id = %s", [secret.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("fernet:")
    assert "sk-live" not in raw


def test_rotated_keys_still_decrypt(settings):
    old, new = "a" * 43 + "=", "b" * 43 + "="
    settings.FIELD_ENCRYPTION_KEYS = [old]
    crypto._fernet.cache_clear()
    stored = crypto.encrypt("token")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    crypto._fernet.cache_clear()
    try:
        assert crypto.decrypt(stored) == "token"
        settings.FIELD_ENCRYPTION_KEYS = [new]
        crypto._fernet.cache_clear()
        with pytest.raises(ValueError, match="cannot decrypt"):
            crypto.decrypt(stored)
    finally:
        crypto._fernet.cache_clear()


def test_mask_shows_at_most_the_last_four_characters():
    assert crypto.mask("sk-live-1234567890abcdef") == "••••••••cdef"
    assert crypto.mask("short") == "••••••••"
    assert crypto.mask("") == ""


def test_an_empty_secret_stays_empty_through_a_load_and_a_save(workspace):
    """A blank encrypted field read back as None turned NULL on the next save (found with the Kommo
    integration's optional secrets)."""
    with workspace_scope(workspace.pk):
        secret = Secret.objects.create(label="none yet", value="")
        loaded = Secret.objects.get(pk=secret.pk)
        assert loaded.value == ""
        loaded.label = "renamed"
        loaded.save()
        assert Secret.objects.get(pk=secret.pk).value == ""
