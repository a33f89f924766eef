"""How every form in the project renders: HDS markup, errors tied to their fields.

Django already marks invalid widgets (aria-invalid) and points them at their help text and
errors (aria-describedby with `<id>_helptext` and `<id>_error`); the templates give those ids.
"""

from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.forms.renderers import DjangoTemplates

_UNSTYLED = ("checkbox", "radio", "file", "hidden")


class StyledBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if getattr(widget, "input_type", None) not in _UNSTYLED:
            attrs["class"] = f"{attrs.get('class', '')} hds-text-input__input".strip()
        return attrs


class FormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = StyledBoundField


def add_form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form's fields (or above it)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
