from __future__ import annotations

from django.apps import AppConfig


class LocksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "locks"
    verbose_name = "Sites and locks"
