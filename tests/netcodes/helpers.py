"""Helpers of the NetCode tests."""

from __future__ import annotations

from django.urls import reverse

from netcodes.models import ApiCall


def netcode_form_data(**overrides: str) -> dict[str, str]:
    data = {
        "duration": "1",  # 2 hours
        "start_date": "2026-07-14",
        "start_time": "10:00",
        "recipient_name": "Carla Cleaner",
        "recipient_email": "",
        "note": "",
        "confirm": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_netcode(client, lock, **overrides: str):
    url = reverse("netcode_new_kitlock", args=[lock.pk])
    return client.post(url, netcode_form_data(**overrides))


def netcode_calls() -> int:
    """NetCode calls in the usage ledger."""
    return ApiCall.objects.filter(category="netcode").count()
