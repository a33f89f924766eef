"""How every form in the project renders: HDS markup, errors tied to their fields.

Django already marks invalid widgets (aria-invalid) and points them at their help text and
errors (aria-describedby with `<id>_helptext` and `<id>_error`); the templates give those ids.
"""

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
