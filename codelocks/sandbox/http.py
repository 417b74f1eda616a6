"""The sandbox's own small request/answer types, free of any HTTP server detail."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class ApiFailure(Exception):
    """An error answer: raised anywhere in a handler, written by the server."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def reply(self) -> Reply:
        """The answer the API gives for this failure."""
        return Reply.json(self.status, {"message": self.message})


class InvalidAccessKeyFailure(ApiFailure):
    """The real API answers an unknown access key with 200 and the text `Invalid accesskey`."""

    def __init__(self) -> None:
        super().__init__(200, "Invalid accesskey")

    def reply(self) -> Reply:
        """A plain-text 200, as the real service gives."""
        return Reply.text(200, "Invalid accesskey")


@dataclass
class Request:
    """An incoming request with its query and form already decoded."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        """The body as JSON (control endpoints), or a 400."""
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except ValueError:
            raise ApiFailure(400, "The body is not JSON") from None

    def required(self, name: str, *, source: str = "query") -> str:
        """A required parameter; absent or blank gives the API's 404."""
        values = self.query if source == "query" else self.form
        value = values.get(name, "").strip()
        if not value:
            raise ApiFailure(404, f"Missing required parameter: {name}")
        return value

    def optional(self, name: str) -> str | None:
        """An optional query parameter; blank counts as absent."""
        value = self.query.get(name, "").strip()
        return value or None


@dataclass
class Reply:
    """An answer to write back."""

    status: int
    body: bytes
    content_type: str = "application/json"
    drop: bool = False

    @classmethod
    def json(cls, status: int, data: Any) -> Reply:
        """A JSON answer."""
        return cls(status, json.dumps(data).encode())

    @classmethod
    def text(cls, status: int, text: str, content_type: str = "text/plain") -> Reply:
        """A plain-text answer."""
        return cls(status, text.encode(), content_type)
