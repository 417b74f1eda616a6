"""The client puts requests on the wire exactly as the vendor's curl examples do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest
import responses

from codelocks import ActivePeriod, CodelocksClient
from codelocks.types import NetCode

BASE = "https://api-connect.codelocks.io"
K3_LOCK = "06040408434e47533039303539303230"
NETCODE_BODY = {
    "Startdate": "2020-10-01 16:00",
    "DurationHours": 5,
    "DurationDays": 0,
    "Mode": "standard",
    "SubMode": "alltime",
    "Timecode": "2020/11/16/16:23",
    "ActualNetcode": "1234567",
    "Resultstatus": "success",
    "LockId": "451254",
    "Expires": "2020-10-01 21:00:00",
}
CLIENT_RESULT = {"result": "success", "lockid": K3_LOCK, "email": "example@codelocks.com"}


@pytest.fixture
def wire():
    with responses.RequestsMock() as mock:
        yield mock


@pytest.fixture
def api_client() -> CodelocksClient:
    return CodelocksClient("secret-api-key", sleep=lambda _: None)


def _sent(wire: responses.RequestsMock, index: int = 0):
    return wire.calls[index].request


def test_netcode_request_matches_the_curl_example(wire, api_client):
    wire.get(f"{BASE}/n/1/netcode/202011161623", json=NETCODE_BODY)
    code = api_client.netcode(
        "202011161623",
        start=datetime.fromisoformat("2020-10-01 16:00"),
        duration=4,
        lockmodel="KL1060C2",
        identifier="451254",
    )
    request = _sent(wire)
    assert request.url == (
        f"{BASE}/n/1/netcode/202011161623"
        "?start=2020-10-01%2016:00&duration=4&lockmodel=KL1060C2&identifier=451254"
    )
    assert request.method == "GET"
    assert request.headers["x-api-key"] == "secret-api-key"
    assert isinstance(code, NetCode)
    assert code.actual_netcode == "1234567"
    assert code.expires == datetime.fromisoformat("2020-10-01 21:00")


def test_an_aware_start_is_sent_as_its_own_wall_clock_time(wire, api_client):
    wire.get(f"{BASE}/n/1/netcode/202011161623", json=NETCODE_BODY)
    new_york = timezone(timedelta(hours=-5))
    start = datetime(2020, 10, 1, 16, 0, tzinfo=new_york)
    api_client.netcode(
        "202011161623", start=start, duration=4, lockmodel="KL1060", identifier="451254"
    )
    assert "start=2020-10-01%2016:00&" in _sent(wire).url


def test_a_start_with_seconds_is_refused_before_sending(api_client):
    with pytest.raises(ValueError, match="whole minute"):
        api_client.netcode(
            "202011161623",
            start=datetime(2020, 10, 1, 16, 0, 30, tzinfo=UTC),
            duration=4,
            lockmodel="KL1060",
            identifier="451254",
        )


def test_k3_netcode_sends_the_access_key_as_identifier(wire, api_client):
    wire.get(f"{BASE}/n/1/netcode/{K3_LOCK}", json={**NETCODE_BODY, "LockId": K3_LOCK})
    api_client.netcode(
        K3_LOCK,
        start=datetime.fromisoformat("2020-10-01 16:00"),
        duration=4,
        lockmodel="K3CONNECT",
        identifier="2ym1989dzx",
    )
    assert _sent(wire).url.endswith("lockmodel=K3CONNECT&identifier=2ym1989dzx")


def test_init_request_matches_the_curl_example(wire, api_client):
    wire.get(
        f"{BASE}/u/1/init",
        json={
            "DefaultMastercode": "11335577",
            "InitSeqFormat": "#MASTERCODE • 20 • YYMMDDhhmm • LOCKID ••",
            "InitSeqFormatDesc": "Press #...",
            "InitSeq": "#12345678 • 20 • 2611251823 • 654321 ••",
            "TimeCode": "202611251823",
        },
    )
    init = api_client.init_sequence(
        lockmodel="Kl1060", mastercode="12345678", timezone="Europe/London", randomid=True
    )
    assert _sent(wire).url == (
        f"{BASE}/u/1/init?lockmodel=Kl1060&mastercode=12345678&timezone=Europe/London&randomid=true"
    )
    assert init.identifier == "654321"
    assert "12345678" not in repr(init)


def test_randomid_false_is_lower_case(wire, api_client):
    wire.get(
        f"{BASE}/u/1/init",
        json={
            "DefaultMastercode": "1",
            "InitSeqFormat": "f",
            "InitSeqFormatDesc": "d",
            "InitSeq": "s",
            "TimeCode": "t",
        },
    )
    api_client.init_sequence(randomid=False)
    assert _sent(wire).url == f"{BASE}/u/1/init?randomid=false"


def test_durations_and_modes_use_the_operation_parameter(wire, api_client):
    wire.get(f"{BASE}/u/1/durations", json=[])
    api_client.durations("KL1060")
    api_client.modes("KL1060")
    assert _sent(wire, 0).url == f"{BASE}/u/1/durations?operation=DURATIONS&lockmodel=KL1060"
    assert _sent(wire, 1).url == f"{BASE}/u/1/durations?operation=MODES&lockmodel=KL1060"


def test_duration_request_matches_the_curl_example(wire, api_client):
    wire.get(
        f"{BASE}/u/1/duration/0",
        json={
            "LockModel": "KL1060",
            "DurationID": 0,
            "Rules": [{"ApplyDST": 0, "ConvertToUTC": 1, "RestrictedStartTime": "XX:00"}],
            "Duration": [{"Days": 0, "Hours": 1}],
            "Mode": [{"Name": "standard", "SubMode": "alltime"}],
        },
    )
    info = api_client.duration(0, lockmodel="KL1060")
    assert _sent(wire).url == f"{BASE}/u/1/duration/0?lockmodel=KL1060"
    assert info.rules[0].convert_to_utc is True
    assert info.rules[0].apply_dst is False


@pytest.mark.parametrize(
    ("call", "url", "body"),
    [
        (lambda c: c.k3_locks("2ym1989dzx"), "/u/1/k3connect?accesskey=2ym1989dzx", []),
        (
            lambda c: c.k3_lock("2ym1989dzx", K3_LOCK),
            f"/u/1/k3connect/{K3_LOCK}?accesskey=2ym1989dzx",
            {"LockId": K3_LOCK},
        ),
        (
            lambda c: c.k3_account("2ym1989dzx"),
            "/u/1/k3connect/account?accesskey=2ym1989dzx",
            [{"email": "a@example.com", "spccmstatus": "active"}],
        ),
        (
            lambda c: c.k3_clients("2ym1989dzx", K3_LOCK, page=1, perpage=10),
            f"/u/1/k3connect/{K3_LOCK}/clients?accesskey=2ym1989dzx&page=1&perpage=10",
            {"count": 0, "clients": []},
        ),
        (
            lambda c: c.k3_audit("2ym1989dzx", K3_LOCK, page=1, perpage=10),
            f"/u/1/k3connect/{K3_LOCK}/audit"
            "?accesskey=2ym1989dzx&page=1&perpage=10&pageorder=descending",
            [],
        ),
        (lambda c: c.spc_config(), "/u/1/k3connect/help/spcconfig", {"activeperiods": "{}"}),
    ],
)
def test_k3_reads_match_the_curl_examples(wire, api_client, call, url, body):
    wire.get(f"{BASE}{url.split('?')[0]}", json=body)
    call(api_client)
    assert _sent(wire).url == BASE + url
    assert _sent(wire).headers["x-api-key"] == "secret-api-key"


def _form(request) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(request.body).items()}


def test_create_client_sends_a_form_with_json_active_periods(wire, api_client):
    wire.post(f"{BASE}/u/1/k3connect/{K3_LOCK}/client", json={"result": "success"})
    periods = {
        str(n): {
            "enabled": True,
            "starts": "00:00",
            "ends": "23:59",
            "mon": True,
            "tue": True,
            "wed": True,
            "thu": n != 0,
            "fri": True,
            "sat": True,
            "sun": True,
        }
        for n in range(10)
    }
    result = api_client.create_client(
        "2ym1989dzx",
        K3_LOCK,
        "example@codelocks.com",
        periods,
        "STANDARD",
        "This is a test message.",
    )
    request = _sent(wire)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = _form(request)
    assert form["accesskey"] == "2ym1989dzx"
    assert form["clientemail"] == "example@codelocks.com"
    assert json.loads(form["activeperiods"]) == periods
    assert form["accesstype"] == "STANDARD"
    assert form["message"] == "This is a test message."
    assert "%20" in request.body
    assert result.result == "success"


def test_active_periods_may_be_given_as_dataclasses_and_only_those_keys_are_sent(wire, api_client):
    wire.put(f"{BASE}/u/1/k3connect/{K3_LOCK}/client", json=CLIENT_RESULT)
    weekdays = ActivePeriod(starts="08:00", ends="18:00", sat=False, sun=False)
    api_client.update_client("2ym1989dzx", K3_LOCK, "example@codelocks.com", [weekdays])
    sent = json.loads(_form(_sent(wire))["activeperiods"])
    assert sent == {"0": weekdays.to_api()}
    assert sent["0"]["sat"] is False
    assert _sent(wire).method == "PUT"


def test_suspend_restore_and_delete_use_patch_and_delete_forms(wire, api_client):
    wire.patch(f"{BASE}/u/1/k3connect/{K3_LOCK}/client", json=CLIENT_RESULT)
    wire.delete(f"{BASE}/u/1/k3connect/{K3_LOCK}/client", json=CLIENT_RESULT)
    api_client.set_client_state("2ym1989dzx", K3_LOCK, "example@codelocks.com", "restore")
    result = api_client.delete_client("2ym1989dzx", K3_LOCK, "example@codelocks.com")
    assert _form(_sent(wire, 0)) == {
        "accesskey": "2ym1989dzx",
        "clientemail": "example@codelocks.com",
        "action": "RESTORE",
    }
    assert _sent(wire, 1).method == "DELETE"
    assert _form(_sent(wire, 1)) == {
        "accesskey": "2ym1989dzx",
        "clientemail": "example@codelocks.com",
    }
    assert result.lock_id == K3_LOCK


def test_bad_enumerations_are_refused_before_anything_is_sent(api_client):
    with pytest.raises(ValueError, match="SUSPEND"):
        api_client.set_client_state("k", K3_LOCK, "a@example.com", "PAUSE")
    with pytest.raises(ValueError, match="ascending"):
        api_client.k3_audit("k", K3_LOCK, pageorder="sideways")
    with pytest.raises(ValueError, match="active period"):
        api_client.update_client("k", K3_LOCK, "a@example.com", {"10": ActivePeriod()})


@pytest.mark.parametrize(
    "url",
    [
        "http://api-connect.codelocks.io",
        "http://10.0.0.5:8001",
        "ftp://127.0.0.1",
        "api-connect.codelocks.io",
    ],
)
def test_only_https_is_allowed_except_to_loopback(url):
    with pytest.raises(ValueError, match="https"):
        CodelocksClient("key", url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8001", "http://127.8.9.10", "http://localhost:9", "http://[::1]:80"]
)
def test_plain_http_to_loopback_is_allowed(url):
    assert CodelocksClient("key", url + "/").base_url == url


def test_the_client_repr_shows_only_the_base_url():
    client = CodelocksClient("super-secret-key", "https://api-connect.codelocks.io")
    assert repr(client) == "CodelocksClient(base_url='https://api-connect.codelocks.io')"
    assert "super-secret-key" not in repr(client)


def test_timeouts_must_be_finite():
    with pytest.raises(ValueError, match="timeout"):
        CodelocksClient("key", timeout=float("inf"))
    with pytest.raises(ValueError, match="timeout"):
        CodelocksClient("key", timeout=0)
