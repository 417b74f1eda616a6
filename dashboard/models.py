"""The activity log: what people did in the portal, kept append-only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from locks.models import Site

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

APPEND_ONLY = "The activity log is append-only: its events cannot be changed or deleted."


class AppendOnlyError(Exception):
    """Someone tried to change or delete an event of the activity log."""


class Verb(models.TextChoices):
    """What someone did, phrased to follow their name."""

    SITE_CREATED = "site.created", "created the site"
    MEMBER_ADDED = "member.added", "added a member"
    MEMBER_ROLE_CHANGED = "member.role_changed", "changed a member's role"
    MEMBER_REMOVED = "member.removed", "removed a member"
    KITLOCK_ONBOARDING = "kitlock.onboarding", "started onboarding a lock"
    KITLOCK_ADDED = "kitlock.added", "added a lock by hand"
    KITLOCK_INITIALISED = "kitlock.initialised", "confirmed a lock's initialisation"
    BATTERIES_REPLACED = "kitlock.batteries", "recorded new batteries"
    CLOCK_SET = "kitlock.clock_set", "set a lock's clock"
    NETCODE_GENERATED = "netcode.generated", "generated a NetCode"
    PHONE_USER_INVITED = "phone_user.invited", "invited a phone user"
    PHONE_USER_CHANGED = "phone_user.changed", "changed a phone user's periods"
    PHONE_USER_SUSPENDED = "phone_user.suspended", "suspended a phone user"
    PHONE_USER_RESTORED = "phone_user.restored", "restored a phone user"
    PHONE_USER_REMOVED = "phone_user.removed", "removed a phone user"
    ACCOUNT_LINKED = "k3_account.linked", "linked a K3 Connect account"
    ACCOUNT_KEY_REPLACED = "k3_account.key_replaced", "replaced an account's access key"
    ACCOUNT_UNLINKED = "k3_account.unlinked", "unlinked a K3 Connect account"


class ActivityEventQuerySet(models.QuerySet["ActivityEvent"]):
    def visible_to(self, user: AnyUser) -> ActivityEventQuerySet:
        """Events of the sites this user belongs to."""
        return self.filter(site__in=Site.objects.visible_to(user))

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(APPEND_ONLY)


class ActivityEvent(models.Model):
    """One thing a person did on a site; never holds a code, a key or a master code."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="activity_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written, so the log still names the person after their account is gone.
    actor_name = models.CharField(max_length=150)
    verb = models.CharField(max_length=32, choices=Verb.choices)
    target_kind = models.CharField(max_length=32, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=200)
    # The lock the event concerns (its page shows it in the timeline), if any.
    lock_kind = models.CharField(max_length=16, blank=True)
    lock_pk = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(db_index=True)

    objects = ActivityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["site", "-created_at"], name="activity_site_newest"),
            models.Index(
                fields=["lock_kind", "lock_pk", "-created_at"], name="activity_lock_newest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_verb_display()} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(APPEND_ONLY)

    @property
    def sentence(self) -> str:
        """The event as a sentence without its time."""
        return f"{self.actor_name} {self.get_verb_display()}: {self.target_label}"
