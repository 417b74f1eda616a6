"""The sandbox's K3Connect: seeded accounts, phone clients, paging and audit entries."""

from __future__ import annotations

import json
import time

import pytest

from .conftest import ACCESSKEY

PERIODS = json.dumps(
    {
        "0": {
            "enabled": True,
            "starts": "08:00",
            "ends": "18:00",
            "mon": True,
            "tue": True,
            "wed": True,
            "thu": True,
            "fri": True,
            "sat": False,
            "sun": False,
        }
    }
)


def _form(**changes) -> dict[str, str]:
    form = {
        "accesskey": ACCESSKEY,
        "clientemail": "ivan@example.com",
        "activeperiods": PERIODS,
        "accesstype": "STANDARD",
        "message": "Welcome to Harbour House (front door, level 1).",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def _clients(api, lock_id, **params) -> dict:
    query = {"accesskey": ACCESSKEY, "page": 1, "perpage": 50, **params}
    return api(f"/u/1/k3connect/{lock_id}/clients", query).json()


def _status_of(api, lock_id, email) -> str | None:
    found = [c["status"] for c in _clients(api, lock_id)["clients"] if c["email"] == email]
    return found[0] if found else None


def test_the_seeded_account_has_five_to_eight_realistic_locks(api):
    locks = api("/u/1/k3connect", {"accesskey": ACCESSKEY}).json()
    assert 5 <= len(locks) <= 8
    assert {lock["ModelName"] for lock in locks} <= {"CL4510", "CL5510"}
    assert {lock["Manufacturer"] for lock in locks} == {"Codelocks"}
    assert any(int(lock["BatteryStatus"]) <= 20 for lock in locks)
    assert all(len(lock["LockId"]) == 32 for lock in locks)
    assert "LockLocation" not in locks[0]
    account = api("/u/1/k3connect/account", {"accesskey": ACCESSKEY}).json()
    assert account == [{"email": "facilities@example.com", "spccmstatus": "active"}]


def test_the_same_seed_gives_the_same_locks(sandbox):
    from codelocks.sandbox import SandboxState

    again = SandboxState(api_key="x", k3_accesskeys=[ACCESSKEY], seed=0)
    other = SandboxState(api_key="x", k3_accesskeys=[ACCESSKEY], seed=7)
    ours = list(sandbox.state.accounts[ACCESSKEY].locks)
    assert list(again.accounts[ACCESSKEY].locks) == ours
    assert list(other.accounts[ACCESSKEY].locks) != ours


def test_one_lock_with_its_location(api, first_lock):
    lock = api(f"/u/1/k3connect/{first_lock}", {"accesskey": ACCESSKEY}).json()
    assert lock["LockId"] == first_lock
    assert lock["LockLocation"]
    missing = api(f"/u/1/k3connect/{'0' * 32}", {"accesskey": ACCESSKEY})
    assert (missing.status_code, missing.json()) == (404, {"message": "No lock found."})
    assert api("/u/1/k3connect/not-a-lock-id", {"accesskey": ACCESSKEY}).status_code == 400


def test_an_unknown_access_key_answers_the_plain_text(api, first_lock):
    for path in ("/u/1/k3connect", "/u/1/k3connect/account", f"/u/1/k3connect/{first_lock}"):
        response = api(path, {"accesskey": "nope"})
        assert (response.status_code, response.text) == (200, "Invalid accesskey")
    assert api("/u/1/k3connect").status_code == 404


def test_a_client_goes_from_invitation_to_deleted(api, first_lock, control):
    path = f"/u/1/k3connect/{first_lock}/client"
    created = api(path, method="POST", data=_form())
    assert (created.status_code, created.json()) == (200, {"result": "success"})
    assert _status_of(api, first_lock, "ivan@example.com") == "pending"
    control("POST", "accept", {"lock_id": first_lock, "email": "ivan@example.com"})
    assert _status_of(api, first_lock, "ivan@example.com") == "accepted"
    suspend = {"accesskey": ACCESSKEY, "clientemail": "ivan@example.com", "action": "SUSPEND"}
    assert api(path, method="PATCH", data=suspend).json()["result"] == "success"
    assert _status_of(api, first_lock, "ivan@example.com") == "suspended"
    api(path, method="PATCH", data={**suspend, "action": "RESTORE"})
    assert _status_of(api, first_lock, "ivan@example.com") == "accepted"
    deleted = api(
        path, method="DELETE", data=_form(activeperiods=None, accesstype=None, message=None)
    )
    assert deleted.json() == {
        "result": "success",
        "lockid": first_lock,
        "email": "ivan@example.com",
    }
    assert _status_of(api, first_lock, "ivan@example.com") is None


def test_updating_a_client_changes_its_active_periods(api, first_lock):
    path = f"/u/1/k3connect/{first_lock}/client"
    email = _clients(api, first_lock)["clients"][0]["email"]
    periods = json.loads(PERIODS)
    periods["1"] = {**periods["0"], "starts": "20:00", "ends": "22:00"}
    data = {"accesskey": ACCESSKEY, "clientemail": email, "activeperiods": json.dumps(periods)}
    assert api(path, method="PUT", data=data).status_code == 200
    record = next(c for c in _clients(api, first_lock)["clients"] if c["email"] == email)
    assert record["activeperiods"] == [{"0": periods["0"]}, {"1": periods["1"]}]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"clientemail": "stranger@example.org"}, "not a registered"),
        ({"clientemail": "not-an-email"}, "clientemail"),
        ({"activeperiods": "{not json"}, "activeperiods"),
        ({"activeperiods": '{"0": {"enabled": true}}'}, "activeperiods"),
        ({"accesstype": "FOREVER"}, "accesstype"),
        ({"message": "x" * 501}, "500"),
        ({"message": "Hello <b>you</b>!"}, "only letters"),
    ],
)
def test_invalid_client_data_is_refused_with_400(api, first_lock, changes, reason):
    response = api(f"/u/1/k3connect/{first_lock}/client", method="POST", data=_form(**changes))
    assert response.status_code == 400
    assert reason in response.json()["message"]


