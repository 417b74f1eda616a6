"""Generating a NetCode against the sandbox: windows, codes, history answers and roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from netcodes.models import NetCode, NetCodeIssue
from netcodes.services import FROM_HISTORY
from tests.locks.factories import KitLockFactory
from tests.netcodes.helpers import netcode_calls, netcode_form_data, post_netcode

pytestmark = pytest.mark.django_db


def test_a_manager_gets_the_code_shown_once_then_masked(sandbox, kitlock, site_manager_client):
    response = post_netcode(site_manager_client, kitlock)
    issue = NetCodeIssue.objects.get()
    assert response.status_code == 302
    page = site_manager_client.get(response.url).content.decode()
    assert issue.netcode.code in page
    again = site_manager_client.get(response.url).content.decode()
    assert issue.netcode.code not in again
    assert issue.netcode.masked_code in again
    assert netcode_calls() == 1


def test_the_confirmation_shows_the_window_on_both_clocks(sandbox, kitlock, site_manager_client):
    response = post_netcode(site_manager_client, kitlock, confirm=None)
    page = response.content.decode()
    assert "Tue 14 Jul 2026, 10:00" in page  # Harbour House, British Summer Time
    assert "Tue 14 Jul 2026, 09:00" in page  # the lock's clock counts UTC
    assert "Tue 14 Jul 2026, 12:00" in page  # expiry on the site's clock
    assert "1 NetCode call" in page
    assert netcode_calls() == 0


@pytest.mark.parametrize(
    ("model", "identifier", "length"),
    [("KL1060", "451254", 6), ("KL1060C2", "451254", 7), ("KL1060G3", "451254", 7),
     ("KL1550", "451254", 6)],
)  # fmt: skip
def test_every_kitlock_model_gets_a_code_of_its_length(
    sandbox, site, site_manager_client, model, identifier, length
):
    lock = KitLockFactory(site=site, model=model, identifier=identifier)
    post_netcode(site_manager_client, lock)
    code = NetCode.objects.get().code
    assert code.isdigit()
    assert len(code) == length


def test_a_repeated_request_comes_from_the_history_without_an_api_call(
    sandbox, kitlock, site_manager_client, site_admin_client
):
    post_netcode(site_manager_client, kitlock)
    first = NetCode.objects.get().code
    response = post_netcode(site_admin_client, kitlock, recipient_name="Someone else")
    page = site_admin_client.get(response.url).content.decode()
    assert netcode_calls() == 1
    assert sandbox.state.request_counts["netcode"] == 1
    assert FROM_HISTORY in page
    assert first in page
    assert NetCodeIssue.objects.filter(from_history=True).count() == 1


def test_the_confirmation_says_a_stored_code_is_free(sandbox, kitlock, site_manager_client):
    post_netcode(site_manager_client, kitlock)
    page = post_netcode(site_manager_client, kitlock, confirm=None).content.decode()
    assert "free" in page
    assert "already in the history" in page


def test_a_start_off_the_hour_is_refused_with_the_reason(sandbox, kitlock, site_manager_client):
    response = post_netcode(site_manager_client, kitlock, start_time="10:30")
    page = response.content.decode()
    assert "Hour codes must start on the hour" in page
    assert "Carla Cleaner" in page  # the input is kept
    assert NetCode.objects.count() == 0


def test_the_form_offers_only_midnight_on_the_lock_clock_for_day_codes(
    sandbox, kitlock, site_manager_client
):
    url = reverse("netcode_starts_kitlock", args=[kitlock.pk])
    options = site_manager_client.get(url, {"duration": "12", "start_date": "2026-07-14"})
    assert options.content.decode().count("<option") == 1
    assert 'value="01:00"' in options.content.decode()  # midnight UTC is 01:00 in summer
    response = post_netcode(site_manager_client, kitlock, duration="12", start_time="00:00")
    assert "Day codes must start at midnight on the lock&#x27;s clock (UTC)" in (
        response.content.decode()
    )
    assert "01:00 on 14 July 2026" in response.content.decode()


def test_hour_codes_offer_every_hour(sandbox, kitlock, site_manager_client):
    url = reverse("netcode_starts_kitlock", args=[kitlock.pk])
    options = site_manager_client.get(url, {"duration": "0", "start_date": "2026-07-14"})
    assert options.content.decode().count("<option") == 24


def test_the_start_follows_the_site_clock_across_the_end_of_summer_time(
    sandbox, kitlock, site_manager_client
):
    post_netcode(site_manager_client, kitlock, start_date="2026-10-24", start_time="09:00")
    post_netcode(site_manager_client, kitlock, start_date="2026-10-26", start_time="09:00")
    starts = sorted(NetCode.objects.values_list("lock_start", flat=True))
    assert starts == ["2026-10-24 08:00", "2026-10-26 09:00"]


def test_a_day_code_on_the_day_the_clocks_go_back_lasts_until_midnight_utc(
    sandbox, kitlock, site_manager_client
):
    post_netcode(site_manager_client, kitlock, duration="12", start_date="2026-10-25",
                 start_time="01:00")  # fmt: skip
    netcode = NetCode.objects.get()
    assert (netcode.lock_start, netcode.lock_end) == ("2026-10-25 00:00", "2026-10-26 00:00")


def test_staff_cannot_generate(sandbox, kitlock, site_staff_client):
    url = reverse("netcode_new_kitlock", args=[kitlock.pk])
    assert site_staff_client.get(url).status_code == 403
    assert site_staff_client.post(url, netcode_form_data()).status_code == 403
    assert netcode_calls() == 0


def test_a_lock_of_another_site_is_not_found(sandbox, other_kitlock, site_manager_client):
    url = reverse("netcode_new_kitlock", args=[other_kitlock.pk])
    assert site_manager_client.get(url).status_code == 404
    assert site_manager_client.post(url, netcode_form_data()).status_code == 404


def test_a_lock_awaiting_initialisation_gets_no_code(sandbox, site, site_manager_client):
    lock = KitLockFactory(site=site, initialised_at=None)
    page = post_netcode(site_manager_client, lock).content.decode()
    assert "has not been confirmed yet" in page
    assert netcode_calls() == 0


def test_every_code_of_a_lock_with_a_lost_clock_carries_a_warning(
    sandbox, kitlock, site_manager_client
):
    site_manager_client.post(reverse("kitlock_batteries", args=[kitlock.pk]))
    form = site_manager_client.get(reverse("netcode_new_kitlock", args=[kitlock.pk]))
    assert "its clock has not been set since" in form.content.decode()
    response = post_netcode(site_manager_client, kitlock)
    page = site_manager_client.get(response.url).content.decode()
    assert "its clock has not been set since" in page


def test_the_durations_are_fetched_once_and_then_cached(sandbox, kitlock, site_manager_client):
    url = reverse("netcode_new_kitlock", args=[kitlock.pk])
    site_manager_client.get(url)
    site_manager_client.get(url)
    assert sandbox.state.request_counts["durations"] == 1


def test_a_code_of_another_mode_than_the_lock_runs_is_refused(sandbox, kitlock):
    from django.core.exceptions import ValidationError
    from django.utils import timezone as tz

    from netcodes.clock import site_datetime
    from netcodes.models import DurationOption
    from netcodes.services import netcode_plan

    option = DurationOption.objects.create(
        lock_model="KL1060", duration_id=40, mode="Rental", days=3, fetched_at=tz.now(),
        convert_to_utc=True, apply_dst=False, restricted_start_time="00:00",
        rules_fetched_at=tz.now(),
    )  # fmt: skip
    import datetime as dt

    start = site_datetime(dt.date(2026, 7, 14), dt.time(1), kitlock.site.tz)
    with pytest.raises(ValidationError, match="set to the Standard NetCode mode"):
        netcode_plan(target=kitlock.netcode_target(), option=option, start=start)
