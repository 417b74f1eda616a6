from __future__ import annotations

from django.contrib import admin

from locks.models import Membership, Site


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "created_at"]
    list_filter = ["time_zone"]
    search_fields = ["name", "address"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "site", "role", "created_at"]
    list_filter = ["role", "site"]
    search_fields = ["user__username", "user__email", "site__name"]
    list_select_related = ["user", "site"]
    autocomplete_fields = ["user", "site"]
