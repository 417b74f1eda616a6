"""Bulk NetCodes: upload or type rows, preview them with their price, generate, download."""

from __future__ import annotations

import csv

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from codelocks.errors import CodelocksError
from config.ratelimit import rate_limited
from locks.access import require_role, site_for
from locks.forms import SiteChoiceField
from locks.models import Role, Site
from netcodes import bulk
from netcodes.models import ApiCategory, NetCodeBatch
from netcodes.quota import QuotaExhausted, quota_status

TABLE_ROWS = 8
NOT_UTF8 = "The file is not a UTF-8 CSV file."


class BulkForm(forms.Form):
    site = SiteChoiceField(empty_label=None)
    file = forms.FileField(
        required=False, label="CSV file (lock, start, duration, recipient, email)"
    )
    rows_csv = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        sites = Site.objects.visible_to(user)  # type: ignore[arg-type]
        if not getattr(user, "is_superuser", False):
            sites = sites.filter(
                memberships__user=user, memberships__role__in=[Role.ADMIN, Role.MANAGER]
            )
        self.fields["site"].queryset = sites.order_by("name")


class BulkRowForm(forms.Form):
    lock = forms.CharField(required=False)
    start = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": "2026-05-01 14:00"})
    )
    duration = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "2h"}))
    recipient = forms.CharField(required=False)
    email = forms.CharField(required=False)


BulkRowFormSet = forms.formset_factory(BulkRowForm, extra=TABLE_ROWS, max_num=bulk.MAX_ROWS)


def _rows(form: BulkForm, table: forms.BaseFormSet) -> list[dict[str, str]]:
    """The rows from the carried-over CSV, the uploaded file, or the table."""
    if form.cleaned_data.get("rows_csv"):
        return bulk.rows_from_csv(form.cleaned_data["rows_csv"])
    upload = form.cleaned_data.get("file")
    if upload:
        try:
            return bulk.rows_from_csv(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, csv.Error):
            raise ValidationError(NOT_UTF8) from None
    table_rows = [f.cleaned_data for f in table if f.is_valid() and any(f.cleaned_data.values())]
    return [{k: (v or "") for k, v in row.items()} for row in table_rows]


@rate_limited("netcode")
def bulk_new(request: HttpRequest) -> HttpResponse:
    """Bulk form; "preview" checks and prices the rows, "generate" makes the codes."""
    form = BulkForm(request.POST or None, request.FILES or None, user=request.user)
    table = BulkRowFormSet(request.POST or None, prefix="rows")
    context = {"form": form, "table": table, "quota": quota_status(ApiCategory.NETCODE)}
    if request.method != "POST" or not form.is_valid():
        return render(request, "netcodes/bulk_form.html", context)
    site = form.cleaned_data["site"]
    require_role(request, site, Role.MANAGER)
    try:
        rows = _rows(form, table)
        if "generate" in request.POST:
            batch, checked = bulk.netcode_bulk_generate(site=site, rows=rows, user=request.user)
            return render(request, "netcodes/bulk_results.html", {"batch": batch, "rows": checked})
        checked = bulk.bulk_preview(site=site, rows=rows, user=request.user)
    except (CodelocksError, QuotaExhausted) as exc:
        form.add_error(None, exc.user_message)
    except ValidationError as exc:
        form.add_error(None, exc)
    else:
        context.update(
            rows=checked, cost=bulk.bulk_cost(checked), site=site, rows_csv=bulk.rows_to_csv(rows)
        )
        return render(request, "netcodes/bulk_preview.html", context)
    context["quota"] = quota_status(ApiCategory.NETCODE)
    return render(request, "netcodes/bulk_form.html", context)


def bulk_results(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A batch's codes as CSV (Managers and Admins of its site)."""
    batch = get_object_or_404(NetCodeBatch.objects.select_related("site"), pk=batch_id)
    site_for(request, batch.site_id, role=Role.MANAGER)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="netcodes-{batch.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "lock",
            "start (site time)",
            "end (site time)",
            "duration",
            "code",
            "recipient",
            "email",
            "from history",
        ]
    )
    tz = batch.site.tz
    for issue in batch.issues.select_related("netcode").order_by("pk"):
        nc = issue.netcode
        writer.writerow(
            [
                nc.lock_name,
                f"{nc.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
                f"{nc.ends_at.astimezone(tz):%Y-%m-%d %H:%M}",
                nc.duration_label,
                nc.code,
                issue.recipient_name,
                issue.recipient_email,
                "yes" if issue.from_history else "no",
            ]
        )
    return response
