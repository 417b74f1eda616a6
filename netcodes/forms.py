"""Forms for NetCodes: one code, sharing it, browsing the history, bulk rows."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from config.forms import ReadyChoices
from locks.models import KitLock, Site
from netcodes import clock
from netcodes.durations import duration_rule

if TYPE_CHECKING:
    from locks.models.sites import AnyUser
    from netcodes.models import DurationOption
    from netcodes.targets import NetCodeTarget

CHOOSE_START = "Choose a start time."
# A site's locks fill the history's lock filter; a select of thousands would not be usable.
MAX_LOCK_CHOICES = 500


class _StartTimeField(forms.ChoiceField):
    """A start time offered from the valid ones; the form explains a refused one itself."""

    def valid_value(self, value: str) -> bool:
        return True


class NetCodeForm(forms.Form):
    """One NetCode: when, for how long, for whom."""

    duration = forms.ChoiceField()
    start_date = forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    start_time = _StartTimeField(help_text="On this site's clock.")
    recipient_name = forms.CharField(max_length=120, label="For (name)")
    recipient_email = forms.EmailField(required=False, label="E-mail (optional)")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self,
        *args: Any,
        target: NetCodeTarget,
        options: list[DurationOption],
        starts_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.options = {str(o.duration_id): o for o in options}
        self.fields["duration"].choices = [(key, o.label) for key, o in self.options.items()]
        today = timezone.now().astimezone(target.site.tz).date()
        self.fields["start_date"].initial = today
        if starts_url:  # htmx: refresh the offered start times when the duration or date changes
            for name in ("duration", "start_date"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": starts_url,
                        "hx-trigger": "change",
                        "hx-target": "#id_start_time",
                        "hx-include": "closest form",
                    }
                )
        option, day = self.chosen_option(), self.chosen_day(today)
        self.fields["start_time"].choices = start_time_choices(target, option, day)
        self.fields["start_time"].help_text = start_help(target, option)

    def chosen_option(self) -> DurationOption | None:
        key = self.data.get(self.add_prefix("duration")) if self.is_bound else None
        return self.options.get(str(key)) or next(iter(self.options.values()), None)

    def chosen_day(self, default: date) -> date:
        raw = self.data.get(self.add_prefix("start_date")) if self.is_bound else None
        try:
            return date.fromisoformat(raw) if raw else default
        except ValueError:
            return default

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        option = self.options.get(data.get("duration", ""))
        day, raw_time = data.get("start_date"), data.get("start_time")
        if option is None or day is None:
            return data
        try:
            at = time.fromisoformat(raw_time or "")
            start = clock.site_datetime(day, at, self.target.site.tz)
        except ValueError as exc:
            self.add_error("start_time", str(exc) if raw_time else CHOOSE_START)
            return data
        error = clock.start_error(
            start,
            is_day_code=option.is_day_code,
            clock_zone=self.target.clock_zone,
            rule=duration_rule(option),
        )
        if error:
            self.add_error("start_time", error)
        data["option"], data["start"] = option, start
        return data


def start_time_choices(
    target: NetCodeTarget, option: DurationOption | None, day: date
) -> list[tuple[str, str]]:
    """The start times a duration allows on a day, on the site's clock."""
    if option is None:
        return []
    starts = clock.start_choices(day, target.site.tz, target.clock_zone, duration_rule(option))
    return [(s.strftime("%H:%M"), s.strftime("%H:%M")) for s in starts]


def start_help(target: NetCodeTarget, option: DurationOption | None) -> str:
    """Why only some start times are offered."""
    if option is None:
        return ""
    rule = duration_rule(option)
    kind = "Day" if option.is_day_code else "Hour"
    zone = clock.lock_zone_name(target.clock_zone, rule)
    return (
        f"{kind} codes start {rule.describe()} on the lock's clock ({zone}); the times offered "
        f"are those moments on the clock of {target.site.name} ({target.site.time_zone})."
    )


class SendForm(forms.Form):
    email = forms.EmailField(label="Send to")


class HistoryFilterForm(forms.Form):
    """Filters of the NetCode history."""

    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False)
    lock = forms.ChoiceField(required=False, help_text="The locks of the chosen site")
    person = forms.CharField(required=False, help_text="Who asked, or for whom")
    date_from = forms.DateField(
        required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        choices=[
            ("asked", "Newest request first"),
            ("starts", "Latest start first"),
            ("starts_first", "Earliest start first"),
        ],
        required=False,
        label="Sort by",
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = Site.objects.visible_to(user).order_by("name")
        self.fields["site"].queryset = sites
        # Rows, not Site objects: the select needs names, the table each site's name and clock
        # (the field still checks the chosen site against `sites`).
        rows = sites.values_list("pk", "name", "time_zone")
        self.site_clocks = {pk: (name, zone) for pk, name, zone in rows}
        names = [(pk, name) for pk, (name, _zone) in self.site_clocks.items()]
        self.fields["site"].widget.choices = ReadyChoices([("", "All my sites"), *names])
        site_id = self.data.get("site") if self.is_bound else None
        chosen = self.data.get("lock", "") if self.is_bound else ""
        choices = _lock_choices(user, site_id if str(site_id).isdigit() else None, chosen)
        self.fields["lock"].choices = ReadyChoices([("", "All locks"), *choices])

    def lock_filter(self) -> dict[str, int]:
        """The NetCode filter of the chosen lock, e.g. {"smartlock_id": 3}; {} for all."""
        kind, _, pk = self.cleaned_data.get("lock", "").partition(":")
        return {f"{kind}_id": int(pk)} if kind in ("kitlock", "smartlock") else {}


def _lock_choices(user: AnyUser, site_id: str | None, chosen: str) -> list[tuple[str, str]]:
    """The locks of the chosen site (never every lock of a big estate), and the chosen lock."""
    from k3clients.models import SmartLock

    kind, _, pk = chosen.partition(":")
    wanted = {"kitlock": KitLock, "smartlock": SmartLock}
    picked = pk.isdigit() and kind in wanted
    choices = []
    for name, model in wanted.items():
        locks = model.objects.visible_to(user)
        scope = Q(site_id=site_id) if site_id else Q(pk__in=[])
        if picked and kind == name:
            scope |= Q(pk=int(pk))
        rows = locks.filter(scope).order_by("name").values_list("pk", "name")[:MAX_LOCK_CHOICES]
        choices += [(f"{name}:{pk}", label or "Smart lock") for pk, label in rows]
    return sorted(choices, key=lambda choice: choice[1].casefold())
