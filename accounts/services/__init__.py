"""The accounts app's writes. Other apps use `notify()` and `audit_record()` from here."""

from accounts.services.api_keys import api_key_authenticate, api_key_issue, api_key_revoke
from accounts.services.audit import audit_record
from accounts.services.auth import (
    auth_login,
    email_verification_resend,
    email_verify,
    password_change,
    password_check_strength,
    password_forgot,
    password_reset,
    user_register,
)
from accounts.services.notifications import (
    notification_delete,
    notification_email_send,
    notification_emails_recover,
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from accounts.services.sessions import auth_logout, auth_refresh, refresh_tokens_revoke
from accounts.services.users import user_avatar_set, user_profile_update, user_settings_update
from accounts.services.workspaces import (
    invitation_accept,
    invitation_check_register,
    invitation_create,
    invitation_revoke,
    membership_add,
    membership_remove,
    membership_role_change,
    user_create,
    workspace_create,
    workspace_update,
)

__all__ = [
    "api_key_authenticate",
    "api_key_issue",
    "api_key_revoke",
    "audit_record",
    "auth_login",
    "auth_logout",
    "auth_refresh",
    "email_verification_resend",
    "email_verify",
    "invitation_accept",
    "invitation_check_register",
    "invitation_create",
    "invitation_revoke",
    "membership_add",
    "membership_remove",
    "membership_role_change",
    "notification_delete",
    "notification_email_send",
    "notification_emails_recover",
    "notification_mark_all_read",
    "notification_mark_read",
    "notify",
    "password_change",
    "password_check_strength",
    "password_forgot",
    "password_reset",
    "refresh_tokens_revoke",
    "user_avatar_set",
    "user_create",
    "user_profile_update",
    "user_register",
    "user_settings_update",
    "workspace_create",
    "workspace_update",
]
