"""The form renderer: every field is one block (label, help, errors, input) to lay out."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    # Django's own field template leaves label and input as loose siblings, which no grid
    # or stack can lay out as one unit.
    field_template_name = "includes/field.html"
