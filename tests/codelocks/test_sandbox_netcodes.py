"""The sandbox answers the NetCode and utility operations as the real service does."""

from __future__ import annotations

import re

import pytest

from .conftest import ACCESSKEY

KITLOCK = "/n/1/netcode/202011161623"
PARAMS = {
    "start": "2020-10-01 16:00",
    "duration": "4",
    "lockmodel": "KL1060",
    "identifier": "451254",
}


def _code(api, path=KITLOCK, **changes) -> str:
    response = api(path, {**PARAMS, **changes})
    assert response.status_code == 200, response.text
    return response.json()["ActualNetcode"]


def test_the_same_parameters_give_the_same_code_and_others_a_different_one(api):
    first = _code(api)
    assert _code(api) == first
    variants = {
        _code(api, start="2020-10-01 17:00"),
        _code(api, duration="5"),
        _code(api, identifier="451255"),
        _code(api, path="/n/1/netcode/202011161624"),
        _code(api, lockmodel="KL1550"),
    }
    assert first not in variants
    assert len(variants) == 5


@pytest.mark.parametrize(
    ("model", "identifier", "length"),
    [
        ("KL1060", "451254", 6),
        ("KL1060C2", "451254", 7),
        ("KL1060G3", "451254", 7),
        ("KL1550", "451254", 6),
    ],
)
def test_code_length_depends_on_the_lock_model(api, model, identifier, length):
    assert re.fullmatch(rf"[1-9]\d{{{length - 1}}}", _code(api, lockmodel=model))


def test_a_k3_code_has_six_digits_and_needs_the_account_access_key(api, first_lock):
    path = f"/n/1/netcode/{first_lock}"
    code = _code(api, path=path, lockmodel="K3CONNECT", identifier=ACCESSKEY)
    assert len(code) == 6
    wrong_key = api(path, {**PARAMS, "lockmodel": "K3CONNECT", "identifier": "otherkey"})
    assert (wrong_key.status_code, wrong_key.text) == (200, "Invalid accesskey")
    unknown = api(
        "/n/1/netcode/" + "a" * 32, {**PARAMS, "lockmodel": "K3CONNECT", "identifier": ACCESSKEY}
    )
    assert unknown.status_code == 404


def test_the_answer_has_the_documented_fields(api):
    body = api(KITLOCK, PARAMS).json()
    assert set(body) >= {
        "Startdate",
        "DurationHours",
        "DurationDays",
        "Mode",
        "SubMode",
        "Timecode",
        "ActualNetcode",
        "Resultstatus",
        "LockId",
        "Expires",
        "Startdata",
    }
    assert body["DurationHours"] == 5
    assert body["Expires"] == "2020-10-01 21:00:00"
    assert body["LockId"] == "451254"
    assert body["Startdata"]["date_dmy"] == "01-10-2020"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"start": "2020-10-01 16:30"}, "on the hour"),
        ({"start": "2020-10-01 16:00", "duration": "12"}, "midnight"),
        ({"start": "2020-10-01T16:00"}, "format"),
        ({"start": "2020-02-30 16:00"}, "real date"),
        ({"duration": "19"}, "duration"),
        ({"duration": "12", "start": "2020-10-01 00:00", "lockmodel": "KL1060G3"}, "not available"),
        ({"lockmodel": "KL9999"}, "lockmodel"),
        ({"identifier": "12345"}, "identifier"),
        ({"lockmodel": "KL1060C2", "identifier": "051254"}, "group id"),
    ],
)
def test_invalid_data_is_refused_with_400(api, changes, reason):
    response = api(KITLOCK, {**PARAMS, **changes})
    assert response.status_code == 400
    assert reason in response.json()["message"]


def test_a_day_code_at_midnight_is_fine(api):
    body = api(KITLOCK, {**PARAMS, "start": "2020-10-01 00:00", "duration": "18"}).json()
    assert (body["DurationDays"], body["Expires"]) == (7, "2020-10-08 00:00:00")


def test_a_bad_init_timecode_in_the_path_is_refused(api):
    assert api("/n/1/netcode/202013011623", PARAMS).status_code == 400
    assert api("/n/1/netcode/20201116", PARAMS).status_code == 400


@pytest.mark.parametrize("missing", ["start", "duration", "lockmodel", "identifier"])
def test_a_missing_required_parameter_is_404(api, missing):
    params = {key: value for key, value in PARAMS.items() if key != missing}
    response = api(KITLOCK, params)
    assert response.status_code == 404
    assert missing in response.json()["message"]


