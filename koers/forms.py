from django.forms.renderers import TemplatesSetting


class KoersFormRenderer(TemplatesSetting):
    """Renders every form field with NL Design System (Utrecht) markup: label, description, error, input."""

    field_template_name = "components/field.html"
