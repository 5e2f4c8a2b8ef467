from django import template

from koers.audit.reasons import reason_label

register = template.Library()


@register.filter
def audit_reason(reason: str) -> str:
    return reason_label(reason)
