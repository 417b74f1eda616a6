"""The form renderer draws `<select>` in Python with exactly Django's own HTML."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from config.forms import FormRenderer

CHOICES = [
    ("", "Any"),
    ("a", "Plain"),
    ("<b>", 'Needs "escaping" & <care>'),
    ("Group & co", [("g1", "In a group"), (2, "A number")]),
]


class Choosing(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)
    styled = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "form-select", "data-x": "<&>"})
    )


@pytest.mark.parametrize("field", ["one", "many", "styled"])
@pytest.mark.parametrize(
    "data", [None, {"one": "<b>", "many": ["a", "2"], "styled": "g1"}, {"one": "nonsense"}]
)
def test_a_select_is_drawn_exactly_as_djangos_templates_draw_it(field, data):
    ours = Choosing(data, renderer=FormRenderer())[field].as_widget()
    django = Choosing(data, renderer=DjangoTemplates())[field].as_widget()

    assert ours == django


def test_a_select_with_its_own_option_template_is_left_to_the_templates():
    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class Form(forms.Form):
        pick = forms.ChoiceField(choices=CHOICES, widget=OwnOption)

    ours = Form(renderer=FormRenderer())["pick"].as_widget()

    assert ours == Form(renderer=DjangoTemplates())["pick"].as_widget()
    assert "<option" not in ours


def test_the_portal_uses_it(settings):
    assert settings.FORM_RENDERER == "config.forms.FormRenderer"
