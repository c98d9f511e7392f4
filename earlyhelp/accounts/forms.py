from django import forms
from django.contrib.auth.forms import AuthenticationForm

SIGN_IN_FAILED = "Enter a correct username and password. Both are case-sensitive."
CODE_MISSING = "Enter the security code from your authenticator app, or a recovery code"
CODE_WRONG = "The security code is not right or has expired. Enter the code your authenticator app shows now"
SET_UP_CODE_MISSING = "Enter the 6-digit security code from your authenticator app"
SET_UP_CODE_WRONG = (
    "The security code is not right. Check the app was set up with this key and enter the code it shows now"
)
TOO_MANY_CODES = "You entered too many wrong security codes. Sign in again."


def _security_code_field(*, help_text: str, max_length: int, missing: str) -> forms.CharField:
    """The one-time code box of the sign-in and set-up pages, described by its hint."""
    return forms.CharField(
        label="Security code",
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": missing},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "aria-describedby": "id_code-hint",
            }
        ),
    )


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": SIGN_IN_FAILED, "inactive": SIGN_IN_FAILED}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget = forms.TextInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "current-password"}
        )


class SecondFactorForm(forms.Form):
    code = _security_code_field(
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        max_length=20,
        missing=CODE_MISSING,
    )


class SetUpForm(forms.Form):
    code = _security_code_field(
        help_text="The 6-digit code the app shows after you add the key.", max_length=10, missing=SET_UP_CODE_MISSING
    )
