"""Forms of the K3 pages: access keys, invitations and the ten-row active-period editor."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.forms import BaseFormSet, formset_factory

from codelocks.types import WEEKDAYS, ActivePeriod
from k3clients import periods as period_rules
from k3clients.models import AccessType, SmartLock

TAMPERED = (
    "The active-period form arrived changed: it must have exactly ten rows, numbered 0 to 9, "
    "with on/off values only. Reload the page and enter the periods again."
)
BAD_TIME = "Give the time as HH:MM on a 24-hour clock, e.g. 08:00 or 17:30."
TIME_NEEDED = "An enabled period needs a start and an end time."
NO_WEEKDAY = "An enabled period needs at least one weekday ticked."
MESSAGE_CHARS = "The message may use only letters, digits, spaces and _ , - . ( )"
MESSAGE_LIMIT = 500
ACCESS_KEY_SHAPE = "Paste the access key exactly as the app shows it: letters and digits only."
TOO_MANY_EMAILS = "Invite at most {limit} people at once."
TOO_MANY_INVITES = "That is {count} invitations; send at most {limit} at once."
BULK_MAX_EMAILS = 20
BULK_MAX_INVITES = 100
DEFAULT_MESSAGE = "You have been given access to this door."

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_MESSAGE = re.compile(r"^[0-9A-Za-z _,\-.()]*$")
_ACCESS_KEY = re.compile(r"^[0-9A-Za-z]{4,128}$")
_ROW_FIELD = re.compile(r"^periods-(\d+)-")


class AccessKeyForm(forms.Form):
    access_key = forms.CharField(
        label="Access key",
        max_length=128,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="In the K3 Connect app: User → Access key. Keyhouse checks it before saving.",
    )

    def clean_access_key(self) -> str:
        value = self.cleaned_data["access_key"]
        if not _ACCESS_KEY.match(value):
            raise ValidationError(ACCESS_KEY_SHAPE)
        return value


def validate_message(value: str) -> None:
    """The invitation message: at most 500 of the characters the vendor allows."""
    if not _MESSAGE.match(value):
        raise ValidationError(MESSAGE_CHARS)


class InviteFields(forms.Form):
    access_type = forms.ChoiceField(
        choices=AccessType.choices,
        initial=AccessType.STANDARD,
        help_text="A one-time user can open the door once.",
    )
    message = forms.CharField(
        max_length=MESSAGE_LIMIT,
        initial=DEFAULT_MESSAGE,
        validators=[validate_message],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Sent with the invitation. {MESSAGE_CHARS}; at most {MESSAGE_LIMIT}.",
    )


class InviteForm(InviteFields):
    email = forms.EmailField(
        label="E-mail", help_text="The e-mail the person registered in the K3 Connect app with."
    )
    field_order = ["email", "access_type", "message"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class BulkInviteForm(InviteFields):
    emails = forms.CharField(
        label="E-mails",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or more K3 Connect e-mails, one per line or separated by commas.",
    )
    locks = forms.ModelMultipleChoiceField(
        queryset=SmartLock.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    field_order = ["emails", "locks", "access_type", "message"]

    def __init__(self, *args: Any, locks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locks"].queryset = locks

    def clean_emails(self) -> list[str]:
        emails = []
        for raw in re.split(r"[\s,;]+", self.cleaned_data["emails"]):
            if raw:
                validate_email(raw)
                if raw.lower() not in emails:
                    emails.append(raw.lower())
        if len(emails) > BULK_MAX_EMAILS:
            raise ValidationError(TOO_MANY_EMAILS.format(limit=BULK_MAX_EMAILS))
        return emails

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        count = len(data.get("emails") or []) * len(data.get("locks") or [])
        if count > BULK_MAX_INVITES:
            raise ValidationError(TOO_MANY_INVITES.format(count=count, limit=BULK_MAX_INVITES))
        return data


class StrictCheckbox(forms.CheckboxInput):
    """A checkbox that hands the raw submitted text to its field, so junk can be refused."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name, False)


