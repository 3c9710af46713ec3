"""Forms for signing in and switching role."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your e-mail address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "The e-mail address or password is not right. Check them and try again.",
        "inactive": "This account has been deactivated. Ask your school or LA administrator.",
    }


class SwitchForm(forms.Form):
    membership = forms.IntegerField(
        error_messages={
            "required": "Choose a school or local authority",
            "invalid": "Choose a school or local authority",
        }
    )
