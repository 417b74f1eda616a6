"""Forms for sites and their members."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue

from locks.models import Membership, Role, Site, time_zone_choices

if TYPE_CHECKING:
    from django.http import HttpRequest


class _SiteChoices(ModelChoiceIterator):
    """Each site's id and name from one plain query, without building 200 Site objects."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name"):
            yield (ModelChoiceIteratorValue(pk, None), name)


class SiteChoiceField(forms.ModelChoiceField):
    """A site picker: a `ModelChoiceField` of sites that stays quick on an estate of hundreds."""

    iterator = _SiteChoices

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("queryset", Site.objects.none())
        super().__init__(**kwargs)


class SearchForm(forms.Form):
    """A list's search box: free text of a sane length, without the NUL PostgreSQL refuses."""

    q = forms.CharField(required=False, max_length=200)


def search_text(request: HttpRequest) -> tuple[str, str]:
    """The search box's text, or "" and why it cannot be used."""
    form = SearchForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["q"], ""
    return "", " ".join(form.errors["q"])


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