def test_a_missing_or_wrong_api_key_is_403_forbidden(api):
    for key in (None, "wrong"):
        response = api(KITLOCK, PARAMS, key=key)
        assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})


def test_the_durations_table(api):
    rows = api("/u/1/durations", {"operation": "DURATIONS"}).json()
    assert [(r["DurationID"], r["DurationHours"], r["DurationDays"]) for r in rows][:2] == [
        (0, 1, 0),
        (1, 2, 0),
    ]
    assert rows[-1] == {
        "DurationID": 18,
        "Mode": "standard",
        "SubMode": "alltime",
        "DurationDays": 7,
        "DurationHours": 0,
        "LockModels": "KL1060,KL1060C2,KL1550,K3CONNECT",
    }
    g3 = api("/u/1/durations", {"lockmodel": "KL1060G3"}).json()
    assert [r["DurationID"] for r in g3] == list(range(12))


def test_modes_and_duration_rules(api):
    modes = api("/u/1/durations", {"lockmodel": "KL1060", "operation": "MODES"}).json()
    assert modes == [{"Mode": "standard", "SubMode": "alltime", "LockModels": "KL1060"}]
    hour = api("/u/1/duration/0", {"lockmodel": "KL1060"}).json()
    day = api("/u/1/duration/12", {"lockmodel": "KL1060"}).json()
    assert hour["Rules"] == [{"ApplyDST": 0, "ConvertToUTC": 1, "RestrictedStartTime": "XX:00"}]
    assert day["Rules"][0]["RestrictedStartTime"] == "00:00"
    assert day["Duration"] == [{"Days": 1, "Hours": 0}]
    assert api("/u/1/duration/12", {"lockmodel": "KL1060G3"}).status_code == 400
    assert api("/u/1/duration/99").status_code == 400
    assert api("/u/1/durations", {"operation": "EVERYTHING"}).status_code == 400


def test_init_sequence_as_in_the_vendor_example(api, control):
    control("POST", "clock", {"set": "2026-11-25T18:23:00Z"})
    body = api(
        "/u/1/init",
        {
            "lockmodel": "Kl1060",
            "mastercode": "12345678",
            "timezone": "Europe/London",
            "randomid": "false",
        },
    ).json()
    assert body["InitSeq"] == "#12345678 • 20 • 2611251823 • 123456 ••"
    assert body["TimeCode"] == "202611251823"
    assert body["DefaultMastercode"] == "11335577"
    assert api("/u/1/init", {"lockmodel": "KL1550"}).json()["DefaultMastercode"] == "11223344"


def test_init_with_a_random_id_and_its_refusals(api):
    random_id = api("/u/1/init", {"lockmodel": "KL1060C2", "randomid": "true"}).json()
    identifier = random_id["InitSeq"].split("•")[3].strip()
    assert re.fullmatch(r"[1-9]\d{5}", identifier)
    for params in (
        {"lockmodel": "KL1060G3"},
        {"lockmodel": "K3CONNECT"},
        {"mastercode": "1234"},
        {"timezone": "Mars/Olympus"},
        {"randomid": "maybe"},
    ):
        assert api("/u/1/init", params).status_code == 400, params


def test_the_quota_cuts_off_after_the_plans_count(api, sandbox):
    assert sandbox.state.plan == "business-1"
    for _ in range(100):
        assert api(KITLOCK, PARAMS).status_code == 200
    refused = api(KITLOCK, PARAMS)
    assert (refused.status_code, refused.json()) == (429, {"message": "Limit Exceeded"})
    # The utility quota is counted apart.
    assert api("/u/1/durations").status_code == 200
    assert sandbox.state.summary()["usage_this_month"] == {"netcode": 100, "utility": 1}


def test_every_authenticated_call_counts_even_a_refused_one(api, sandbox):
    api(KITLOCK, {**PARAMS, "start": "bad"})
    api(KITLOCK, PARAMS, key="wrong")
    assert sandbox.state.summary()["usage_this_month"]["netcode"] == 1


def test_a_new_month_starts_a_new_count(api, control):
    control("POST", "clock", {"set": "2026-01-31T23:59:00Z", "frozen": False})
    control("POST", "usage", {"netcode": 100})
    assert api(KITLOCK, PARAMS).status_code == 429
    control("POST", "clock", {"advance": 120})
    assert api(KITLOCK, PARAMS).status_code == 200


def test_an_unknown_resource_answers_like_the_gateway(api):
    response = api("/u/1/nothing")
    assert (response.status_code, response.json()) == (
        403,
        {"message": "Missing Authentication Token"},
    )
