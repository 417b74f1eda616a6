"""Filters of the audit browser and the activity log (shape only; scoping is in the queries)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q, QuerySet

from config.forms import ReadyChoices
from dashboard.audit import AuditFilters
from dashboard.models import Verb
from k3clients.models import SmartLock
from locks.models import Site

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

DATES_REVERSED = "The “to” date is before the “from” date."
MAX_LOCK_OPTIONS = 500
SORTS = [("newest", "Newest first"), ("oldest", "Oldest first")]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class _DateRangeForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    date_from = _date_field("From")
    date_to = _date_field("To")
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(DATES_REVERSED)
        return data


class AuditFilterForm(_DateRangeForm):
    """Which audit entries to show: site, lock, entry type, dates and words in the text."""

    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False)
    lock = forms.ModelChoiceField(
        queryset=SmartLock.objects.none(), required=False, help_text="The locks of the chosen site"
    )
    entry_type = forms.CharField(label="Entry type", required=False, max_length=100)
    q = forms.CharField(label="Text contains", required=False, max_length=200)
    field_order = ["site", "lock", "entry_type", "q", "date_from", "date_to", "sort"]

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = self.fields["site"]
        # Only what the page reads of a site: its name, and its clock for the chosen one.
        visible = Site.objects.visible_to(user).only("name", "time_zone").order_by("name")
        site_field.queryset = visible
        # Read once: the select's options and the page's list of sites share this result.
        sites = list(site_field.queryset)
        names = [("", "All my sites"), *((s.pk, s.name) for s in sites)]
        site_field.widget.choices = ReadyChoices(names)
        locks = SmartLock.objects.visible_to(user).order_by("name")
        self.fields["lock"].queryset = locks
        self.fields["lock"].empty_label = "All smart locks"
        # Any visible lock is valid, but the select lists only the chosen site's locks (and the
        # chosen lock): thousands of options would make every page of a big estate slow.
        options = [("", "All smart locks"), *self._lock_options(locks)]
        self.fields["lock"].widget.choices = ReadyChoices(options)
        self.fields["entry_type"].widget.attrs["list"] = "audit-entry-types"

    def _lock_options(self, locks: QuerySet[SmartLock]) -> list[tuple[int, str]]:
        data = self.data if self.is_bound else {}
        site, lock = str(data.get("site", "")), str(data.get("lock", ""))
        scope = Q(site_id=int(site)) if site.isdigit() else Q(pk__in=[])
        if lock.isdigit():
            scope |= Q(pk=int(lock))
        rows = locks.filter(scope).values_list("pk", "name", "lock_id")[:MAX_LOCK_OPTIONS]
        # Labelled as SmartLock.__str__ does, without building hundreds of locks.
        return [(pk, name or lock_id) for pk, name, lock_id in rows]

    def filters(self) -> AuditFilters:
        """The valid filters (call after is_valid())."""
        data = self.cleaned_data
        return AuditFilters(
            site=data.get("site"),
            lock=data.get("lock"),
            entry_type=data.get("entry_type", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=data.get("q", ""),
            oldest_first=data.get("sort") == "oldest",
        )


class ActivityFilterForm(_DateRangeForm):
    """Which events of the activity log to show."""

    verb = forms.ChoiceField(
        label="What", choices=[("", "Everything"), *Verb.choices], required=False
    )
    person = forms.CharField(label="Who", required=False, max_length=150)
    field_order = ["verb", "person", "date_from", "date_to", "sort"]
