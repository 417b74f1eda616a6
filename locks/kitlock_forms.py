"""Forms for onboarding KitLocks and looking after them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from locks.forms import SiteChoiceField
from locks.models import KitLock, Role, Site, time_zone_choices
from locks.models.kitlocks import (
    KitLockModel,
    NetCodeMode,
    identifier_error,
    validate_master_code,
    validate_timecode,
)

if TYPE_CHECKING:
    from locks.models.sites import AnyUser

G3_BY_HAND = (
    "The KL1060G3 is set up on the lock itself: add it by hand with its timecode and identifier."
)


def admin_sites(user: AnyUser) -> Any:
    """The sites on which this user is an Admin (every site for a superuser)."""
    sites = Site.objects.visible_to(user)
    if user.is_superuser:
        return sites
    return sites.filter(memberships__user=user, memberships__role=Role.ADMIN)


class _SiteChoiceMixin(forms.Form):
    site = SiteChoiceField(empty_label=None)

    def __init__(self, *args: Any, user: AnyUser, site: Site | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = admin_sites(user).order_by("name")
        if site is not None:
            self.fields["site"].initial = site.pk


class KitLockInitForm(_SiteChoiceMixin):
    """Step one of the wizard: which lock, where, and how to initialise it."""

    model = forms.ChoiceField(choices=KitLockModel.choices, label="Lock model")
    name = forms.CharField(max_length=120)
    location = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    master_code = forms.CharField(
        required=False,
        max_length=8,
        help_text="8 digits. Leave empty to keep the factory master code.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    random_identifier = forms.BooleanField(
        required=False,
        initial=True,
        label="Random identifier",
        help_text="Without it every lock gets the default identifier 123456.",
    )

    def clean_model(self) -> str:
        model = self.cleaned_data["model"]
        if model == KitLockModel.KL1060G3:
            raise forms.ValidationError(G3_BY_HAND)
        return model

    def clean_master_code(self) -> str:
        value = self.cleaned_data["master_code"].strip()
        if value:
            validate_master_code(value)
        return value


class KitLockAddForm(_SiteChoiceMixin):
    """Adding a KitLock that was initialised elsewhere."""

    model = forms.ChoiceField(choices=KitLockModel.choices, label="Lock model")
    timecode = forms.CharField(
        label="NetCode id (timecode)",
        max_length=12,
        validators=[validate_timecode],
        help_text="The date and time the lock was initialised, YYYYMMddhhmm, e.g. 202011161623.",
    )
    identifier = forms.CharField(
        max_length=6,
        help_text="6 digits; for a KL1060C2 the group id (3 digits) then the member id (3).",
    )
    clock_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        label="Lock clock's time zone",
        help_text="UTC when the lock was initialised with a sequence from the Codelocks API.",
    )
    netcode_mode = forms.ChoiceField(choices=NetCodeMode.choices, initial=NetCodeMode.STANDARD)
    name = forms.CharField(max_length=120)
    location = forms.CharField(max_length=200, required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    master_code = forms.CharField(
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_timecode(self) -> str:
        return self.cleaned_data["timecode"].strip()

    def clean_master_code(self) -> str:
        value = self.cleaned_data["master_code"].strip()
        if value:
            validate_master_code(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        identifier = (data.get("identifier") or "").strip()
        if "model" in data and "identifier" in data:
            error = identifier_error(data["model"], identifier)
            if error:
                self.add_error("identifier", error)
            data["identifier"] = identifier
        return data


class KitLockEditForm(forms.ModelForm):
    """What an Admin may change after onboarding."""

    clock_zone = forms.ChoiceField(choices=time_zone_choices, label="Lock clock's time zone")

    class Meta:
        model = KitLock
        fields = ["name", "location", "notes", "netcode_mode", "clock_zone"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "netcode_mode": "The mode the lock is set to on its keypad; the API cannot read it, "
            "and codes of another mode fail on the door."
        }


class KitLockFilterForm(forms.Form):
    """Search and filters of the lock list."""

    q = forms.CharField(required=False, label="Search")
    site = SiteChoiceField(required=False)
    model = forms.ChoiceField(
        choices=[("", "Any model"), *KitLockModel.choices, ("K3CONNECT", "K3Connect smart lock")],
        required=False,
    )
    attention = forms.BooleanField(required=False, label="Needs attention")
    sort = forms.ChoiceField(
        choices=[("site", "Site, then name"), ("name", "Name"), ("kind", "Kind of lock")],
        required=False,
        label="Sort by",
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user).order_by("name")
        self.fields["site"].empty_label = "All my sites"
