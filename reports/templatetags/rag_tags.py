"""The red/amber/green badge as a filter: the portfolio draws a thousand of them, and a filter
costs a fraction of an `{% include %}` each (issue 14). reports/partials/rag.html uses it too."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

register = template.Library()


@register.filter
def rag(colour: Any) -> SafeString:
    if not colour:
        return mark_safe('<span class="rag rag-none">No data yet</span>')
    return format_html('<span class="rag rag-{}">{}</span>', colour, capfirst(str(colour)))
