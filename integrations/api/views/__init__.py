"""The integrations API: ai (models, credentials, connection test), kommo (connect, status, sync,
settings, the synced data) and kommo_entry (the public entry points Kommo calls)."""
