from django.apps import AppConfig


class SampleConfig(AppConfig):
    """A tiny workspace-owned domain used only by the tests of the tenancy mechanism."""

    name = "tests.sample"
    label = "sample"
