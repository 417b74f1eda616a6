"""Sites, roles and memberships: who sees what."""

from __future__ import annotations

import pickle

import pytest
from django.core import mail
from django.urls import reverse

from locks.models import Membership, Role, Site
from locks.services import LAST_ADMIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fixture", ["site_admin_client", "site_manager_client", "site_staff_client"]
)
def test_each_role_sees_exactly_its_sites(request, fixture, site, other_site):
    client = request.getfixturevalue(fixture)
    response = client.get(reverse("site_list"))
    assert response.status_code == 200
    assert site.name in response.text
    assert other_site.name not in response.text


def test_a_member_of_two_sites_sees_both(site, other_site):
    user = UserFactory(username="two-sites")
    Membership.objects.create(site=site, user=user, role=Role.STAFF)
    Membership.objects.create(site=other_site, user=user, role=Role.MANAGER)
    assert set(Site.objects.visible_to(user)) == {site, other_site}


def test_a_superuser_sees_every_site(site, other_site):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert set(Site.objects.visible_to(root)) == {site, other_site}


@pytest.mark.parametrize("name", ["site_detail", "site_edit", "member_list"])
def test_a_user_of_site_a_gets_404_for_site_b_pages(site_admin_client, other_site, name):
    response = site_admin_client.get(reverse(name, args=[other_site.pk]))
    assert response.status_code == 404


