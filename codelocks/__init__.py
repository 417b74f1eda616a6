"""Client and sandbox for the Codelocks Connect API; a library that knows nothing of Django."""

from __future__ import annotations

from . import errors, types
from .client import CodelocksClient
from .errors import CodelocksError
from .types import ActivePeriod, CallRecord

__all__ = ["ActivePeriod", "CallRecord", "CodelocksClient", "CodelocksError", "errors", "types"]