class StrictBooleanField(forms.Field):
    """On/off from a checkbox; anything but the usual spellings is a tampered form."""

    def __init__(self, *, label: str = "", **kwargs: Any) -> None:
        attrs = {"class": "form-check-input", "aria-label": label}
        super().__init__(required=False, widget=StrictCheckbox(attrs=attrs), **kwargs)

    def to_python(self, value: Any) -> bool:
        if value in (False, None, ""):
            return False
        if value is True:
            return True
        text = str(value).strip().lower()
        if text in ("on", "true", "1"):
            return True
        if text in ("off", "false", "0"):
            return False
        raise ValidationError(TAMPERED, code="tampered")


def _time_input(label: str) -> forms.TimeInput:
    attrs = {
        "type": "time",
        "step": 60,
        "class": "form-control form-control-sm",
        "aria-label": label,
    }
    return forms.TimeInput(attrs=attrs)


class PeriodRowForm(forms.Form):
    index = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=9,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), TAMPERED),
    )
    enabled = StrictBooleanField(label="Enabled")
    starts = forms.CharField(required=False, max_length=5, widget=_time_input("Start"))
    ends = forms.CharField(required=False, max_length=5, widget=_time_input("End"))
    mon = StrictBooleanField(label="Monday")
    tue = StrictBooleanField(label="Tuesday")
    wed = StrictBooleanField(label="Wednesday")
    thu = StrictBooleanField(label="Thursday")
    fri = StrictBooleanField(label="Friday")
    sat = StrictBooleanField(label="Saturday")
    sun = StrictBooleanField(label="Sunday")

    def _clean_time(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if value and not _HH_MM.match(value):
            raise ValidationError(BAD_TIME)
        return value

    def clean_starts(self) -> str:
        return self._clean_time("starts")

    def clean_ends(self) -> str:
        return self._clean_time("ends")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("enabled") or self.errors:
            return data
        if not data.get("starts") or not data.get("ends"):
            raise ValidationError(TIME_NEEDED)
        if period_rules.minutes(data["starts"]) >= period_rules.minutes(data["ends"]):
            raise ValidationError(period_rules.OVERNIGHT_EXPLAINED)
        if not any(data.get(day) for day in WEEKDAYS):
            raise ValidationError(NO_WEEKDAY)
        return data

    def period(self) -> ActivePeriod:
        """The row as an ActivePeriod (blank times of a disabled row become 00:00-23:59)."""
        data = self.cleaned_data
        return ActivePeriod(
            enabled=bool(data["enabled"]),
            starts=data["starts"] or "00:00",
            ends=data["ends"] or "23:59",
            **{day: bool(data[day]) for day in WEEKDAYS},
        )


class BasePeriodFormSet(BaseFormSet):
    default_error_messages = {
        "missing_management_form": TAMPERED,
        "too_many_forms": TAMPERED,
        "too_few_forms": TAMPERED,
    }

    def clean(self) -> None:
        # Django's own minimum counts only rows changed from their initial values.
        if self.total_form_count() != period_rules.PERIOD_COUNT:
            raise ValidationError(TAMPERED, code="tampered")
        if any(self.errors):
            return
        indexes = [form.cleaned_data.get("index") for form in self.forms]
        if indexes != list(range(period_rules.PERIOD_COUNT)):
            raise ValidationError(TAMPERED, code="tampered")
        rows = {int(m.group(1)) for key in self.data if (m := _ROW_FIELD.match(key))}
        if rows - set(range(period_rules.PERIOD_COUNT)):
            raise ValidationError(TAMPERED, code="tampered")

    def periods(self) -> list[ActivePeriod]:
        """The ten rows, once the formset is valid."""
        return [form.period() for form in self.forms]


PeriodFormSet = formset_factory(
    PeriodRowForm,
    formset=BasePeriodFormSet,
    extra=0,
    min_num=period_rules.PERIOD_COUNT,
    max_num=period_rules.PERIOD_COUNT,
    absolute_max=period_rules.PERIOD_COUNT,
    validate_max=True,
)


def period_formset(
    data: Any = None, periods: list[ActivePeriod] | None = None
) -> BasePeriodFormSet:
    """The ten-row editor, bound to POST data or showing the given periods."""
    rows = period_rules.padded(periods or [])
    initial = [
        {"index": n, "enabled": p.enabled, "starts": p.starts, "ends": p.ends}
        | {day: getattr(p, day) for day in WEEKDAYS}
        for n, p in enumerate(rows)
    ]
    return PeriodFormSet(data=data, initial=initial, prefix="periods")
