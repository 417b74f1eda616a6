"""Every API failure and the quota guard, as the person asking for a code sees them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from codelocks.sandbox.faults import rule_from_json
from netcodes.models import ApiCall, NetCode, NetCodeIssue
from tests.netcodes.helpers import post_netcode

pytestmark = pytest.mark.django_db

FAULTS = {
    "invalid data": ({"status": 400}, "The Codelocks API refused the data sent"),
    "bad api key": ({"status": 403}, "did not accept the API key"),
    "not found": ({"status": 404}, "could not find what was asked for"),
    "vendor quota": ({"status": 429}, "The monthly API quota is used up"),
    "server error": ({"status": 500}, "had an internal error"),
    "upstream error": ({"status": 502}, "could not reach its own back end"),
    "dropped connection": ({"drop": True}, "Could not connect to the Codelocks API"),
    "malformed answer": ({"malformed": True}, "could not be understood"),
    "error inside a 200": ({"error200": True}, "reported an error"),
}


def _fail_netcodes(sandbox, fault: dict) -> None:
    sandbox.state.faults.replace([rule_from_json({"operation": "netcode", **fault})])


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_every_api_failure_is_shown_on_the_form_with_the_input_kept(
    sandbox, kitlock, site_manager_client, fault
):
    rule, message = fault
    _fail_netcodes(sandbox, rule)
    response = post_netcode(site_manager_client, kitlock, recipient_name="Viktor Visitor")
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page.replace("&#x27;", "'")
    assert "Viktor Visitor" in page
    assert NetCode.objects.count() == 0
    assert NetCodeIssue.objects.count() == 0


def test_a_failed_call_stays_in_the_usage_ledger(sandbox, kitlock, site_manager_client):
    _fail_netcodes(sandbox, {"status": 400})
    post_netcode(site_manager_client, kitlock)
    call = ApiCall.objects.get(category="netcode")
    assert call.status == 400


def test_after_a_failure_the_same_request_can_be_made_again(sandbox, kitlock, site_manager_client):
    _fail_netcodes(sandbox, {"status": 400, "count": 1})
    post_netcode(site_manager_client, kitlock)
    response = post_netcode(site_manager_client, kitlock)
    assert response.status_code == 302
    assert NetCode.objects.get().is_ready


def _spend_netcode_quota(calls: int) -> None:
    ApiCall.objects.bulk_create(
        ApiCall(at=timezone.now(), category="netcode", operation="netcode", method="GET",
                status=200, elapsed_ms=5)
        for _ in range(calls)
    )  # fmt: skip


def test_an_exhausted_quota_refuses_without_calling_the_api(sandbox, kitlock, site_manager_client):
    _spend_netcode_quota(100)
    page = post_netcode(site_manager_client, kitlock).content.decode()
    assert "quota of 100 calls is used up" in page
    assert sandbox.state.request_counts["netcode"] == 0
    assert NetCode.objects.count() == 0


def test_an_exhausted_quota_still_gives_codes_from_the_history(
    sandbox, kitlock, site_manager_client
):
    post_netcode(site_manager_client, kitlock)
    _spend_netcode_quota(99)
    response = post_netcode(site_manager_client, kitlock, recipient_name="Second guest")
    assert response.status_code == 302
    assert NetCodeIssue.objects.filter(from_history=True).count() == 1


def test_the_form_warns_at_ninety_percent_of_the_quota(sandbox, kitlock, site_manager_client):
    _spend_netcode_quota(90)
    page = site_manager_client.get(f"/netcodes/new/kitlock/{kitlock.pk}/").content.decode()
    assert "10 of 100 NetCode calls left this month" in page
    assert "over 90% of the quota is used" in page


def test_the_form_says_what_a_code_costs(sandbox, kitlock, site_manager_client):
    page = site_manager_client.get(f"/netcodes/new/kitlock/{kitlock.pk}/").content.decode()
    assert "A new code costs 1 NetCode call" in page
    assert "100 of 100 NetCode calls left" in page


def test_the_api_down_while_fetching_durations_is_explained(sandbox, kitlock, site_manager_client):
    sandbox.state.faults.replace([rule_from_json({"operation": "durations", "status": 502})])
    response = site_manager_client.get(f"/netcodes/new/kitlock/{kitlock.pk}/")
    assert response.status_code == 200
    assert "could not reach its own back end" in response.content.decode()