def test_inviting_an_existing_client_again_is_refused(api, first_lock):
    email = _clients(api, first_lock)["clients"][0]["email"]
    form = _form(clientemail=email)
    response = api(f"/u/1/k3connect/{first_lock}/client", method="POST", data=form)
    assert response.status_code == 400
    assert "already" in response.json()["message"]


def test_a_registered_user_added_by_the_control_endpoint_can_be_invited(api, first_lock, control):
    control("POST", "users", {"emails": ["new.person@example.org"]})
    form = _form(clientemail="new.person@example.org")
    assert api(f"/u/1/k3connect/{first_lock}/client", method="POST", data=form).status_code == 200


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_an_unknown_client_is_404(api, first_lock, method):
    data = _form(clientemail="nobody@example.com", action="SUSPEND")
    response = api(f"/u/1/k3connect/{first_lock}/client", method=method, data=data)
    assert response.status_code == 404


def test_a_missing_form_field_is_404(api, first_lock):
    response = api(f"/u/1/k3connect/{first_lock}/client", method="POST", data=_form(message=None))
    assert (response.status_code, response.json()["message"]) == (
        404,
        "Missing required parameter: message",
    )


def test_clients_paging_honours_page_and_perpage(api, first_lock, control):
    control("POST", "users", {"emails": [f"user{n}@example.org" for n in range(7)]})
    for n in range(7):
        form = _form(clientemail=f"user{n}@example.org")
        api(f"/u/1/k3connect/{first_lock}/client", method="POST", data=form)
    pages = [_clients(api, first_lock, page=page, perpage=4) for page in (1, 2, 3, 4)]
    assert [p["count"] for p in pages] == [10, 10, 10, 10]
    assert [len(p["clients"]) for p in pages] == [4, 4, 2, 0]
    emails = [c["email"] for p in pages for c in p["clients"]]
    assert len(set(emails)) == 10
    bad = api(
        f"/u/1/k3connect/{first_lock}/clients", {"accesskey": ACCESSKEY, "page": 0, "perpage": 5}
    )
    assert bad.status_code == 400


