"""Scripted failures: "502, 502, then 200", dropped connections, slow or malformed answers."""

from __future__ import annotations

import json
import random
import re
import threading
from dataclasses import dataclass
from typing import Any

from .http import Reply

ACTIONS = ("status", "drop", "malformed", "error200", "delay")
DEFAULT_MESSAGES = {
    400: "Invalid data supplied",
    403: "Forbidden",
    404: "Missing required parameter",
    429: "Limit Exceeded",
    500: "Internal server error",
    502: "Internal server error",
    503: "Service Unavailable",
    504: "Endpoint request timed out",
}


@dataclass
class FaultRule:
    """One scripted failure and which requests it hits."""

    action: str
    status: int | None = None
    delay: float = 0.0
    path_regex: str | None = None
    operation: str | None = None
    method: str | None = None
    count: int | None = None
    probability: float = 1.0
    body: str | None = None
    hits: int = 0

    def matches(self, method: str, path: str, operation: str | None) -> bool:
        """Whether this rule is still armed and concerns this request."""
        if self.count is not None and self.count <= 0:
            return False
        if self.method and self.method.upper() != method:
            return False
        if self.operation and self.operation != operation:
            return False
        return not (self.path_regex and not re.search(self.path_regex, path))

    def reply(self, operation: str | None) -> Reply | None:
        """The answer this rule forces (None for a delay, which lets the request go on)."""
        if self.action == "drop":
            return Reply(0, b"", drop=True)
        if self.action == "malformed":
            return Reply(200, (self.body or '{"ActualNetcode": "12').encode())
        if self.action == "error200":
            body = (
                {"netcode": "ERROR"}
                if operation == "netcode"
                else {
                    "status": "error",
                    "message": "Simulated error inside a 200 answer",
                }
            )
            return Reply(200, (self.body or json.dumps(body)).encode())
        if self.action == "status" and self.status is not None:
            text = self.body or json.dumps({"message": DEFAULT_MESSAGES.get(self.status, "Error")})
            return Reply(self.status, text.encode())
        return None

    def describe(self) -> dict[str, Any]:
        """The rule as JSON for the state summary."""
        return {key: value for key, value in vars(self).items() if value is not None}


def rule_from_json(data: Any) -> FaultRule:
    """Build a rule from its JSON form; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("a fault rule is a JSON object")
    if not data.get("path_regex") and not data.get("operation"):
        raise ValueError("a fault rule needs path_regex or operation")
    rule = FaultRule(
        action="status",
        path_regex=data.get("path_regex"),
        operation=data.get("operation"),
        method=data.get("method"),
        count=_count(data.get("count")),
        probability=float(data.get("probability", 1.0)),
        body=data.get("body"),
    )
    if rule.path_regex:
        re.compile(rule.path_regex)
    _set_action(rule, data)
    return rule


def _count(value: Any) -> int | None:
    """How many times a rule fires; None (or absent) for always."""
    if value is None:
        return None
    if isinstance(value, bool) or int(value) < 0:
        raise ValueError("count must be a whole number of 0 or more, or null")
    return int(value)


def _set_action(rule: FaultRule, data: dict[str, Any]) -> None:
    """Read which failure a rule forces: status, drop, malformed, error200 or delay."""
    status = data.get("status")
    if isinstance(status, str) and status in ACTIONS:
        rule.action = status
    elif status is not None:
        rule.action, rule.status = "status", int(status)
    for flag in ("drop", "malformed", "error200"):
        if data.get(flag):
            rule.action = flag
    if data.get("delay") is not None:
        rule.action, rule.delay = "delay", float(data["delay"])
        if rule.delay < 0:
            raise ValueError("delay must not be negative")
    if rule.action == "status" and rule.status is None:
        raise ValueError("a fault rule needs status, drop, malformed, error200 or delay")


def rule_from_cli(spec: str) -> FaultRule:
    """Read a --fault flag: JSON, or `operation=netcode,status=502,count=2`."""
    text = spec.strip()
    if text.startswith("{"):
        return rule_from_json(json.loads(text))
    data: dict[str, Any] = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        key = {"op": "operation", "path": "path_regex"}.get(key.strip(), key.strip())
        data[key] = None if value.strip() in ("null", "always") else value.strip()
    for flag in ("drop", "malformed", "error200"):
        if flag in data:
            data[flag] = True
    return rule_from_json(data)


class FaultSet:
    """The active rules, consulted for every API request."""

    def __init__(self, seed: int = 0) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()
        self._rng = random.Random(seed)  # noqa: S311 (repeatable for a given --seed)

    def replace(self, rules: list[FaultRule]) -> None:
        """Make these the only rules."""
        with self._lock:
            self._rules = list(rules)

    def extend(self, rules: list[FaultRule]) -> None:
        """Add rules after the current ones."""
        with self._lock:
            self._rules.extend(rules)

    def clear(self) -> None:
        """Remove every rule."""
        self.replace([])

    def take(self, method: str, path: str, operation: str | None) -> FaultRule | None:
        """The first armed rule for a request, used up by one when it has a count."""
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path, operation):
                    continue
                if rule.probability < 1 and self._rng.random() >= rule.probability:
                    continue
                if rule.count is not None:
                    rule.count -= 1
                rule.hits += 1
                return rule
        return None

    def describe(self) -> list[dict[str, Any]]:
        """The rules as JSON, with what is left of each."""
        with self._lock:
            return [rule.describe() for rule in self._rules]
