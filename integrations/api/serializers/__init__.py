"""Serializers of the integrations API, one module per integration."""
