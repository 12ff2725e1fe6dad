"""Settings: `base` for every environment (driven by environment variables), `test` for pytest."""
