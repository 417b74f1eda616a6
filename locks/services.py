"""Side effects on sites and memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dashboard.activity import activity_record
from dashboard.models import Verb
from locks.models import Membership, Role, Site

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser
    from django.http import HttpRequest

LAST_ADMIN = "A site needs at least one Admin: make someone else Admin first."
ALREADY_MEMBER = "{email} is already a member of {site}."
SITE_CREATE_DENIED = "Only Admins and superusers can create sites."


def user_may_create_sites(user: AbstractUser) -> bool:
    """Superusers and the Admins of any site may create sites."""
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()


@transaction.atomic
def site_create(*, name: str, time_zone: str, address: str, creator: AbstractUser) -> Site:
    """Create a site and make its creator its first Admin."""
    if not user_may_create_sites(creator):
        raise ValidationError(SITE_CREATE_DENIED)
    site = Site(name=name, time_zone=time_zone, address=address)
    site.full_clean()
    site.save()
    Membership.objects.create(site=site, user=creator, role=Role.ADMIN)
    activity_record(site=site, actor=creator, verb=Verb.SITE_CREATED, target_label=site.name)
    return site


def _send_invitation(user: AbstractUser, request: HttpRequest | None) -> None:
    """E-mail a new member a link to choose their password (Django's reset-token flow)."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request and request.is_secure() else "http",
        "domain": request.get_host() if request else "localhost",
    }
    subject = "".join(render_to_string("registration/invitation_subject.txt", context).splitlines())
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


def _user_by_email(email: str, request: HttpRequest | None) -> AbstractUser:
    """The user with this e-mail, or a new one invited to choose a password."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        return user
    username = email.lower()
    user = User.objects.create_user(username=username, email=email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    transaction.on_commit(lambda: _send_invitation(user, request))
    return user


@transaction.atomic
def membership_add(
    *, site: Site, email: str, role: Role, request: HttpRequest | None = None
) -> Membership:
    """Add the person with this e-mail to the site (inviting them if they have no account)."""
    user = _user_by_email(email, request)
    if Membership.objects.filter(site=site, user=user).exists():
        raise ValidationError(ALREADY_MEMBER.format(email=email, site=site))
    membership = Membership.objects.create(site=site, user=user, role=role)
    activity_record(
        site=site,
        actor=getattr(request, "user", None),
        verb=Verb.MEMBER_ADDED,
        target=membership,
        target_label=f"{user.email or user} as {Role(role).label}",
    )
    return membership


def _other_admins_exist(membership: Membership) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(site=membership.site, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: Role, actor: AbstractUser | None = None
) -> Membership:
    """Change a member's role, keeping at least one Admin on the site."""
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _other_admins_exist(membership):
        raise ValidationError(LAST_ADMIN)
    before = Role(membership.role).label
    membership.role = role
    membership.save(update_fields=["role"])
    activity_record(
        site=membership.site,
        actor=actor,
        verb=Verb.MEMBER_ROLE_CHANGED,
        target=membership,
        target_label=f"{membership.user} from {before} to {Role(role).label}",
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: AbstractUser | None = None) -> None:
    """Remove a member from a site, keeping at least one Admin on it."""
    if membership.role == Role.ADMIN and not _other_admins_exist(membership):
        raise ValidationError(LAST_ADMIN)
    activity_record(
        site=membership.site,
        actor=actor,
        verb=Verb.MEMBER_REMOVED,
        target=membership,
        target_label=f"{membership.user} ({membership.get_role_display()})",
    )
    membership.delete()
