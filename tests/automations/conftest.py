"""The local Kommo of the integration's tests (a fresh one per test, a workspace connected to it)."""

from tests.integrations.kommo.conftest import account, connected, kommo  # noqa: F401 (fixtures)
