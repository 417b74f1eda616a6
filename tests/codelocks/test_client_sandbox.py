"""The client against the sandbox over a real socket: every operation, faults and secrets."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import pytest

from codelocks import ActivePeriod, CodelocksClient, errors
from codelocks.types import AuditEntry, K3Lock

from .conftest import ACCESSKEY, API_KEY

START = datetime.fromisoformat("2026-04-22 14:00")


def test_every_documented_operation_answers_typed_data(client, first_lock):
    code = client.netcode(
        "202604221226", start=START, duration=1, lockmodel="KL1060", identifier="921239"
    )
    assert len(code.actual_netcode) == 6
    assert code.expires == datetime.fromisoformat("2026-04-22 16:00")
    init = client.init_sequence(lockmodel="KL1060", randomid=False)
    assert init.identifier == "123456"
    assert len(client.durations()) == 19
    assert client.modes()[0].sub_mode == "alltime"
    assert client.duration(12, "KL1060").durations[0].days == 1
    locks = client.k3_locks(ACCESSKEY)
    assert all(isinstance(lock, K3Lock) for lock in locks)
    assert client.k3_lock(ACCESSKEY, first_lock).lock_location
    assert client.k3_account(ACCESSKEY).email == "facilities@example.com"
    assert client.k3_clients(ACCESSKEY, first_lock).count == 3
    entries = client.k3_audit(ACCESSKEY, first_lock, perpage=5)
    assert all(isinstance(entry, AuditEntry) for entry in entries)
    assert entries[0].date_entered.tzinfo is UTC
    assert client.spc_config().parsed is not None


def test_the_client_lifecycle_of_a_phone_client(client, first_lock, control):
    period = ActivePeriod(starts="08:00", ends="18:00", sat=False, sun=False)
    client.create_client(ACCESSKEY, first_lock, "ivan@example.com", [period], "STANDARD", "Hi")
    control("POST", "accept", {"lock_id": first_lock, "email": "ivan@example.com"})
    client.set_client_state(ACCESSKEY, first_lock, "ivan@example.com", "SUSPEND")
    page = client.k3_clients(ACCESSKEY, first_lock)
    ivan = next(c for c in page.clients if c.email == "ivan@example.com")
    assert ivan.status == "suspended"
    assert ivan.active_periods == {"0": period}
    result = client.delete_client(ACCESSKEY, first_lock, "ivan@example.com")
    assert (result.result, result.email) == ("success", "ivan@example.com")


def test_a_get_is_retried_past_two_502s_and_the_hook_sees_three_attempts(
    client, control, records, sleeps
):
    control("POST", "faults", [{"operation": "k3_locks", "status": 502, "count": 2}])
    assert client.k3_locks(ACCESSKEY)
    assert [(r.operation, r.status) for r in records] == [
        ("k3_locks", 502),
        ("k3_locks", 502),
        ("k3_locks", 200),
    ]
    assert all(r.category == "utility" and r.method == "GET" for r in records)
    assert len(sleeps) == 2


def test_a_post_that_times_out_is_sent_exactly_once(sandbox, control, first_lock, records):
    control("POST", "faults", [{"operation": "create_client", "delay": 1.5}])
    slow = CodelocksClient(API_KEY, sandbox.url, timeout=0.3, on_request=records.append)
    with pytest.raises(errors.Timeout) as caught:
        slow.create_client(
            ACCESSKEY, first_lock, "ivan@example.com", [ActivePeriod()], "STANDARD", "Hello"
        )
    assert caught.value.request_may_have_reached_server is True
    assert len(records) == 1
    deadline = time.monotonic() + 5
    while not sandbox.state.request_counts["create_client"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sandbox.state.request_counts["create_client"] == 1
    # The request did reach the sandbox: reading back shows the invitation.
    clients = CodelocksClient(API_KEY, sandbox.url).k3_clients(ACCESSKEY, first_lock)
    assert "ivan@example.com" in {c.email for c in clients.clients}


def test_a_slow_server_raises_timeout_within_the_configured_bound(sandbox, control):
    control("POST", "faults", [{"operation": "durations", "delay": 3}])
    slow = CodelocksClient(API_KEY, sandbox.url, timeout=0.4, sleep=lambda _: None)
    started = time.monotonic()
    with pytest.raises(errors.Timeout):
        slow.durations()
    assert time.monotonic() - started < 1.5


def test_a_dropped_connection_is_a_connection_failure_after_the_retries(client, control, records):
    control("POST", "faults", [{"operation": "k3_account", "status": "drop"}])
    with pytest.raises(errors.ConnectionFailure):
        client.k3_account(ACCESSKEY)
    assert [(r.status, r.error) for r in records] == [(None, "ConnectionFailure")] * 4


@pytest.mark.parametrize(
    ("action", "error_class"),
    [("malformed", errors.MalformedResponse), ("error200", errors.ErrorInResponse)],
)
def test_malformed_and_error_inside_200_raise(client, control, action, error_class):
    control("POST", "faults", [{"operation": "netcode", action: True, "count": 1}])
    with pytest.raises(error_class):
        client.netcode(
            "202604221226", start=START, duration=1, lockmodel="KL1060", identifier="921239"
        )


@pytest.mark.parametrize(
    ("call", "error_class"),
    [
        (lambda c: c.netcode("2026042212", START, 1, "KL1060", "921239"), errors.InvalidData),
        (lambda c: c.k3_lock(ACCESSKEY, "0" * 32), errors.NotFound),
        (lambda c: c.k3_locks("not-a-key"), errors.InvalidAccessKey),
        (lambda c: c.init_sequence(lockmodel="KL1060G3"), errors.InvalidData),
    ],
)
def test_sandbox_refusals_map_to_typed_errors(client, call, error_class):
    with pytest.raises(error_class):
        call(client)


def test_a_wrong_api_key_is_an_authentication_error(sandbox):
    with pytest.raises(errors.AuthenticationError) as caught:
        CodelocksClient("wrong-key", sandbox.url).durations()
    assert caught.value.status == 403
    assert caught.value.api_message == "Forbidden"


def test_the_quota_cut_off_is_quota_exceeded(client, control):
    control("POST", "usage", {"netcode": 100})
    with pytest.raises(errors.QuotaExceeded) as caught:
        client.netcode(
            "202604221226", start=START, duration=1, lockmodel="KL1060", identifier="921239"
        )
    assert caught.value.status == 429


def test_secrets_stay_out_of_logs_and_errors(sandbox, control, caplog, first_lock):
    caplog.set_level(logging.DEBUG)
    control("POST", "faults", [{"operation": "k3_audit", "status": 502, "count": 1}])
    client = CodelocksClient(API_KEY, sandbox.url, sleep=lambda _: None)
    client.k3_audit(ACCESSKEY, first_lock)
    with pytest.raises(errors.CodelocksError) as caught:
        client.k3_audit(ACCESSKEY, "f" * 32)
    client.netcode(first_lock, START, 1, "K3CONNECT", ACCESSKEY)
    assert "accesskey=***" in caplog.text  # urllib3's request line, redacted
    for text in (caplog.text, str(caught.value), repr(caught.value), repr(client)):
        assert ACCESSKEY not in text
        assert API_KEY not in text
