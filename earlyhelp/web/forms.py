"""GOV.UK Frontend form pieces every app's forms share: widget classes, hints and errors linked
for screen readers, and a service's ValidationError shown against the fields it names."""

from django import forms


class GovukFormMixin:
    """Give every widget its GOV.UK Frontend class and link hints and errors for screen readers.

    Error styling is applied as errors are added, not in __init__: reading `self.errors` there
    would validate the form before a subclass has finished setting up its fields (querysets)."""

    _css = {
        forms.Select: "govuk-select",
        forms.Textarea: "govuk-textarea",
        forms.DateInput: "govuk-input govuk-input--width-10",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", self._css.get(type(field.widget), "govuk-input"))
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        names = [field] if field else []
        if field is None and hasattr(error, "error_dict"):
            names = list(error.error_dict)
        for name in names:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            css = self._css.get(type(widget), "govuk-input")
            error_class = "govuk-input--error" if "govuk-input" in css else f"{css}--error"
            if error_class not in widget.attrs["class"]:
                widget.attrs["class"] += f" {error_class}"
            described = widget.attrs.get("aria-describedby", "")
            if f"id_{name}-error" not in described:
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError against the fields it names."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})
