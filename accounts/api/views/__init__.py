"""The accounts API, one module per concern: auth, users (the current user), team (workspaces,
members, invitations, API keys) and activity (notifications, audit log)."""
