"""Bulk NetCodes: rows checked and priced before anything is generated, results as CSV."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from netcodes.models import NetCode, NetCodeBatch
from tests.netcodes.helpers import netcode_calls, post_netcode

pytestmark = pytest.mark.django_db

ROWS = """lock,start,duration,recipient,email
Plant room,2026-07-14 10:00,2h,Carla Cleaner,carla@example.com
Plant room,2026-07-15 10:00,3 hours,Dan Driver,
Plant room,2026-07-15 10:00,3h,Dan again,
Nowhere,2026-07-14 10:00,2h,Lost Lou,
Plant room,14/07/2026,2h,Bad Date,
Plant room,2026-07-14 10:00,5 weeks,Long Stay,
Plant room,2026-07-14 10:30,2h,Half Past,
Plant room,2026-07-14 11:00,2h,,not-an-email
"""


def _upload(client, site, **extra):
    data = {"site": site.pk, "file": SimpleUploadedFile("rows.csv", ROWS.encode()), **extra}
    data.update({"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"})
    return client.post(reverse("netcode_bulk"), data)


def test_the_preview_explains_every_bad_row_and_prices_the_good_ones(
    sandbox, site, kitlock, site_manager_client
):
    post_netcode(site_manager_client, kitlock)  # row 1 is then already in the history
    page = _upload(site_manager_client, site, preview="1").content.decode().replace("&#x27;", "'")
    assert "No KitLock of this site is called or has the timecode “Nowhere”" in page
    assert "The start must be YYYY-MM-DD HH:MM" in page
    assert "“5 weeks” is not a duration of this lock" in page
    assert "Hour codes must start on the hour" in page
    assert "Say whom the code is for." in page
    assert "“not-an-email” is not an e-mail address." in page
    assert "already in the history" in page
    assert "same code as row 2" in page
    assert "uses 1 NetCode call;" in page
    assert netcode_calls() == 1


def test_generating_makes_only_the_valid_rows_and_pays_only_for_new_codes(
    sandbox, site, kitlock, site_manager_client
):
    page = _upload(site_manager_client, site, preview="1").content.decode()
    assert "uses 2 NetCode calls" in page
    from netcodes.bulk import rows_from_csv, rows_to_csv

    data = {"site": site.pk, "rows_csv": rows_to_csv(rows_from_csv(ROWS)), "generate": "1"}
    data.update({"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"})
    response = site_manager_client.post(reverse("netcode_bulk"), data)
    assert response.status_code == 200
    assert netcode_calls() == 2
    assert NetCode.objects.count() == 2
    batch = NetCodeBatch.objects.get()
    assert batch.issues.count() == 3
    csv_text = site_manager_client.get(reverse("netcode_bulk_results", args=[batch.pk]))
    text = csv_text.content.decode()
    for netcode in NetCode.objects.all():
        assert netcode.code in text
    assert "Carla Cleaner" in text
    assert "Dan again" in text


def test_rows_can_be_typed_into_the_table(sandbox, site, kitlock, site_manager_client):
    data = {
        "site": site.pk,
        "preview": "1",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-0-lock": "Plant room",
        "rows-0-start": "2026-07-14 10:00",
        "rows-0-duration": "1d",
        "rows-0-recipient": "Day Tripper",
    }
    page = site_manager_client.post(reverse("netcode_bulk"), data).content.decode()
    assert "Day codes must start at midnight" in page  # 10:00 is no day-code start


def test_a_bulk_request_larger_than_the_quota_left_is_refused(
    sandbox, site, kitlock, site_manager_client
):
    from tests.netcodes.test_faults_and_quota import _spend_netcode_quota

    _spend_netcode_quota(99)
    from netcodes.bulk import rows_from_csv, rows_to_csv

    data = {"site": site.pk, "rows_csv": rows_to_csv(rows_from_csv(ROWS)), "generate": "1"}
    data.update({"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"})
    page = site_manager_client.post(reverse("netcode_bulk"), data).content.decode()
    assert "quota of 100 calls is used up" in page
    assert NetCode.objects.count() == 0


def test_staff_cannot_use_bulk(site, site_staff_client):
    data = {"site": site.pk, "rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"}
    response = site_staff_client.post(reverse("netcode_bulk"), data)
    assert "Select a valid choice" in response.content.decode()
