from django import forms

from earlyhelp.web.forms import GovukFormMixin

from .models import DocumentKind
from .services import ALLOWED_TYPES, FILE_REQUIRED, KIND_REQUIRED, TITLE_MAX, TITLE_REQUIRED


class DocumentForm(GovukFormMixin, forms.Form):
    # Type, size and emptiness are the service's to judge, in the same words for the page and the API.
    upload = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word or OpenDocument file, a photo or scan (PNG or JPEG), or plain text",
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ",".join(f".{kind}" for kind in ALLOWED_TYPES)}),
        error_messages={"required": FILE_REQUIRED, "invalid": FILE_REQUIRED},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?", choices=DocumentKind.choices, error_messages={"required": KIND_REQUIRED}
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        help_text="For example, Consent to share, signed March 2026",
        error_messages={"required": TITLE_REQUIRED},
    )
    confidential = forms.BooleanField(
        label="Confidential to my agency",
        required=False,
        help_text="Other agencies in the family's team will not see this document",
    )
