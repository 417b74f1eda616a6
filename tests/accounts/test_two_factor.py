"""Two-factor sign-in with an authenticator app: turning it on, signing in, turning it off."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import middleware, services
from tests.accounts.totp import code_later, code_now, wrong_code
from tests.factories import PASSWORD


def _enrol(client, user) -> TOTPDevice:
    client.get(reverse("two_factor_enable"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor_enable"), {"token": code_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    return device


def _sign_in_with_password(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, **extra)


def test_the_account_menu_offers_two_factor_sign_in(site_staff_client):
    response = site_staff_client.get(reverse("home"))
    assert reverse("two_factor") in response.content.decode()


def test_the_two_factor_page_says_it_is_off_and_offers_to_turn_it_on(site_staff_client):
    response = site_staff_client.get(reverse("two_factor"))
    assert "Two-factor sign-in is <strong>off</strong>" in response.content.decode()
    assert reverse("two_factor_enable") in response.content.decode()


def test_the_enrolment_page_shows_a_qr_code_and_the_secret_to_type(site_staff_client, site_staff):
    response = site_staff_client.get(reverse("two_factor_enable"))
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=site_staff, confirmed=False)
    assert "<svg" in page
    secret = services.totp_secret(device)
    assert secret in page
    assert len(secret.replace(" ", "")) == 32


def test_a_user_turns_two_factor_on_by_confirming_a_code(site_staff_client, site_staff):
    device = _enrol(site_staff_client, site_staff)
    assert device.confirmed
    page = site_staff_client.get(reverse("two_factor")).content.decode()
    assert "Two-factor sign-in is <strong>on</strong>" in page
    assert "Two-factor sign-in is on. You will be asked for a code." in page


def test_a_wrong_code_does_not_turn_two_factor_on(site_staff_client, site_staff):
    site_staff_client.get(reverse("two_factor_enable"))
    device = TOTPDevice.objects.get(user=site_staff)
    response = site_staff_client.post(reverse("two_factor_enable"), {"token": wrong_code(device)})
    assert response.status_code == 200
    assert services.WRONG_CODE in response.content.decode()
    assert not services.has_two_factor(site_staff)


def test_a_code_of_the_wrong_shape_is_explained(site_staff_client):
    site_staff_client.get(reverse("two_factor_enable"))
    response = site_staff_client.post(reverse("two_factor_enable"), {"token": "12ab"})
    assert "Type the 6 digits your authenticator app shows." in response.content.decode()


def test_signing_in_asks_for_the_code_once_two_factor_is_on(client, site_staff):
    client.force_login(site_staff)
    device = _enrol(client, site_staff)
    client.post(reverse("logout"))

    response = _sign_in_with_password(client, site_staff)
    assert response["Location"] == reverse("login_verify")
    assert client.get(reverse("home")).status_code == 302  # not signed in yet

    response = client.post(reverse("login_verify"), {"token": code_later(device)})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_the_code_step_keeps_the_page_the_user_asked_for(client, site_staff, site):
    client.force_login(site_staff)
    device = _enrol(client, site_staff)
    client.post(reverse("logout"))
    wanted = reverse("site_detail", args=[site.pk])
    client.post(
        reverse("login"),
        {"username": site_staff.username, "password": PASSWORD, "next": wanted},
    )
    response = client.post(reverse("login_verify"), {"token": code_later(device)})
    assert response["Location"] == wanted


def test_a_wrong_code_at_sign_in_keeps_the_user_out(client, site_staff):
    client.force_login(site_staff)
    device = _enrol(client, site_staff)
    client.post(reverse("logout"))
    _sign_in_with_password(client, site_staff)

    response = client.post(reverse("login_verify"), {"token": wrong_code(device)})
    assert response.status_code == 200
    assert services.WRONG_CODE in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_the_code_step_without_a_password_first_sends_the_user_to_sign_in(client):
    response = client.get(reverse("login_verify"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")


def test_the_code_step_expires(client, site_staff, monkeypatch):
    client.force_login(site_staff)
    _enrol(client, site_staff)
    client.post(reverse("logout"))
    _sign_in_with_password(client, site_staff)
    monkeypatch.setattr(services, "PENDING_SIGN_IN_SECONDS", -1)
    response = client.get(reverse("login_verify"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Your sign-in took too long. Sign in again." in response.content.decode()


def test_a_user_turns_two_factor_off_with_a_current_code(site_staff_client, site_staff):
    device = _enrol(site_staff_client, site_staff)
    response = site_staff_client.post(
        reverse("two_factor_disable"), {"token": code_later(device)}, follow=True
    )
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not services.has_two_factor(site_staff)


def test_turning_two_factor_off_with_a_wrong_code_leaves_it_on(site_staff_client, site_staff):
    device = _enrol(site_staff_client, site_staff)
    response = site_staff_client.post(
        reverse("two_factor_disable"), {"token": wrong_code(device)}, follow=True
    )
    assert services.WRONG_CODE in response.content.decode()
    assert services.has_two_factor(site_staff)


@pytest.fixture
def admins_need_two_factor(settings):
    settings.KEYHOUSE_REQUIRE_2FA_FOR_ADMINS = True


@pytest.mark.usefixtures("admins_need_two_factor")
def test_with_the_setting_on_an_admin_must_enrol_before_using_the_portal(site_admin_client):
    response = site_admin_client.get(reverse("site_list"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("two_factor_enable")
    assert middleware.ENROL_FIRST in response.content.decode()


@pytest.mark.usefixtures("admins_need_two_factor")
def test_with_the_setting_on_an_admin_who_enrolled_uses_the_portal(site_admin_client, site_admin):
    _enrol(site_admin_client, site_admin)
    assert site_admin_client.get(reverse("site_list")).status_code == 200


@pytest.mark.usefixtures("admins_need_two_factor")
def test_with_the_setting_on_an_admin_session_without_the_code_must_sign_in_again(
    client, site_admin
):
    client.force_login(site_admin)
    _enrol(client, site_admin)
    client.post(reverse("logout"))
    client.force_login(site_admin)  # a session that never gave a code
    response = client.get(reverse("site_list"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert middleware.VERIFY_FIRST in response.content.decode()


@pytest.mark.usefixtures("admins_need_two_factor")
def test_with_the_setting_on_an_admin_cannot_turn_two_factor_off(site_admin_client, site_admin):
    device = _enrol(site_admin_client, site_admin)
    response = site_admin_client.post(
        reverse("two_factor_disable"), {"token": code_later(device)}, follow=True
    )
    assert services.MUST_KEEP in response.content.decode()
    assert services.has_two_factor(site_admin)


@pytest.mark.usefixtures("admins_need_two_factor")
def test_with_the_setting_on_staff_and_managers_are_not_forced(
    site_staff_client, site_manager_client
):
    assert site_staff_client.get(reverse("site_list")).status_code == 200
    assert site_manager_client.get(reverse("site_list")).status_code == 200


def test_by_default_admins_are_not_forced(site_admin_client):
    assert site_admin_client.get(reverse("site_list")).status_code == 200
