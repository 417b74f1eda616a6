"""The portal's one way to reach the Codelocks API: a client that writes the usage ledger."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from codelocks import CodelocksClient
from netcodes.models import ApiCall

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from codelocks.types import CallRecord

logger = logging.getLogger(__name__)


def _ledger_writer(user: AbstractBaseUser | AnonymousUser | None, task: str):
    user_id = user.pk if user is not None and user.is_authenticated else None

    def record(call: CallRecord) -> None:
        # Written immediately (callers keep API calls outside transactions), so a call that
        # was billed stays in the ledger even if the work around it fails afterwards.
        ApiCall.objects.create(
            at=timezone.now(),
            category=call.category,
            operation=call.operation,
            method=call.method,
            status=call.status,
            elapsed_ms=round(call.elapsed * 1000),
            error=(call.error or "")[:200],
            user_id=user_id,
            task=task[:100],
        )

    return record


def codelocks_client(
    *, user: AbstractBaseUser | AnonymousUser | None = None, task: str = ""
) -> CodelocksClient:
    """A client for the configured API whose every call is written to the usage ledger."""
    return CodelocksClient(
        api_key=settings.CODELOCKS_API_KEY,
        base_url=settings.CODELOCKS_API_URL,
        timeout=settings.CODELOCKS_TIMEOUT,
        backoff=settings.CODELOCKS_RETRY_BACKOFF,
        on_request=_ledger_writer(user, task),
    )
