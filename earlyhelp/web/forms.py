"""GOV.UK Frontend form pieces every app's forms share: widget classes, hints and errors linked
for screen readers, messages that name the field, the GOV.UK date input and character count, and a
service's ValidationError shown against the fields it names."""

import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.utils import pretty_name
from django.utils.html import format_html, format_html_join

NOT_KNOWN = "Not known"
DATE_EXAMPLE = "For example, 27 3 2007"
DATE_PARTS = ("day", "month", "year")


def _subject(label: str) -> str:
    """The field as the subject of a sentence: its label, or "The answer to “…”" for a question."""
    return f"The answer to “{label}”" if label.endswith(("?", ":")) or ": " in label else label


def _object(label: str) -> str:
    """The field as the object of "Enter …" or "Select …", lower-cased unless it starts with an acronym."""
    if label.endswith(("?", ":")) or ": " in label:
        return f"an answer to “{label}”"
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _class_default(field: forms.Field, code: str) -> str | None:
    for cls in type(field).__mro__:
        message = getattr(cls, "default_error_messages", {}).get(code)
        if message is not None:
            return str(message)
    return None


def _messages(field: forms.Field, label: str) -> dict[str, str]:
    """GOV.UK's error messages for the field, named by its label."""
    subject, object_ = _subject(label), _object(label)
    if isinstance(field, forms.BooleanField):
        required = f"Select “{label}” to continue"
    else:
        required = f"{'Select' if isinstance(field, forms.ChoiceField) else 'Enter'} {object_}"
    # Messages raised with params are %-formatted by Django, so a "%" in the label is doubled there.
    said, named = subject.replace("%", "%%"), object_.replace("%", "%%")
    messages = {
        "required": required,
        "max_length": f"{said} must be %(limit_value)d characters or fewer",
        "min_length": f"{said} must be %(limit_value)d characters or more",
        "max_value": f"{said} must be %(limit_value)s or less",
        "min_value": f"{said} must be %(limit_value)s or more",
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {named} in the correct format, like name@example.com"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{subject} must be a whole number"
    elif isinstance(field, forms.FloatField | forms.DecimalField):
        messages["invalid"] = f"{subject} must be a number"
    elif isinstance(field, DateField):
        messages |= {
            "invalid": f"{said} must be a real date",
            "incomplete": f"{said} must include %(missing)s",
            "year": f"{said} must include a year with 4 numbers",
        }
    return messages


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes, in the `govuk-date-input` markup.

    A single ISO date posted under the field's own name is read too, so links and scripts that send
    `date_of_birth=2016-03-04` keep working."""

    govuk_date_input = True

    def __init__(self, attrs=None):
        super().__init__(dict.fromkeys(DATE_PARTS, forms.TextInput), attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part in DATE_PARTS):
            return data.get(name)
        return [data.get(f"{name}_{part}", "") for part in DATE_PARTS]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        error_parts = attrs.pop("error_parts", ())
        base_id = attrs.pop("id", f"id_{name}")
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        items = []
        for part, part_value in zip(DATE_PARTS, values, strict=True):
            css = f"govuk-input govuk-date-input__input govuk-input--width-{4 if part == 'year' else 2}"
            if part in error_parts:
                css += " govuk-input--error"
            shown = "" if part_value is None else part_value
            # The day box carries the field's own id, so labels and error links to the field reach it.
            part_id = base_id if part == "day" else f"{base_id}_{part}"
            items.append((part_id, part.capitalize(), css, f"{name}_{part}", shown))
        inputs = format_html_join(
            "\n",
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            '<label class="govuk-label govuk-date-input__label" for="{0}">{1}</label>'
            '<input class="{2}" id="{0}" name="{3}" type="text" inputmode="numeric" value="{4}">'
            "</div></div>",
            items,
        )
        return format_html('<div class="govuk-date-input" id="{}-input">{}</div>', base_id, inputs)


class DateField(forms.DateField):
    """A date typed as day, month and year (GOV.UK's date input), with GOV.UK's messages for a part left
    out or a date that does not exist. Used by every app's forms."""

    widget = GovukDateInput
    default_error_messages = {
        "invalid": "Enter a real date",
        "incomplete": "Enter a date that includes %(missing)s",
        "year": "Enter a year with 4 numbers",
    }

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            try:
                return super().to_python(value)
            except ValidationError:
                raise self._refusal("invalid", DATE_PARTS) from None
        parts = dict(zip(DATE_PARTS, (str(part or "").strip() for part in value), strict=True))
        if not any(parts.values()):
            return None
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            raise self._refusal("incomplete", tuple(missing), missing="a " + " and ".join(missing))
        if not all(part.isdigit() for part in parts.values()):
            raise self._refusal("invalid", DATE_PARTS)
        if len(parts["year"]) != 4:
            raise self._refusal("year", ("year",))
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise self._refusal("invalid", DATE_PARTS) from None

    def _refusal(self, code: str, parts: tuple[str, ...], **params) -> ValidationError:
        """The error, with the parts of the date it is about (for their error styling)."""
        return ValidationError(self.error_messages[code], code=code, params={"parts": parts, **params})


class GovukBoundField(BoundField):
    """A field as GOV.UK Frontend shows it; its widget's classes and descriptions are decided as it is
    rendered, so fields a form adds or changes after set-up get them too."""

    def __init__(self, form, field, name):
        prepare = getattr(form, "_govuk_prepare", None)
        if prepare is not None:
            prepare(name, field)
        super().__init__(form, field, name)

    @property
    def character_limit(self) -> int | None:
        """The most characters the field takes, shown to the person as a hint or a character count."""
        return getattr(self.field, "max_length", None) if isinstance(self.field, forms.CharField) else None

    @property
    def character_limit_hint(self) -> str:
        return f"You can enter up to {self.character_limit:,} characters" if self.character_limit else ""

    @property
    def character_count(self) -> bool:
        """A textarea with a limit gets GOV.UK's character count."""
        return bool(self.character_limit) and isinstance(self.field.widget, forms.Textarea)

    @property
    def error_parts(self) -> tuple[str, ...]:
        """The parts of a date input the errors are about (all of them if the errors do not say)."""
        if not self.errors:
            return ()
        parts: list[str] = []
        for error in self.form.errors.as_data().get(self.name, []):
            parts += [p for p in (error.params or {}).get("parts", DATE_PARTS) if p not in parts]
        return tuple(part for part in DATE_PARTS if part in parts) or DATE_PARTS

    @property
    def error_link_id(self) -> str:
        """The input the error summary's link moves to: the first one in error."""
        if getattr(self.field.widget, "govuk_date_input", False):
            part = (self.error_parts or DATE_PARTS)[0]
            return self.auto_id if part == "day" else f"{self.auto_id}_{part}"
        if getattr(self.field.widget, "input_type", "") == "radio" or getattr(
            self.field.widget, "allow_multiple_selected", False
        ):
            return f"{self.auto_id}_0"
        return self.auto_id

    @property
    def aria_describedby(self):
        ids = [self.help_text and "hint", self.character_limit and "info", self.errors and "error"]
        if not self.auto_id or self.is_hidden:
            return ""
        return " ".join(f"{self.auto_id}-{kind}" for kind in ids if kind)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if getattr(widget, "govuk_date_input", False):
            attrs["error_parts"] = self.error_parts
            return attrs
        css = attrs.get("class") or widget.attrs.get("class") or GovukFormMixin.css_for(widget)
        if self.character_count:
            css += " govuk-js-character-count"
        if self.errors:
            css += " govuk-input--error" if "govuk-input" in css else f" {css.split()[0]}--error"
        attrs["class"] = css
        return attrs

    @cached_property
    def subwidgets(self):
        """Radio options, each with the fields its choice reveals (the form's `conditional`)."""
        options = super().subwidgets
        reveals = getattr(self.form, "conditional", {}).get(self.name, {})
        for option in options:
            names = reveals.get(str(option.data["value"]), ())
            # Read by the radios template; BoundWidget declares no slots for them.
            option.revealed = [self.form[name] for name in names]  # type: ignore[attr-defined]
            option.conditional_id = f"conditional-{option.id_for_label}"  # type: ignore[attr-defined]
        return options

    @property
    def revealed_by_choice(self) -> bool:
        """Shown inside a radio choice's conditional reveal rather than on its own."""
        return self.name in getattr(self.form, "_revealed_names", ())


if TYPE_CHECKING:
    # The mixin is only ever mixed into a Form or ModelForm; this lets its methods use the form's API.
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class GovukFormMixin(_FormBase):
    """GOV.UK Frontend forms: widget classes, hints and errors linked for screen readers, and messages
    that name the field.

    Each field gets, unless the form set its own: GOV.UK's error messages from its label ("Enter
    surname", "Select level of need", "Surname must be 100 characters or fewer"); no "---------"
    choice (none when the answer is required, "Not known" when it is optional); and for a text field
    with a `max_length`, the limit as a hint (GOV.UK's character count on a textarea) and a refusal of
    longer text instead of the browser cutting it. All of this is applied as fields are used, not in
    __init__, so fields a subclass adds or changes after set-up get it too.

    Conditional reveals: a form may set `conditional = {"decision": {"mash": ["mash_reasons",
    "mash_team"]}}` to show the fields `mash_reasons` and `mash_team` inside the "mash" choice of
    the `decision` radios (GOV.UK's `govuk-radios__conditional`). A revealed field is only checked,
    and only required, when its choice is selected; otherwise it is cleaned as if left empty."""

    bound_field_class: type[BoundField] | None = GovukBoundField
    conditional: dict[str, dict[str, list[str]]] = {}

    _css = {
        forms.Select: "govuk-select",
        forms.SelectMultiple: "govuk-select",
        forms.Textarea: "govuk-textarea",
        forms.FileInput: "govuk-file-upload",
    }

    @classmethod
    def css_for(cls, widget: forms.Widget) -> str:
        return cls._css.get(type(widget), "govuk-input")

    @property
    def _revealed_names(self) -> set[str]:
        return {name for reveals in self.conditional.values() for names in reveals.values() for name in names}

    def _govuk_prepare(self, name: str, field: forms.Field) -> None:
        if getattr(field, "_govuk_ready", False):
            return
        field._govuk_ready = True  # type: ignore[attr-defined]  # a marker on this field instance only
        label = str(field.label if field.label is not None else pretty_name(name))
        for code, message in _messages(field, label).items():
            current = field.error_messages.get(code)
            if current is None or str(current) == _class_default(field, code):
                field.error_messages[code] = message
        # The browser's maxlength cuts pasted text without a word; the field refuses it with a message instead.
        field.widget.attrs.pop("maxlength", None)
        self._govuk_empty_choice(field)

    @staticmethod
    def _govuk_empty_choice(field: forms.Field) -> None:
        if isinstance(field, forms.ModelMultipleChoiceField):
            return
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = None if field.required else NOT_KNOWN
            return
        if not isinstance(field, forms.ChoiceField):
            return
        # The stubs type the getter as the setter's input; Django returns the normalised list.
        choices = list(field.choices)  # type: ignore[arg-type]
        dash = [index for index, (value, text) in enumerate(choices) if value in ("", None) and text == "---------"]
        if not dash:
            return
        for index in reversed(dash):
            if field.required:
                del choices[index]
            else:
                choices[index] = (choices[index][0], NOT_KNOWN)
        field.choices = choices

    def _unrevealed_fields(self) -> list[forms.Field]:
        unrevealed = []
        for controller, reveals in self.conditional.items():
            chosen = str(self[controller].data or "")
            for value, names in reveals.items():
                if value != chosen:
                    unrevealed += [self.fields[name] for name in names]
        return unrevealed

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            self._govuk_prepare(name, field)
        hidden = self._unrevealed_fields() if self.is_bound else []
        kept = [(field, field.required, field.disabled) for field in hidden]
        for field in hidden:
            field.required, field.disabled = False, True
        try:
            super().full_clean()
        finally:
            for field, required, disabled in kept:
                field.required, field.disabled = required, disabled

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError against the fields it names; one that names no field
        (a refused step) is shown as the form's own error."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)

    def choice_field(self, name: str) -> forms.ChoiceField:
        """The named field, which must be a ChoiceField (for setting its choices)."""
        field = self.fields[name]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError(f"{name} is not a choice field")
        return field

    def model_choice_field(self, name: str) -> forms.ModelChoiceField:
        """The named field, which must be a ModelChoiceField (for setting its queryset)."""
        field = self.fields[name]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError(f"{name} is not a model choice field")
        return field


class ConfirmForm(GovukFormMixin, forms.Form):
    """A page whose one button takes a step (start, submit, confirm): no fields, only the step's errors.
    Bind it on every request, so that a `refusal` (why the step cannot be taken at all) shows
    before the button is pressed as well as after."""

    def __init__(self, *args, refusal: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self):
        if self.refusal:
            raise forms.ValidationError(self.refusal)
        return super().clean()
