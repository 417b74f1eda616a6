"""Runs whose worker vanished mid-run: closed after the time limit with the reason, lease freed."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from k3clients.models import K3Account, SmartLock, SyncRun, SyncStatus
from k3clients.sync import runs as sync_runs
from k3clients.sync.lease import account_lease_claim
from k3clients.sync.manual import ALREADY_RUNNING, SYNC_STARTED
from k3clients.sync.planner import What
from k3clients.sync.runs import sync_item, sync_run_create, sync_run_execute
from k3clients.sync.sweep import (
    NEVER_STARTED,
    WORKER_STOPPED,
    stall_limits,
    stalled_run_close,
    stalled_runs,
    sync_runs_sweep,
)
from k3clients.tasks import TOOK_TOO_LONG, sync_run
from netcodes.models import ApiCall
from tests.sync.conftest import control

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


def _vanished(account: K3Account, minutes_ago: float = 0, status: str = "running") -> SyncRun:
    """A run a worker took (claiming the account's lease), then died in without a word."""
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="planner")
    token = account_lease_claim(account_pk=account.pk)
    heartbeat = timezone.now() - timedelta(minutes=minutes_ago)
    SyncRun.objects.filter(pk=run.pk).update(
        status=status, started_at=heartbeat, heartbeat_at=heartbeat, lease_token=token
    )
    return SyncRun.objects.get(pk=run.pk)


def _reason(run: SyncRun, template: str = WORKER_STOPPED, now: datetime | None = None) -> str:
    """The reason a sweep at `now` gives: the time on the site's clock, and the day if another."""
    zone = run.site.tz
    last = timezone.localtime(run.heartbeat_at, zone)
    since = last.strftime("%H:%M")
    if last.date() != timezone.localtime(now or timezone.now(), zone).date():
        since = f"{last.day} {last:%b} {since}"
    return template.format(since=since)


def _lease_token(account: K3Account) -> str:
    return K3Account.objects.get(pk=account.pk).sync_lease_token


def test_a_run_whose_worker_vanished_is_closed_after_the_time_limit_and_not_before(account):
    run = _vanished(account)
    limit = stall_limits()[SyncStatus.RUNNING]
    assert limit > timedelta(seconds=django_settings.CELERY_TASK_TIME_LIMIT)

    assert sync_runs_sweep(now=run.heartbeat_at + limit - SECOND) == 0
    assert SyncRun.objects.get(pk=run.pk).status == SyncStatus.RUNNING
    assert _lease_token(account) == run.lease_token

    swept_at = run.heartbeat_at + limit + SECOND
    assert sync_runs_sweep(now=swept_at) == 1
    closed = SyncRun.objects.get(pk=run.pk)
    assert closed.status == SyncStatus.STOPPED
    assert closed.is_finished
    assert _reason(run, now=swept_at) in closed.errors
    assert _lease_token(account) == ""


def test_a_healthy_long_run_is_not_touched(account):
    run = _vanished(account, minutes_ago=1)
    SyncRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=3))

    assert sync_runs_sweep() == 0

    run.refresh_from_db()
    assert run.status == SyncStatus.RUNNING
    assert run.errors == ""
    assert _lease_token(account) == run.lease_token


def test_a_run_waiting_for_its_retry_is_given_the_backoff_as_well(account):
    run = _vanished(account, status=SyncStatus.RETRYING)
    running, retrying = stall_limits()[SyncStatus.RUNNING], stall_limits()[SyncStatus.RETRYING]
    assert retrying > running

    assert sync_runs_sweep(now=run.heartbeat_at + running + SECOND) == 0
    assert sync_runs_sweep(now=run.heartbeat_at + retrying + SECOND) == 1


def test_a_queued_run_no_worker_took_is_closed_after_an_hour(account):
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="planner")

    assert sync_runs_sweep(now=run.created_at + timedelta(minutes=59)) == 0
    swept_at = run.created_at + timedelta(minutes=61)
    assert sync_runs_sweep(now=swept_at) == 1

    closed = SyncRun.objects.get(pk=run.pk)
    assert closed.status == SyncStatus.STOPPED
    assert _reason(run, NEVER_STARTED, now=swept_at) in closed.errors


def test_the_next_sync_proceeds_once_the_vanished_run_is_closed(account):
    dead = _vanished(account, minutes_ago=30)
    # However long its lease was, closing the run frees it.
    K3Account.objects.filter(pk=account.pk).update(
        sync_lease_until=timezone.now() + timedelta(hours=1)
    )

    sync_runs_sweep()
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="planner")
    run = sync_run_execute(run_pk=run.pk)

    assert run.status == SyncStatus.DONE
    assert SyncRun.objects.get(pk=dead.pk).status == SyncStatus.STOPPED
    assert _lease_token(account) == ""


