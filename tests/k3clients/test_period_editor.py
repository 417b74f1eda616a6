"""The active-period editor: validation, tampered and oversized forms, presets, preview, schema."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from codelocks.types import ActivePeriod
from k3clients.forms import BAD_TIME, NO_WEEKDAY, TAMPERED
from k3clients.periods import OVERNIGHT_EXPLAINED, describe, preset, weekly_preview
from k3clients.services import NO_ENABLED_PERIOD
from netcodes.models import ApiCall
from tests.k3clients.conftest import fault, free_registered_email, period_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(sandbox, lock, site_staff_client):
    """POST the invite form with some changes to the rows; give the response."""
    email = free_registered_email(sandbox, lock.lock_id)

    def post(periods=None, **overrides):
        data = period_post(periods, email=email, access_type="STANDARD", message="Welcome")
        data.update(overrides)
        return site_staff_client.post(reverse("k3_client_invite", args=[lock.pk]), data)

    post.email = email
    return post


def _nothing_sent() -> bool:
    return not ApiCall.objects.filter(operation="create_client").exists()


def test_a_time_that_is_not_hh_mm_is_refused(invite):
    response = invite(**{"periods-0-starts": "8am"})
    assert BAD_TIME in response.text
    assert _nothing_sent()


def test_a_period_ending_before_it_starts_explains_overnight_periods(invite):
    response = invite([ActivePeriod(starts="22:00", ends="06:00")])
    assert OVERNIGHT_EXPLAINED in response.text
    assert _nothing_sent()


def test_an_enabled_period_without_a_weekday_is_refused(invite):
    days = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), False)
    response = invite([ActivePeriod(**days)])
    assert NO_WEEKDAY in response.text
    assert _nothing_sent()


def test_a_standard_user_needs_an_enabled_period(invite):
    response = invite([])
    assert NO_ENABLED_PERIOD in response.text
    assert _nothing_sent()


def test_a_one_time_user_may_have_no_period(invite, lock):
    response = invite([], access_type="ONE_TIME")
    assert response.status_code == 302
    assert lock.phone_clients.get(email=invite.email).access_type == "ONE_TIME"


@pytest.mark.parametrize(
    "tampering",
    [
        {"periods-TOTAL_FORMS": "11", "periods-10-index": "10", "periods-10-starts": "01:00"},
        {"periods-TOTAL_FORMS": "1000"},
        {"periods-TOTAL_FORMS": "9"},
        {"periods-3-index": "7"},
        {"periods-12-enabled": "on"},
        {"periods-2-mon": "maybe"},
        {"periods-0-enabled": "yes please"},
    ],
    ids=[
        "eleven-rows",
        "a-thousand-rows",
        "nine-rows",
        "swapped-index",
        "stray-row",
        "bad-bool",
        "bad-enabled",
    ],
)
def test_a_tampered_form_is_refused_with_a_clear_message(invite, tampering):
    response = invite(**tampering)
    assert response.status_code == 200
    assert TAMPERED in response.text
    assert _nothing_sent()


def test_a_form_without_its_row_count_is_refused(invite):
    response = invite(**{"periods-TOTAL_FORMS": ""})
    assert TAMPERED in response.text
    assert _nothing_sent()


def test_a_row_left_out_is_refused(sandbox, lock, site_staff_client):
    data = period_post(email="bob@example.com", access_type="STANDARD", message="Hi")
    for key in [k for k in data if k.startswith("periods-4-")]:
        del data[key]
    response = site_staff_client.post(reverse("k3_client_invite", args=[lock.pk]), data)
    assert TAMPERED in response.text


def test_an_oversized_post_is_a_bad_request_not_a_server_error(lock, site_staff_client):
    data = period_post(email="bob@example.com", access_type="STANDARD", message="Hi")
    data.update({f"periods-{n}-mon": "on" for n in range(10, 2000)})
    response = site_staff_client.post(reverse("k3_client_invite", args=[lock.pk]), data)
    assert response.status_code == 400


def test_a_preset_fills_the_rows_without_sending_and_keeps_the_form(invite):
    response = invite(preset="weekdays")
    assert 'name="periods-0-starts" value="08:00"' in response.text
    assert re.search(r'name="periods-0-sat"(?![^>]*checked)', response.text)
    assert f'value="{invite.email}"' in response.text
    assert "Mon</th>" in response.text and "08:00-18:00" in response.text
    assert _nothing_sent()


def test_copying_a_row_fills_the_next_free_row(invite):
    response = invite([ActivePeriod(starts="06:15", ends="07:45")], copy="0")
    assert 'name="periods-1-starts" value="06:15"' in response.text
    assert re.search(r'name="periods-1-enabled"[^>]*checked', response.text)
    assert _nothing_sent()


def test_the_page_shows_a_weekly_preview_without_javascript(lock, site_staff_client):
    response = site_staff_client.get(reverse("k3_client_invite", args=[lock.pk]))
    assert response.text.count("All day") == 7
    assert "js/k3clients.js" in response.text


def test_the_editor_has_no_inline_script_or_handlers(lock, site_staff_client):
    response = site_staff_client.get(reverse("k3_client_invite", args=[lock.pk]))
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    assert not re.search(r"\son[a-z]+=", response.text)


def test_the_preview_merges_overlapping_periods_and_leaves_closed_days_empty():
    periods = [
        ActivePeriod(starts="08:00", ends="12:00", sat=False, sun=False),
        ActivePeriod(starts="11:00", ends="18:30", sat=False, sun=False),
    ]
    week = weekly_preview(periods)
    assert week[0].summary == "08:00-18:30"
    assert week[5].summary == "No access"
    assert week[0].hours[8] == "open" and week[0].hours[18] == "part"
    assert describe(preset("weekdays")) == ["Mon-Fri 08:00-18:00"]


def test_the_api_schema_is_fetched_once_and_then_reused(sandbox, lock, site_staff_client):
    for email in ("bob@example.com", "carol@example.com"):
        data = period_post(email=email, access_type="STANDARD", message="Hi")
        site_staff_client.post(reverse("k3_client_invite", args=[lock.pk]), data)
    assert ApiCall.objects.filter(operation="spc_config").count() == 1


def test_periods_the_api_schema_refuses_are_not_sent(sandbox, invite):
    schema = {"type": "object", "maxProperties": 5}
    body = json.dumps({"activeperiods": json.dumps({"sample": {}, "schema": schema})})
    fault(sandbox, operation="spc_config", malformed=True, body=body)

    response = invite()

    assert "do not match the API" in response.text
    assert "more than 5 entries" in response.text
    assert _nothing_sent()
