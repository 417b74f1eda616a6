from __future__ import annotations

from django.apps import AppConfig


class NetcodesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "netcodes"
    verbose_name = "NetCodes and API usage"
