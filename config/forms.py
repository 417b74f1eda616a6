"""The form renderer: Django's own, with `<select>` drawn in Python; and choices handed over ready.

Django draws every `<option>` through two template includes. A site picker of a 200-site
estate then costs several milliseconds a page, more than the page's SQL. The HTML here is
the same as Django's `select.html`, `select_option.html` and `attrs.html` would give.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class ReadyChoices(BaseChoiceIterator):
    """Choices built as (value, label) pairs: Django would re-check hundreds of them per page."""

    def __init__(self, choices: list[tuple[Any, str]]) -> None:
        self.choices = choices

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        return iter(self.choices)


def _attrs(attrs: dict[str, Any]) -> str:
    """Attributes as Django's `attrs.html` writes them: True bare, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    return (
        f'\n  <option value="{conditional_escape(str(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
    )


def render_select(widget: dict[str, Any]) -> SafeString:
    """The `<select>` of a widget context, options and optgroups included."""
    body = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            body.append(format_html('\n  <optgroup label="{}">', group_name))
        body.extend(_option(option) for option in options)
        if group_name:
            body.append("\n  </optgroup>")
    name = conditional_escape(widget["name"])
    return mark_safe(f'<select name="{name}"{_attrs(widget["attrs"])}>{"".join(body)}\n</select>')  # noqa: S308 every part escaped above


def _is_plain_select(template_name: str, context: dict[str, Any]) -> bool:
    if template_name != SELECT or "widget" not in context:
        return False
    return all(
        option.get("template_name") == OPTION
        for _name, options, _index in context["widget"]["optgroups"]
        for option in options
    )


class FormRenderer(DjangoTemplates):
    """Django's renderer; a plain `<select>` (not a customised one) is drawn in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        """The widget's HTML."""
        if _is_plain_select(template_name, context):
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)
