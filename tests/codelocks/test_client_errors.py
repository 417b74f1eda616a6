"""Every failure the API can give becomes its own typed error; GETs alone are retried."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
import requests
import responses
from urllib3.exceptions import NewConnectionError

from codelocks import CallRecord, CodelocksClient, errors

BASE = "https://api-connect.codelocks.io"
ACCESSKEY = "k3secretkey9"
LOCKS_URL = f"{BASE}/u/1/k3connect"
CLIENT_URL = f"{BASE}/u/1/k3connect/06040408434e47533039303539303230/client"
LOCK = "06040408434e47533039303539303230"


@pytest.fixture
def wire():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def records() -> list[CallRecord]:
    return []


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def api_client(records, sleeps) -> CodelocksClient:
    return CodelocksClient(
        "secret-api-key", on_request=records.append, sleep=sleeps.append, backoff=0.5
    )


def _create(client: CodelocksClient):
    return client.create_client(ACCESSKEY, LOCK, "bob@example.com", [{}], "STANDARD", "Hi")


@pytest.mark.parametrize(
    ("status", "body", "error_class", "retryable"),
    [
        (400, {"message": "Invalid lockmodel"}, errors.InvalidData, False),
        (403, {"message": "Forbidden"}, errors.AuthenticationError, False),
        (404, {"message": "No lock found."}, errors.NotFound, False),
        (429, {"message": "Limit Exceeded"}, errors.QuotaExceeded, False),
        (500, {"message": "Internal server error"}, errors.ServerError, True),
        (502, {"message": "Internal server error"}, errors.UpstreamError, True),
        (503, {"message": "Service Unavailable"}, errors.ServiceUnavailable, True),
        (504, {"message": "Endpoint request timed out"}, errors.ServiceUnavailable, True),
    ],
)
def test_each_documented_status_maps_to_its_error(
    wire, api_client, status, body, error_class, retryable
):
    wire.get(LOCKS_URL, json=body, status=status)
    with pytest.raises(error_class) as caught:
        api_client.k3_locks(ACCESSKEY)
    error = caught.value
    assert type(error) is error_class
    assert error.status == status
    assert error.retryable is retryable
    assert error.api_message == body["message"]
    assert error.user_message
    assert ACCESSKEY not in str(error)


def test_error_for_status_is_the_one_place_that_chooses_the_class():
    assert isinstance(errors.error_for_status(400, body="{}"), errors.InvalidData)
    assert isinstance(errors.error_for_status(418, body=""), errors.CodelocksError)
    assert isinstance(errors.error_for_status(599, body=""), errors.ServerError)
    invalid_key = errors.error_for_status(403, body="Invalid accesskey")
    assert isinstance(invalid_key, errors.InvalidAccessKey)


def test_user_messages_are_plain_english(wire, api_client):
    wire.get(LOCKS_URL, json={"message": "Invalid start"}, status=400)
    with pytest.raises(errors.InvalidData) as caught:
        api_client.k3_locks(ACCESSKEY)
    assert caught.value.user_message == "The Codelocks API refused the data sent: Invalid start"
    quota = errors.QuotaExceeded("x", status=429)
    assert quota.user_message.startswith("The monthly API quota is used up")


def test_client_errors_are_not_retried(wire, api_client, records):
    wire.get(LOCKS_URL, json={"message": "Limit Exceeded"}, status=429)
    with pytest.raises(errors.QuotaExceeded):
        api_client.k3_locks(ACCESSKEY)
    assert len(records) == 1


def test_a_get_is_retried_past_two_502s_with_growing_backoff(wire, api_client, records, sleeps):
    wire.get(LOCKS_URL, json={"message": "Internal server error"}, status=502)
    wire.get(LOCKS_URL, json={"message": "Internal server error"}, status=502)
    wire.get(LOCKS_URL, json=[])
    assert api_client.k3_locks(ACCESSKEY) == []
    assert [r.status for r in records] == [502, 502, 200]
    assert [r.error for r in records] == ["UpstreamError", "UpstreamError", None]
    assert sleeps == [0.5, 1.0]


def test_a_get_gives_up_after_max_retries(wire, records):
    client = CodelocksClient("key", on_request=records.append, sleep=lambda _: None, max_retries=2)
    wire.get(LOCKS_URL, json={"message": "Internal server error"}, status=500)
    with pytest.raises(errors.ServerError):
        client.k3_locks(ACCESSKEY)
    assert len(records) == 3


def test_a_get_is_retried_after_a_connection_error(wire, api_client, records):
    wire.get(LOCKS_URL, body=requests.exceptions.ConnectionError("reset"))
    wire.get(LOCKS_URL, json=[])
    assert api_client.k3_locks(ACCESSKEY) == []
    assert [(r.status, r.error) for r in records] == [(None, "ConnectionFailure"), (200, None)]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_post_is_never_retried(wire, api_client, records, status):
    wire.post(CLIENT_URL, json={"message": "Internal server error"}, status=status)
    with pytest.raises(errors.CodelocksError):
        _create(api_client)
    assert len(records) == 1
    assert records[0].method == "POST"


def test_a_post_that_times_out_says_it_may_have_reached_the_server(wire, api_client, records):
    wire.post(CLIENT_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(errors.Timeout) as caught:
        _create(api_client)
    assert caught.value.request_may_have_reached_server is True
    assert "check the current state" in caught.value.user_message
    assert len(records) == 1


def test_a_get_read_timeout_is_not_repeated(wire, api_client, records):
    wire.get(LOCKS_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(errors.Timeout):
        api_client.k3_locks(ACCESSKEY)
    assert [(r.status, r.error) for r in records] == [(None, "Timeout")]


@pytest.mark.parametrize(
    ("body", "error_class"),
    [
        ('{"netcode":"ERROR"}', errors.ErrorInResponse),
        ('{"status":"error","message":"Lock not initialised"}', errors.ErrorInResponse),
        ('{"ActualNetcode":"ERROR","LockID":"1"}', errors.ErrorInResponse),
        ("Invalid accesskey", errors.InvalidAccessKey),
        ("<html>Bad gateway</html>", errors.MalformedResponse),
        ('{"ActualNetcode": "12', errors.MalformedResponse),
        ('{"DurationHours": 2}', errors.MalformedResponse),
        (
            '{"ActualNetcode":"1234567","DurationHours":"two","DurationDays":0,"Mode":"s",'
            '"SubMode":"a","Timecode":"t","LockID":"1"}',
            errors.MalformedResponse,
        ),
    ],
)
def test_a_200_that_is_not_a_netcode_raises(wire, api_client, records, body, error_class):
    wire.get(f"{BASE}/n/1/netcode/202011161623", body=body, status=200)
    with pytest.raises(error_class) as caught:
        api_client.netcode(
            "202011161623",
            start=datetime.fromisoformat("2026-04-22 14:00"),
            duration=1,
            lockmodel="KL1060",
            identifier="921239",
        )
    assert caught.value.status == 200
    assert records[-1].error == error_class.__name__
    assert records[-1].category == "netcode"
    assert len(records) == 1


def test_a_netcode_seen_in_the_wild_is_read_leniently(wire, api_client):
    wild = (
        '{"ActualNetcode":"7830719","DurationDays":0,"DurationHours":"2","Mode":"standard",'
        '"SubMode":"alltime","Timecode":"2026/04/22/12:26","LockID":"921239",'
        '"Expires":"2026-04-22 16:00:00","Unknown":"ignored"}'
    )
    wire.get(f"{BASE}/n/1/netcode/202604221226", body=wild)
    code = api_client.netcode(
        "202604221226",
        start=datetime.fromisoformat("2026-04-22 14:00"),
        duration=1,
        lockmodel="KL1060",
        identifier="921239",
    )
    assert code.lock_id == "921239"
    assert code.duration_hours == 2
    assert code.startdata is None
    assert "7830719" not in repr(code)


def test_invalid_accesskey_text_is_an_authentication_error(wire, api_client):
    wire.get(LOCKS_URL, body="Invalid accesskey", content_type="text/plain")
    with pytest.raises(errors.AuthenticationError) as caught:
        api_client.k3_locks(ACCESSKEY)
    assert isinstance(caught.value, errors.InvalidAccessKey)
    assert caught.value.retryable is False


def test_a_hook_that_raises_does_not_break_the_call(wire, caplog):
    def broken_hook(record: CallRecord) -> None:
        raise RuntimeError("ledger is down")

    client = CodelocksClient("key", on_request=broken_hook)
    wire.get(LOCKS_URL, json=[])
    with caplog.at_level(logging.WARNING, logger="codelocks"):
        assert client.k3_locks(ACCESSKEY) == []
    assert "on_request hook failed" in caplog.text


def test_transport_failures_never_show_the_url_or_keys(wire, api_client, caplog):
    leaky = requests.exceptions.ConnectionError(
        f"HTTPSConnectionPool: Max retries exceeded with url: /u/1/k3connect?accesskey={ACCESSKEY}"
    )
    wire.get(LOCKS_URL, body=leaky)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(errors.ConnectionFailure) as caught:
        api_client.k3_locks(ACCESSKEY)
    error = caught.value
    for text in (str(error), repr(error), error.user_message, caplog.text):
        assert ACCESSKEY not in text
        assert "secret-api-key" not in text
    assert error.__cause__ is None
    assert error.__context__ is None


def test_a_get_connect_timeout_is_retried(wire, api_client, records):
    wire.get(LOCKS_URL, body=requests.exceptions.ConnectTimeout("connect timed out"))
    wire.get(LOCKS_URL, json=[])
    assert api_client.k3_locks(ACCESSKEY) == []
    assert [r.error for r in records] == ["Timeout", None]


def test_a_refused_post_did_not_reach_the_server(wire, api_client):
    refused = requests.exceptions.ConnectionError(NewConnectionError(None, "refused"))
    wire.post(CLIENT_URL, body=refused)
    with pytest.raises(errors.ConnectionFailure) as caught:
        _create(api_client)
    assert caught.value.request_may_have_reached_server is False
