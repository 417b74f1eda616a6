"""Forms for sites and their members."""

from __future__ import annotations

from django import forms

from locks.models import Membership, Role, Site, time_zone_choices


class SiteForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Codes and door events are shown on this clock.",
    )

    class Meta:
        model = Site
        fields = ["name", "time_zone", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        help_text="Someone without an account gets an e-mail inviting them to set a password.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.STAFF)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip()


class MemberRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]
