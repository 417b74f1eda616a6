"""Failed-sign-in lockout (django-axes) and rate limits counted in the shared cache."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from config import ratelimit
from tests.accounts.totp import wrong_code
from tests.factories import PASSWORD

LOCKED = "Too many failed sign-ins"


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(client, site_staff):
    for _ in range(4):
        assert _sign_in(client, "sam-staff", "wrong").status_code == 200
    response = _sign_in(client, "sam-staff", "wrong")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()

    response = _sign_in(client, "sam-staff", PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_a_lockout_holds_only_for_that_user_from_that_address(client, site_staff, site_manager):
    for _ in range(5):
        _sign_in(client, "sam-staff", "wrong")
    assert _sign_in(client, "mo-manager", PASSWORD).status_code == 302
    other = client_from("10.0.0.9")
    assert _sign_in(other, "sam-staff", PASSWORD, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(client, site_staff):
    for _ in range(4):
        _sign_in(client, "sam-staff", "wrong")
    assert _sign_in(client, "sam-staff", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _sign_in(client, "sam-staff", "wrong")
    assert _sign_in(client, "sam-staff", PASSWORD).status_code == 302


def test_failed_sign_ins_are_recorded_without_the_password(client, site_staff):
    _sign_in(client, "sam-staff", "hunter2-not-it")
    attempt = AccessAttempt.objects.get(username="sam-staff")
    assert attempt.failures_since_start == 1
    assert "hunter2-not-it" not in attempt.post_data


def test_wrong_codes_at_the_second_step_count_as_failed_sign_ins(client, site_staff):
    device = TOTPDevice.objects.create(user=site_staff, name="phone", confirmed=True)
    for _ in range(5):
        assert _sign_in(client, "sam-staff", PASSWORD).status_code == 302
        response = client.post(reverse("login_verify"), {"token": wrong_code(device)})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@pytest.fixture
def login_limit_of_three(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": 3}


@pytest.mark.usefixtures("login_limit_of_three")
def test_posting_the_sign_in_form_too_often_gets_a_clear_429_page(client, site_staff):
    for _ in range(3):
        assert _sign_in(client, "nobody", "x").status_code == 200
    response = _sign_in(client, "nobody", "x")
    assert response.status_code == 429
    assert "Too many requests. Wait" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.usefixtures("login_limit_of_three")
def test_reading_the_sign_in_page_is_not_limited(client):
    for _ in range(6):
        assert client.get(reverse("login")).status_code == 200


@pytest.mark.usefixtures("login_limit_of_three")
def test_the_sign_in_limit_counts_per_address(client, site_staff):
    for _ in range(4):
        _sign_in(client, "nobody", "x")
    other = client_from("10.0.0.7")
    assert _sign_in(other, "sam-staff", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


@pytest.fixture
def limited_view(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "netcode": 2}

    @ratelimit.rate_limited("netcode")
    def view(request):
        return HttpResponse("made a code")

    return view


def _post_as(user, view, address="127.0.0.1"):
    request = RequestFactory().post("/netcodes/new/", REMOTE_ADDR=address)
    request.user = user
    request.session = {}
    return view(request)


def test_the_netcode_limit_counts_per_signed_in_user(limited_view, site_staff, site_manager):
    assert [_post_as(site_staff, limited_view).status_code for _ in range(3)] == [200, 200, 429]
    assert _post_as(site_manager, limited_view).status_code == 200


def test_before_sign_in_the_limit_counts_per_address(limited_view):
    anonymous = AnonymousUser()
    assert [_post_as(anonymous, limited_view).status_code for _ in range(3)] == [200, 200, 429]
    assert _post_as(anonymous, limited_view, address="10.1.1.1").status_code == 200


def test_the_limit_starts_again_in_the_next_minute(limited_view, site_staff, monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(ratelimit.time, "time", lambda: now)
    for _ in range(3):
        _post_as(site_staff, limited_view)
    now += 60
    assert _post_as(site_staff, limited_view).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "127.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "127.0.0.1"),
    ],
)
def test_the_client_address_is_read_through_trusted_proxies_only(
    settings, proxies, forwarded, expected
):
    settings.KEYHOUSE_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert ratelimit.client_ip(request) == expected
