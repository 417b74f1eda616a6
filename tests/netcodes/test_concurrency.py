"""Two people asking for the same code at the same moment cause one API call (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from codelocks.sandbox.faults import rule_from_json
from netcodes import clock
from netcodes.durations import durations_for
from netcodes.models import ApiCall, NetCode, NetCodeIssue
from netcodes.services import netcode_generate, netcode_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer, so it cannot show two requests racing; "
    "run with DATABASE_URL=postgres://… to exercise the claim row and its unique constraint",
)
def test_two_identical_requests_at_once_make_one_api_call(sandbox, kitlock, site_manager):
    from datetime import date, time

    # A slow API makes the second request arrive while the first is still waiting for it.
    sandbox.state.faults.replace([rule_from_json({"operation": "netcode", "delay": 0.5})])
    option = next(o for o in durations_for(kitlock.model) if o.duration_id == 1)
    start = clock.site_datetime(date(2026, 7, 14), time(10), kitlock.site.tz)
    barrier, errors = threading.Barrier(2), []

    def ask(name: str) -> None:
        try:
            plan = netcode_plan(target=kitlock.netcode_target(), option=option, start=start)
            barrier.wait()
            netcode_generate(plan=plan, recipient_name=name, user=site_manager)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(n,)) for n in ("Ann", "Ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sandbox.state.request_counts["netcode"] == 1
    assert ApiCall.objects.filter(category="netcode").count() == 1
    assert NetCode.objects.count() == 1
    assert sorted(NetCodeIssue.objects.values_list("from_history", flat=True)) == [False, True]
