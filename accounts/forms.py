"""The authentication-code form used to enrol, to sign in and to turn two-factor off."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator

CODE_SHAPE = "Type the 6 digits your authenticator app shows."


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Authentication code",
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^\d{6}$", CODE_SHAPE)],
        error_messages={"min_length": CODE_SHAPE, "max_length": CODE_SHAPE},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"\d{6}"}
        ),
        help_text="The 6-digit code from your authenticator app.",
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
