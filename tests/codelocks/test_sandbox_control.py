"""The sandbox's control endpoints, scripted faults, persistence and command line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from codelocks.sandbox import SandboxServer
from codelocks.sandbox.faults import rule_from_cli
from codelocks.sandbox.http import Request

from .conftest import ACCESSKEY, API_KEY

ROOT = Path(__file__).resolve().parents[2]


def test_faults_fire_as_many_times_as_asked_then_stop(api, control, sandbox):
    control("POST", "faults", [{"path_regex": "^/u/1/durations$", "status": 502, "count": 2}])
    statuses = [api("/u/1/durations").status_code for _ in range(3)]
    assert statuses == [502, 502, 200]
    assert control("GET", "faults")["faults"][0]["count"] == 0
    faulted = [r["fault"] for r in sandbox.state.summary()["recent_requests"]]
    assert faulted == ["status", "status", None]


def test_a_fault_can_target_a_method_and_last_forever(api, control, first_lock):
    control(
        "POST", "faults", [{"operation": "k3_lock", "method": "GET", "status": 500, "count": None}]
    )
    for _ in range(3):
        assert api(f"/u/1/k3connect/{first_lock}", {"accesskey": ACCESSKEY}).status_code == 500
    control("DELETE", "faults")
    assert api(f"/u/1/k3connect/{first_lock}", {"accesskey": ACCESSKEY}).status_code == 200


def test_faults_can_be_appended_and_a_zero_probability_never_fires(api, control):
    control("POST", "faults", [{"operation": "durations", "status": 503, "probability": 0}])
    control("POST", "faults", {"rules": [{"operation": "modes", "status": 504}], "append": True})
    assert api("/u/1/durations").status_code == 200
    assert api("/u/1/durations", {"operation": "MODES"}).status_code == 504
    assert len(control("GET", "faults")["faults"]) == 2


def test_error200_and_malformed_faults(api, control):
    control(
        "POST",
        "faults",
        [
            {"operation": "init_sequence", "error200": True, "count": 1},
            {"operation": "init_sequence", "malformed": True, "count": 1},
        ],
    )
    first = api("/u/1/init")
    assert (first.status_code, first.json()["status"]) == (200, "error")
    second = api("/u/1/init")
    assert second.status_code == 200
    with pytest.raises(ValueError):
        second.json()


def test_faulted_requests_are_not_billed(api, control, sandbox):
    control("POST", "faults", [{"operation": "durations", "status": 502, "count": 1}])
    api("/u/1/durations")
    assert sandbox.state.summary()["usage_this_month"]["utility"] == 0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("operation=k3_locks,status=502,count=2", ("status", 502, "k3_locks", 2)),
        ("op=netcode,drop", ("drop", None, "netcode", None)),
        ('{"path_regex": "^/u/1/k3connect", "delay": 2, "count": 1}', ("delay", None, None, 1)),
    ],
)
def test_command_line_fault_specs(spec, expected):
    rule = rule_from_cli(spec)
    assert (rule.action, rule.status, rule.operation, rule.count) == expected


@pytest.mark.parametrize(
    "rule", [{"status": 502}, {"operation": "netcode"}, {"operation": "x", "delay": -1}]
)
def test_bad_fault_rules_are_refused(sandbox, rule):
    response = requests.post(f"{sandbox.url}/_sandbox/faults", json=[rule], timeout=5)
    assert response.status_code == 400


def test_reset_restores_the_seeded_data(api, control, first_lock, sandbox):
    control("POST", "locks", {"accesskey": ACCESSKEY, "action": "remove", "lock_id": first_lock})
    control("POST", "usage", {"netcode": 50})
    control("POST", "reset")
    assert first_lock in sandbox.state.accounts[ACCESSKEY].locks
    assert sandbox.state.summary()["usage_this_month"] == {"netcode": 0, "utility": 0}


def test_the_clock_can_be_set_and_advanced(control):
    assert control("POST", "clock", {"set": "2026-03-01T10:00:00Z"})["now"].startswith(
        "2026-03-01T10:00:00"
    )
    assert control("POST", "clock", {"advance": 90})["now"].startswith("2026-03-01T10:01:30")
    real = control("POST", "clock", {"real": True})["now"]
    assert not real.startswith("2026-03-01T10:01")


def test_the_state_summary_shows_usage_accounts_and_requests(api, control):
    api("/u/1/durations")
    summary = control("GET", "state")
    assert summary["plan"] == {"name": "business-1", "netcode": 100, "utility": 1000}
    assert summary["usage_this_month"]["utility"] == 1
    assert summary["accounts"][0]["email"] == "facilities@example.com"
    assert summary["request_counts"] == {"durations": 1}
    assert "accesskey" not in json.dumps(summary["recent_requests"])


def test_an_unknown_control_endpoint_is_404(sandbox):
    assert requests.get(f"{sandbox.url}/_sandbox/nothing", timeout=5).status_code == 404


def test_control_endpoints_answer_loopback_only(sandbox):
    reply = sandbox.dispatch(Request("GET", "/_sandbox/state"), "192.0.2.10")
    assert reply.status == 403
    assert sandbox.dispatch(Request("GET", "/_sandbox/state"), "::1").status == 200


def test_the_state_file_keeps_changes_across_restarts(tmp_path):
    state_file = tmp_path / "sandbox.json"
    first = SandboxServer(api_key=API_KEY, k3_accesskeys=[ACCESSKEY], state_file=state_file)
    with first:
        lock_id = next(iter(first.state.accounts[ACCESSKEY].locks))
        requests.post(
            f"{first.url}/_sandbox/users", json={"emails": ["kept@example.org"]}, timeout=5
        )
        requests.post(
            f"{first.url}/_sandbox/battery", json={"lock_id": lock_id, "battery": 3}, timeout=5
        )
        requests.get(f"{first.url}/u/1/durations", headers={"x-api-key": API_KEY}, timeout=5)
    saved = json.loads(state_file.read_text())
    assert API_KEY not in state_file.read_text()
    assert "kept@example.org" in saved["users"]
    with SandboxServer(api_key=API_KEY, k3_accesskeys=[ACCESSKEY], state_file=state_file) as again:
        assert again.state.accounts[ACCESSKEY].locks[lock_id].battery == 3
        assert "kept@example.org" in again.state.users
        assert again.state.summary()["usage_this_month"]["utility"] == 1


def test_the_command_line_starts_a_sandbox(tmp_path):
    command = [
        sys.executable,
        "-m",
        "codelocks.sandbox",
        "--port",
        "0",
        "--api-key",
        "cli-key",
        "--plan",
        "pro-1",
        "--k3-accesskey",
        "clikey123",
        "--quiet",
        "--fault",
        "operation=durations,status=502,count=1",
        "--state-file",
        str(tmp_path / "state.json"),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        banner = process.stdout.readline()
        url = banner.split(" on ")[1].split()[0]
        headers = {"x-api-key": "cli-key"}
        assert requests.get(f"{url}/u/1/durations", headers=headers, timeout=5).status_code == 502
        assert requests.get(f"{url}/u/1/durations", headers=headers, timeout=5).status_code == 200
        summary = requests.get(f"{url}/_sandbox/state", timeout=5).json()
        assert summary["plan"]["name"] == "pro-1"
        assert summary["accounts"][0]["accesskey"] == "clikey123"
    finally:
        process.terminate()
        process.wait(timeout=10)
    deadline = time.monotonic() + 5
    while not (tmp_path / "state.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "state.json").exists()