def test_switching_to_another_sites_site_is_404(site_admin_client, other_site):
    response = site_admin_client.post(reverse("site_switch", args=[other_site.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/", "/sites/", "/sites/new/", "/accounts/password_change/"])
def test_anonymous_requests_are_redirected_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_login_page_signs_a_user_in_and_shows_only_their_sites(
    client, site_staff, site, other_site
):
    response = client.post(
        reverse("login"),
        {"username": "sam-staff", "password": "correct-horse-battery"},
        follow=True,
    )
    assert response.status_code == 200
    assert site.name in response.text
    assert other_site.name not in response.text


def test_a_wrong_password_is_refused_with_a_message(client, site_staff):
    response = client.post(reverse("login"), {"username": "sam-staff", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_staff_cannot_edit_a_site(site_staff_client, site):
    response = site_staff_client.post(reverse("site_edit", args=[site.pk]), {"name": "X"})
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.name == "Harbour House"


def test_an_admin_edits_the_site_and_a_bad_time_zone_is_explained(site_admin_client, site):
    url = reverse("site_edit", args=[site.pk])
    response = site_admin_client.post(url, {"name": "Harbour", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Mars/Olympus is not one of the available choices" in response.text
    response = site_admin_client.post(url, {"name": "Harbour", "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.time_zone) == ("Harbour", "Europe/Paris")


def test_an_admin_creates_a_site_and_becomes_its_admin(site_admin_client, site_admin):
    response = site_admin_client.post(
        reverse("site_create"),
        {"name": "Dockside", "time_zone": "Europe/Dublin", "address": ""},
    )
    assert response.status_code == 302
    created = Site.objects.get(name="Dockside")
    assert created.role_of(site_admin) == Role.ADMIN


def test_a_manager_cannot_create_sites(site_manager_client):
    assert site_manager_client.get(reverse("site_create")).status_code == 403


def test_a_duplicate_site_name_is_refused_on_the_form(site_admin_client, site):
    response = site_admin_client.post(
        reverse("site_create"), {"name": site.name, "time_zone": "Europe/London"}
    )
    assert response.status_code == 200
    assert "Site with this Name already exists" in response.text
    assert Site.objects.filter(name=site.name).count() == 1


def test_an_admin_adds_an_existing_user_by_email(site_admin_client, site):
    user = UserFactory(username="newbie", email="newbie@example.com")
    response = site_admin_client.post(
        reverse("member_list", args=[site.pk]), {"email": "NEWBIE@example.com", "role": "manager"}
    )
    assert response.status_code == 302
    assert site.role_of(user) == Role.MANAGER


def test_adding_an_unknown_email_creates_the_user_and_sends_an_invitation(
    site_admin_client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = site_admin_client.post(
            reverse("member_list", args=[site.pk]), {"email": "fresh@example.com", "role": "staff"}
        )
    assert response.status_code == 302
    membership = Membership.objects.get(site=site, user__email="fresh@example.com")
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "invited to Keyhouse" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body


def test_adding_a_member_twice_says_so_and_keeps_the_input(site_admin_client, site, site_staff):
    response = site_admin_client.post(
        reverse("member_list", args=[site.pk]), {"email": site_staff.email, "role": "admin"}
    )
    assert response.status_code == 200
    assert "is already a member" in response.text
    assert site_staff.email in response.text
    assert site.role_of(site_staff) == Role.STAFF


def test_a_bad_email_gets_a_clear_message(site_admin_client, site):
    response = site_admin_client.post(
        reverse("member_list", args=[site.pk]), {"email": "not-an-address", "role": "staff"}
    )
    assert response.status_code == 200
    assert "Enter a valid email address" in response.text


def test_a_manager_cannot_add_members(site_manager_client, site):
    response = site_manager_client.post(
        reverse("member_list", args=[site.pk]), {"email": "x@example.com", "role": "admin"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="x@example.com").exists()


def test_an_admin_changes_a_role(site_admin_client, site, site_staff):
    membership = Membership.objects.get(site=site, user=site_staff)
    response = site_admin_client.post(
        reverse("member_change_role", args=[site.pk, membership.pk]), {"role": "manager"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def test_the_last_admin_cannot_be_demoted_or_removed(site_admin_client, site, site_admin):
    membership = Membership.objects.get(site=site, user=site_admin)
    response = site_admin_client.post(
        reverse("member_change_role", args=[site.pk, membership.pk]), {"role": "staff"}, follow=True
    )
    assert LAST_ADMIN in response.text
    response = site_admin_client.post(
        reverse("member_remove", args=[site.pk, membership.pk]), follow=True
    )
    assert LAST_ADMIN in response.text
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_removes_a_member(site_admin_client, site, site_staff):
    membership = Membership.objects.get(site=site, user=site_staff)
    response = site_admin_client.post(reverse("member_remove", args=[site.pk, membership.pk]))
    assert response.status_code == 302
    assert site.role_of(site_staff) is None


def test_a_membership_of_another_site_cannot_be_removed_through_this_one(
    site_admin_client, site, outsider, other_site
):
    membership = Membership.objects.get(site=other_site, user=outsider)
    response = site_admin_client.post(reverse("member_remove", args=[site.pk, membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_site_switcher_remembers_the_chosen_site(site, other_site):
    from django.test import Client

    user = UserFactory(username="both")
    Membership.objects.create(site=site, user=user, role=Role.STAFF)
    Membership.objects.create(site=other_site, user=user, role=Role.STAFF)
    client = Client()
    client.force_login(user)
    client.post(reverse("site_switch", args=[other_site.pk]), {"next": "/sites/"})
    response = client.get("/")
    assert response.context["current_site"] == other_site


def test_the_switcher_refuses_to_redirect_off_site(site_admin_client, site):
    response = site_admin_client.post(
        reverse("site_switch", args=[site.pk]), {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("site_detail", args=[site.pk])


def _table(response) -> str:
    """The site table of a page (the navigation's site switcher names sites too)."""
    text = response.content.decode()
    if "<tbody>" not in text:
        return ""
    return text[text.index("<tbody>") : text.index("</tbody>")]


def test_the_site_list_searches_sorts_and_pages(site, other_site):
    from django.test import Client

    from tests.factories import SiteFactory

    root = UserFactory(username="root-lister", is_superuser=True, is_staff=True)
    for n in range(55):
        SiteFactory(name=f"Annex {n:02d}", time_zone="Asia/Tokyo")
    client = Client()
    client.force_login(root)
    first = client.get(reverse("site_list"))
    assert "Annex 00" in _table(first) and "Riverside Depot" not in _table(first)
    assert "Next" in first.content.decode()
    second = _table(client.get(reverse("site_list"), {"page": 2}))
    assert "Riverside Depot" in second
    found = _table(client.get(reverse("site_list"), {"q": "harbour"}))
    assert "Harbour House" in found and "Annex 00" not in found
    by_zone = _table(client.get(reverse("site_list"), {"sort": "time_zone"}))
    assert by_zone.index("Riverside Depot") < by_zone.index("Annex 00")
    assert "Harbour House" not in by_zone  # Europe/London sorts after the first page
    nothing = client.get(reverse("site_list"), {"q": "zzz"}).content.decode()
    assert "No site matches" in nothing


def test_the_site_page_leads_to_its_dashboard_locks_sync_and_members(site_staff_client, site):
    page = site_staff_client.get(reverse("site_detail", args=[site.pk])).content.decode()
    for name in ("site_dashboard", "k3_sync_page", "member_list"):
        assert reverse(name, args=[site.pk]) in page
    assert reverse("activity_log", args=[site.pk]) not in page  # Admins only


@pytest.mark.parametrize("url_name", ["site_list", "k3_index"])
@pytest.mark.parametrize(
    ("search", "why"),
    [("Harbour\x00", "Null characters are not allowed."), ("x" * 201, "at most 200 characters")],
)
def test_a_search_the_database_cannot_take_is_explained_and_every_site_shown(
    url_name, search, why, site, site_staff_client
):
    response = site_staff_client.get(reverse(url_name), {"q": search})

    assert response.status_code == 200
    page = response.content.decode()
    assert "That search was not used:" in page and why in page
    assert "Harbour House" in page


def test_a_role_is_read_once_per_site_and_never_cached_with_the_site(
    site, site_staff, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert site.role_of(site_staff) == Role.STAFF
        assert site.role_of(site_staff) == Role.STAFF
    site.memberships.filter(user=site_staff).update(role=Role.ADMIN)

    assert pickle.loads(pickle.dumps(site)).role_of(site_staff) == Role.ADMIN  # noqa: S301
