"""NetCode generation end to end: the form posted, the sandbox called, the code page shown."""

from __future__ import annotations

import re
import statistics
import time
import tracemalloc
from datetime import timedelta

from bench._django import sandbox
from bench._measure import markdown_table, p95


def _kitlock() -> object:
    """An initialised KL1060 of a site the Manager belongs to, with its clock set."""
    from locks.models import KitLock, Role

    return (
        KitLock.objects.filter(
            site__memberships__role=Role.MANAGER,
            model="KL1060",
            initialised_at__isnull=False,
            clock_needs_setting=False,
        )
        .select_related("site")
        .order_by("pk")
        .first()
    )


def _form(n: int) -> dict[str, str]:
    """The form of the n-th code: each one a new window, so each one calls the API."""
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=2 + n // 20)
    return {
        "duration": "1",
        "start_date": day.isoformat(),
        "start_time": f"{2 + n % 20:02d}:00",
        "recipient_name": f"Bench guest {n}",
        "confirm": "1",
    }


def bench_generation(runs: int) -> str:
    """Generate `runs` codes as the Manager (after two warm-ups); give the Markdown table."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from locks.scale import MANAGER_USERNAME

    client = Client()
    client.force_login(get_user_model().objects.get(username=MANAGER_USERNAME))
    lock = _kitlock()
    url = reverse("netcode_new_kitlock", args=[lock.pk])
    offset = int(time.time()) % 1000 * 100  # a new window on every run of the bench

    def generate(n: int) -> None:
        response = client.post(url, _form(offset + n), follow=True)
        if not response.redirect_chain:
            errors = re.findall(
                r'class="(?:alert alert-danger|invalid-feedback)[^"]*"[^>]*>([^<]+)', response.text
            )
            raise SystemExit(f"NetCode generation failed: {' '.join(errors).strip()[:300]}")

    with sandbox():
        samples = []
        for n in range(runs + 2):
            began = time.perf_counter()
            generate(n)
            if n >= 2:
                samples.append((time.perf_counter() - began) * 1000)
        tracemalloc.start()
        generate(runs + 2)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    row = [
        "NetCode generation (post, API call, code page)",
        f"{statistics.median(samples):.1f}",
        f"{p95(samples):.1f}",
        f"{peak:.1f}",
    ]
    return markdown_table(
        ["action (Manager, sandbox API)", "median ms", "p95 ms", "peak MiB"], [row]
    )
