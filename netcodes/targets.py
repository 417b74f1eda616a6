"""What the NetCode machinery needs to know about a lock, whatever kind of lock it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from locks.models import Site


@dataclass(frozen=True)
class NetCodeTarget:
    """A lock NetCodes can be generated for: a KitLock now, a K3Connect smart lock later.

    `identifier` may be a secret (a K3 account's access key): it is sent to the API and
    folded into the request fingerprint, never stored or shown.
    """

    site: Site
    lock_ref: str
    lockmodel: str
    identifier: str = field(repr=False)
    clock_zone: str
    name: str
    location: str
    keying_instructions: str
    netcode_mode: str
    # Keyword arguments that point a NetCode row at its lock, e.g. {"kitlock_id": 7}.
    lock_fields: dict[str, int] = field(default_factory=dict)
    # Why codes may not work on the door right now (e.g. the clock needs setting); "" if none.
    clock_warning: str = ""
    # Why no code may be generated at all (e.g. initialisation not confirmed); "" if none.
    not_ready: str = ""

    @property
    def label(self) -> str:
        """The lock's name with its location, as lists and cards show it."""
        return f"{self.name} ({self.location})" if self.location else self.name
