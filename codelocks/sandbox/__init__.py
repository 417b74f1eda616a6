"""A faithful stand-in for the Codelocks Connect API: run it as a process or in-process."""

from __future__ import annotations

from .faults import FaultRule
from .server import SandboxServer
from .state import PLANS, SandboxState

__all__ = ["PLANS", "FaultRule", "SandboxServer", "SandboxState"]
