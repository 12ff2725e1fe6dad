from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.session_ends import SESSION_ID_CLAIM, session_ended
from agent_platform.api.keys import ApiKeyScope
from agent_platform.tenancy import Role, WorkspaceOwned

SESSION_CLAIM = "sgen"  # the user's session generation, in every token issued for them


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **fields)

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an email address (case-insensitive, unique)."""

    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=150, blank=True)
    language = models.CharField(max_length=8, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    # {"theme": "system|light|dark", "notifications": {kind: {"in_app": bool, "email": bool}}}
    preferences = models.JSONField(default=dict, blank=True)
    # Raised by a password change or reset: tokens of an older generation are refused (SESSION_CLAIM).
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def accepts_token(self, token) -> bool:
        """Whether a JWT issued for this user still speaks for them: no password change since, and
        its session not ended (logout, refresh replay: accounts.session_ends). A generation, not a
        time: `iat` has whole seconds, and a change must end a session that began in the same second
        while keeping the one it hands out."""
        if token.get(SESSION_CLAIM, 0) != self.session_generation:
            return False
        return not session_ended(token.get(SESSION_ID_CLAIM))

    def sessions_revoke(self) -> None:
        """End every session: tokens issued until now stop working (the caller saves)."""
        self.session_generation += 1

    def notification_channels(self, kind: str) -> dict[str, bool]:
        """Which channels this user wants for a notification kind: in-app on, email off, unless set."""
        chosen = (self.preferences.get("notifications") or {}).get(kind) or {}
        return {"in_app": chosen.get("in_app", True), "email": chosen.get("email", False)}


class UserToken(models.Model):
    """A single-use, expiring secret mailed to a user (email verification, password reset).

    Only a SHA-256 of the secret is stored, so a database leak does not leak working links.
    """

    class Purpose(models.TextChoices):
        VERIFY_EMAIL = "verify_email", "Verify email"
        RESET_PASSWORD = "reset_password", "Reset password"

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose"])]

    def __str__(self) -> str:
        return f"{self.purpose} for {self.user_id}"


class Workspace(models.Model):
    """The tenant: one business. Every domain row belongs to exactly one workspace."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def email(self) -> str:
        """The billing contact (dj-stripe's subscriber model needs one): the first owner's address."""
        owner = self.memberships.filter(role=Role.OWNER).select_related("user").order_by("pk").first()
        return owner.user.email if owner else ""


class Membership(models.Model):
    """A user's access to a workspace, with a role (member < admin < owner)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "workspace"], name="accounts_membership_unique")]
        indexes = [models.Index(fields=["workspace", "role"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"


class Notification(WorkspaceOwned):
    """Something a user should see (table 21): shown in-app, and emailed when their preferences say so."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64, help_text="Stable snake_case kind, e.g. approval_requested")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user}"


class AuditLog(WorkspaceOwned):
    """Who did what to which object, from where (table 22). Append-only.

    `workspace` is empty for events that belong to a person rather than a workspace (login, logout,
    password reset); those are visible in the admin only.
    """

    workspace = models.ForeignKey(Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True, help_text="Kept when the user is deleted")
    action = models.CharField(max_length=64, db_index=True, help_text="<entity>.<verb>, e.g. agent.updated")
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    metadata = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.actor_email or 'system'} {self.action} {self.target_type}:{self.target_id}"


class Invitation(WorkspaceOwned):
    """An invitation to join a workspace, sent by email with a single-use, expiring link.

    The link's token is `<workspace id>.<secret>`: the workspace part lets acceptance look the row
    up inside that workspace's scope; only a SHA-256 of the secret is stored.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace_id} ({self.role})"


class ApiKey(WorkspaceOwned):
    """A workspace's key for server-to-server calls, limited to its scopes.

    The key reads `apk_<prefix>_<secret>` and is shown once, when it is issued. The prefix is
    public (lists show it, authentication finds the row by it); only a SHA-256 of the secret is
    stored (a 256-bit random secret needs no slow hash). A revoked key stays listed, for the record.
    """

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = ArrayField(models.CharField(max_length=32, choices=ApiKeyScope.choices))
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} (apk_{self.prefix}_…)"
