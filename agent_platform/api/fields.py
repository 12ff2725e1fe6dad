from django.apps import apps
from rest_framework import serializers

from agent_platform.tenancy import WorkspaceOwned


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key relation to a workspace-owned model, resolved through its fail-closed manager
    at validation time, inside the request's workspace scope.

    `model` is the class or, for another app's model, its label ("knowledge.Category"): apps refer
    to each other's models by label, as model relations do. Another workspace's id is reported
    exactly like an id that does not exist, so nothing leaks.
    """

    def __init__(self, model: type[WorkspaceOwned] | str | None = None, **kwargs):
        if model is not None and not kwargs.get("read_only"):
            if isinstance(model, str):
                model = apps.get_model(model)  # serializers load after the app registry
            if not issubclass(model, WorkspaceOwned):
                raise TypeError(f"{model.__name__} is not workspace-owned; use PrimaryKeyRelatedField")
            # The manager, not a queryset: DRF calls .all() on it per validation, so the scope
            # active at that moment applies.
            kwargs["queryset"] = model.objects
        super().__init__(**kwargs)


class JSONValueField(serializers.JSONField):
    """A JSON input that must hold a value. DRF refuses a JSON body's `null` for a field without
    `allow_null`, but a form or multipart body's text "null" is parsed after that check and would
    reach the model as None (a database error, then a 500)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value is None and not self.allow_null:
            self.fail("null")
        return value
