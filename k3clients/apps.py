from __future__ import annotations

from django.apps import AppConfig


class K3ClientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "k3clients"
    verbose_name = "K3Connect smart locks"
