"""Celery tasks of the NetCode app: thin, they call the services and return."""

from __future__ import annotations

from celery import shared_task

from netcodes.durations import durations_refresh_in_use

REFRESH_DURATIONS = "netcodes.refresh_durations"


@shared_task(name=REFRESH_DURATIONS)
def refresh_durations() -> list[str]:
    """Daily: refresh the cached NetCode durations of the lock models in use."""
    return durations_refresh_in_use(task=REFRESH_DURATIONS)