def test_two_sweepers_at_once_close_it_once(account):
    run = _vanished(account, minutes_ago=30)
    now = timezone.now()
    seen_by_first = list(stalled_runs(SyncRun.objects.all(), now))
    seen_by_second = list(stalled_runs(SyncRun.objects.all(), now))

    assert stalled_run_close(run=seen_by_first[0], now=now) is True
    assert stalled_run_close(run=seen_by_second[0], now=now + SECOND) is False

    closed = SyncRun.objects.get(pk=run.pk)
    assert closed.errors.count(_reason(run)) == 1
    assert closed.finished_at == now


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_sweepers_in_two_threads_close_it_once(account):
    run = _vanished(account, minutes_ago=30)
    start, closed = threading.Barrier(2), []

    def sweeper() -> None:
        start.wait()
        try:
            closed.append(sync_runs_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(closed) == [0, 1]
    assert SyncRun.objects.get(pk=run.pk).errors.count(_reason(run)) == 1


def test_a_sweep_while_a_run_moves_on_leaves_it_running(account):
    run = _vanished(account, minutes_ago=30)
    seen = list(stalled_runs(SyncRun.objects.all(), timezone.now()))
    SyncRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())  # the worker wrote

    assert stalled_run_close(run=seen[0], now=timezone.now()) is False
    assert SyncRun.objects.get(pk=run.pk).status == SyncStatus.RUNNING


def test_a_worker_that_outlived_its_limit_does_not_reopen_the_closed_run(account, monkeypatch):
    def item_outlived_by_the_sweeper(run, item):
        sync_runs_sweep(now=timezone.now() + timedelta(hours=2))
        return "lock list: done"

    monkeypatch.setattr(sync_runs, "_do_item", item_outlived_by_the_sweeper)
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="planner")

    run = sync_run_execute(run_pk=run.pk)

    assert run.status == SyncStatus.STOPPED
    assert run.items_done == 0
    assert WORKER_STOPPED.split(":")[0] in run.errors


def test_a_task_redelivered_after_its_worker_died_is_not_marked_skipped(account):
    run = _vanished(account)
    calls = ApiCall.objects.count()

    again = sync_run_execute(run_pk=run.pk)

    assert again.status == SyncStatus.RUNNING
    assert again.notes == ""
    assert ApiCall.objects.count() == calls


def test_a_run_cut_by_the_soft_time_limit_says_so_and_frees_the_account(account, monkeypatch):
    def too_slow(run, item):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(sync_runs, "_do_item", too_slow)
    run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="planner")

    sync_run.apply(args=[run.pk])

    run.refresh_from_db()
    seconds = django_settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert run.status == SyncStatus.FAILED
    assert TOOK_TOO_LONG.format(seconds=seconds) in run.errors
    assert _lease_token(account) == ""


def test_beat_sweeps_every_minute_with_a_registered_task():
    entry = django_settings.CELERY_BEAT_SCHEDULE["k3clients-sync-sweep"]

    assert entry["schedule"] <= 60
    assert entry["task"] in app.tasks


def test_the_page_shows_a_vanished_run_as_stopped_with_the_reason(account, site_staff_client):
    run = _vanished(account, minutes_ago=30)

    page = site_staff_client.get(reverse("k3_sync_page", args=[account.site_id])).text

    assert "Stopped" in page
    assert _reason(run) in page
    assert "hx-get" not in page.split('id="sync-runs"')[1].split(">")[0]
    assert "<progress" not in page


def test_sync_now_after_a_vanished_run_starts_a_new_sync(account, site_manager_client):
    url = reverse("k3_sync_now", args=[account.site_id])
    recent = _vanished(account, minutes_ago=1)
    refused = site_manager_client.post(url, follow=True).text
    assert ALREADY_RUNNING.format(site=account.site) in refused
    SyncRun.objects.filter(pk=recent.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    page = site_manager_client.post(url, follow=True).text

    started = SyncRun.objects.exclude(pk=recent.pk).get()
    assert SYNC_STARTED.format(site=account.site, calls=started.calls_planned) in page
    assert SyncRun.objects.get(pk=recent.pk).status == SyncStatus.STOPPED


@pytest.mark.parametrize(("claimed_minutes_ago", "emails"), [(1, 0), (30, 1)])
def test_a_battery_alert_claimed_by_a_sync_that_died_is_sent_by_a_later_one(
    sandbox, account, site_manager, claimed_minutes_ago, emails
):
    lock = account.locks.order_by("pk").first()
    SmartLock.objects.filter(account=account).exclude(pk=lock.pk).update(
        battery_low_since=timezone.now()
    )
    control(sandbox, "battery", {"lock_id": lock.lock_id, "battery": 9})
    # A sync claimed the low episode, then its worker died before the e-mail went out.
    claimed = timezone.now() - timedelta(minutes=claimed_minutes_ago)
    SmartLock.objects.filter(pk=lock.pk).update(battery_low_since=claimed)
    mail.outbox.clear()

    for _ in range(2):
        run = sync_run_create(account=account, items=[sync_item(What.LOCKS)], trigger="planner")
        sync_run_execute(run_pk=run.pk)

    assert len(mail.outbox) == emails
    lock.refresh_from_db()
    assert lock.battery_low_since == claimed


def test_a_run_silent_since_another_day_says_which_day(account):
    run = _vanished(account)
    london = run.site.tz
    friday_night = datetime(2026, 11, 20, 23, 50, tzinfo=london)
    SyncRun.objects.filter(pk=run.pk).update(heartbeat_at=friday_night)

    assert sync_runs_sweep(now=datetime(2026, 11, 21, 0, 10, tzinfo=london)) == 1

    assert WORKER_STOPPED.format(since="20 Nov 23:50") in SyncRun.objects.get(pk=run.pk).errors