def _audit(api, lock_id, **params) -> list[dict]:
    query = {"accesskey": ACCESSKEY, "page": 1, "perpage": 10, "pageorder": "descending"}
    response = api(f"/u/1/k3connect/{lock_id}/audit", {**query, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_audit_paging_honours_page_perpage_and_order(api, first_lock):
    newest = _audit(api, first_lock)
    ids = [entry["AuditEntryID"] for entry in newest]
    assert ids == sorted(ids, reverse=True)
    assert len(ids) == 10
    second = _audit(api, first_lock, page=2)
    assert second[0]["AuditEntryID"] < ids[-1]
    oldest = _audit(api, first_lock, pageorder="ascending", perpage=3)
    assert [e["AuditEntryID"] for e in oldest] == sorted(e["AuditEntryID"] for e in oldest)
    assert oldest[0]["AuditEntryID"] < ids[-1]
    assert set(newest[0]) == {"AuditEntryID", "LockID", "DateEntered", "EntryType", "EntryText"}
    bad = api(
        f"/u/1/k3connect/{first_lock}/audit",
        {"accesskey": ACCESSKEY, "page": 1, "perpage": 10, "pageorder": "up"},
    )
    assert bad.status_code == 400


def test_audit_entries_keep_coming_as_time_passes(api, first_lock, control):
    before = _audit(api, first_lock, perpage=1)[0]["AuditEntryID"]
    control("POST", "clock", {"advance": 3 * 24 * 3600})
    after = _audit(api, first_lock, perpage=1)[0]["AuditEntryID"]
    assert after > before


def test_client_changes_appear_in_the_audit(api, first_lock):
    api(f"/u/1/k3connect/{first_lock}/client", method="POST", data=_form())
    newest = _audit(api, first_lock, perpage=1)[0]
    assert (newest["EntryType"], newest["EntryText"]) == (
        "Client added",
        "Invitation sent to ivan@example.com",
    )


def test_a_backlog_of_100000_entries_is_added_fast(api, first_lock, control):
    started = time.monotonic()
    added = control("POST", "audit", {"lock_id": first_lock, "count": 100_000})
    assert time.monotonic() - started < 3
    assert added["last_id"] - added["first_id"] == 99_999
    newest = _audit(api, first_lock, perpage=1)[0]
    assert newest["AuditEntryID"] >= added["last_id"]
    page = _audit(api, first_lock, page=500, perpage=100)
    assert len(page) == 100


def test_battery_and_locks_can_be_changed_by_control(api, first_lock, control):
    control("POST", "battery", {"lock_id": first_lock, "battery": 9})
    lock = api(f"/u/1/k3connect/{first_lock}", {"accesskey": ACCESSKEY}).json()
    assert lock["BatteryStatus"] == "9"
    added = control("POST", "locks", {"accesskey": ACCESSKEY, "name": "Garden gate"})
    ids = [lock["LockId"] for lock in api("/u/1/k3connect", {"accesskey": ACCESSKEY}).json()]
    assert added["LockId"] in ids
    control("POST", "locks", {"accesskey": ACCESSKEY, "action": "remove", "lock_id": first_lock})
    ids = [lock["LockId"] for lock in api("/u/1/k3connect", {"accesskey": ACCESSKEY}).json()]
    assert first_lock not in ids


def test_spcconfig_gives_sample_and_schema_as_text(api):
    body = api("/u/1/k3connect/help/spcconfig").json()
    parsed = json.loads(body["activeperiods"])
    assert set(parsed) == {"sample", "schema"}
