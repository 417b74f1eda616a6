"""Admin views of the K3 models; the access key is never shown or editable here."""

from __future__ import annotations

from django.contrib import admin

from k3clients.models import AuditEntry, K3Account, PhoneClient, SmartLock


@admin.register(K3Account)
class K3AccountAdmin(admin.ModelAdmin):
    list_display = ["email", "site", "masked_key", "status", "linked_at", "key_rejected_at"]
    list_filter = ["site"]
    search_fields = ["email"]
    exclude = ["access_key"]
    readonly_fields = ["access_key_last4", "linked_at", "last_checked_at", "key_rejected_at"]


@admin.register(SmartLock)
class SmartLockAdmin(admin.ModelAdmin):
    list_display = ["name", "lock_id", "site", "model_name", "battery_status", "gone_at"]
    list_filter = ["site", "model_name"]
    search_fields = ["name", "lock_id"]
    list_select_related = ["site"]


@admin.register(PhoneClient)
class PhoneClientAdmin(admin.ModelAdmin):
    list_display = ["email", "lock", "status", "access_type"]
    list_filter = ["status", "access_type"]
    search_fields = ["email"]
    list_select_related = ["lock"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["date_entered", "lock", "entry_type", "entry_text"]
    list_filter = ["entry_type"]
    list_select_related = ["lock"]
    date_hierarchy = "date_entered"
