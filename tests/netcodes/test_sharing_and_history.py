"""Sharing a code (e-mail, card, reveal), the history with its filters and CSV, and usage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from netcodes.models import NetCode, NetCodeIssue
from tests.netcodes.helpers import post_netcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(sandbox, kitlock, site_manager_client):
    post_netcode(site_manager_client, kitlock, recipient_email="carla@example.com")
    return NetCodeIssue.objects.select_related("netcode").get()


def test_a_code_is_sent_by_email_with_its_lock_and_window(issue, site_manager_client):
    url = reverse("netcode_send", args=[issue.pk])
    site_manager_client.post(url, {"email": "carla@example.com"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carla@example.com"]
    assert issue.netcode.code in message.body
    assert "Plant room (Basement)" in message.body
    assert "Tue 14 Jul 2026, 10:00 until Tue 14 Jul 2026, 12:00 (Europe/London)" in message.body
    issue.refresh_from_db()
    assert issue.sent_to == "carla@example.com"


def test_staff_cannot_send_a_code(issue, site_staff_client):
    response = site_staff_client.post(reverse("netcode_send", args=[issue.pk]), {"email": "x@y.z"})
    assert response.status_code == 403
    assert mail.outbox == []


def test_the_printable_card_has_the_code_and_how_to_key_it(issue, site_manager_client):
    page = site_manager_client.get(reverse("netcode_card", args=[issue.pk])).content.decode()
    assert issue.netcode.code in page
    assert "key in the 6-digit code" in page
    assert "Basement" in page


def test_managers_reveal_a_stored_code_and_staff_cannot(
    issue, site_manager_client, site_staff_client
):
    url = reverse("netcode_reveal", args=[issue.pk])
    assert issue.netcode.code in site_manager_client.post(url).content.decode()
    assert site_staff_client.post(url).status_code == 403


def test_staff_see_the_history_with_codes_masked(issue, site_staff_client):
    page = site_staff_client.get(reverse("netcode_history")).content.decode()
    assert "Carla Cleaner" in page
    assert issue.netcode.code not in page
    detail = site_staff_client.get(reverse("netcode_issue", args=[issue.pk])).content.decode()
    assert issue.netcode.code not in detail


def test_the_code_is_encrypted_at_rest(issue):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM netcodes_netcode")
        (stored,) = cursor.fetchone()
    assert issue.netcode.code not in stored


def test_another_site_does_not_see_the_code(issue, outsider_client):
    assert "Carla Cleaner" not in outsider_client.get(reverse("netcode_history")).content.decode()
    assert outsider_client.get(reverse("netcode_issue", args=[issue.pk])).status_code == 404


def test_the_history_filters_by_person_and_date(issue, site_manager_client):
    url = reverse("netcode_history")
    assert "Carla Cleaner" in site_manager_client.get(url, {"person": "carla"}).content.decode()
    assert "Carla Cleaner" not in site_manager_client.get(url, {"person": "bob"}).content.decode()
    later = site_manager_client.get(url, {"date_from": "2026-07-15"}).content.decode()
    assert "Carla Cleaner" not in later


def test_the_history_exports_csv_with_codes_masked(issue, site_manager_client):
    response = site_manager_client.get(reverse("netcode_history"), {"export": "csv"})
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Carla Cleaner" in text
    assert "2026-07-14 10:00" in text
    assert issue.netcode.code not in text


def test_the_usage_page_counts_this_months_calls(issue, site_manager_client):
    page = site_manager_client.get(reverse("usage")).content.decode()
    assert "NetCode calls" in page
    assert "1 <span" in page  # one NetCode call of 100
    assert NetCode.objects.count() == 1


def test_staff_do_not_see_the_usage_page(site_staff_client):
    assert site_staff_client.get(reverse("usage")).status_code == 403


def test_the_history_sorts_by_start_either_way(sandbox, kitlock, site_manager_client):
    from django.urls import reverse

    from tests.netcodes.helpers import post_netcode

    post_netcode(site_manager_client, kitlock, start_time="10:00", recipient_name="Early Bird")
    post_netcode(site_manager_client, kitlock, start_time="15:00", recipient_name="Late Owl")
    url = reverse("netcode_history")
    latest = site_manager_client.get(url, {"sort": "starts"}).content.decode()
    earliest = site_manager_client.get(url, {"sort": "starts_first"}).content.decode()
    assert latest.index("Late Owl") < latest.index("Early Bird")
    assert earliest.index("Early Bird") < earliest.index("Late Owl")


def _history(client, **params) -> str:
    response = client.get(reverse("netcode_history"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_history_shows_each_window_on_its_sites_clock_and_who_asked(
    site, site_manager, site_manager_client
):
    from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory

    start = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # 10:00 in London (summer time)
    code = NetCodeFactory(site=site, lock_name="Plant room", starts_at=start, code="7830719")
    issue = NetCodeIssueFactory(
        netcode=code, requested_by=site_manager, recipient_name="Carla Cleaner", from_history=True
    )
    NetCodeIssue.objects.filter(pk=issue.pk).update(requested_at=start - timedelta(days=1))
    page = _history(site_manager_client)
    url = reverse("netcode_issue", args=[issue.pk])
    assert f'<a href="{url}">1 Jul 2026 10:00</a> \N{EN DASH} 1 Jul 12:00' in page
    assert "Plant room" in page and "Harbour House" in page
    assert "mo-manager" in page and "30 Jun 2026 10:00 · from history" in page
    assert "•" * 7 in page and "7830719" not in page


def test_the_history_finds_codes_by_who_asked_for_them(
    site, site_manager, site_staff, site_manager_client
):
    from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory

    NetCodeIssueFactory(
        netcode=NetCodeFactory(site=site), requested_by=site_manager, recipient_name="Ann"
    )
    NetCodeIssueFactory(
        netcode=NetCodeFactory(site=site), requested_by=site_staff, recipient_name="Bea"
    )
    page = _history(site_manager_client, person="MO-MAN")
    assert "Ann" in page and "Bea" not in page


def test_the_history_shows_twenty_five_codes_a_page(site, site_manager_client):
    from tests.dashboard.factories import NetCodeFactory, NetCodeIssueFactory

    for n in range(30):
        NetCodeIssueFactory(netcode=NetCodeFactory(site=site), recipient_name=f"Guest {n}")
    first, second = _history(site_manager_client), _history(site_manager_client, page=2)
    assert first.count("<tr>") - 1 == 25 and ">Next</a>" in first
    assert second.count("<tr>") - 1 == 5 and "26\N{EN DASH}30" in second
