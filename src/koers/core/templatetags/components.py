"""Shared page parts that wrap content: the filter form of a list page and a table that scrolls on a narrow screen.

``{% include %}`` cannot wrap what a page puts inside, so these two block tags render a template of
``templates/includes/`` around the content they enclose: the markup is in one template, a page keeps only what
differs (its fields, its table).

    {% load components %}
    {% filterform label="Vacatures filteren" search=True reset=list_url filtered=filtered %}
      {% include "includes/field.html" with field=form.q hide_optional=True %}
    {% filteractions %}
      <a href="...">Exporteren</a>              (optional: more links after the submit and reset)
    {% endfilterform %}

    {% scrolltable "Vacatures" %}<table class="data">...</table>{% endscrolltable %}

The options of each tag are listed at the top of its template (``includes/filter_form.html``,
``includes/scroll_table.html``); an option a tag does not know is a template syntax error.
"""

from __future__ import annotations

from django import template
from django.template.base import token_kwargs
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy

register = template.Library()

#: Options of {% filterform %} and their defaults (see includes/filter_form.html).
FILTER_FORM = {
    "label": "", "search": False, "submit": pgettext_lazy("staff", "Filter toepassen"), "primary": False,
    "small": False, "reset": "", "reset_label": pgettext_lazy("staff", "Filters wissen"), "filtered": False,
    "errors": None, "error_title": "", "grid": True, "extra_class": "", "novalidate": False, "live": "",
}

#: Options of {% scrolltable %} and their defaults (see includes/scroll_table.html).
SCROLL_TABLE = {"label": pgettext_lazy("staff", "Tabel"), "labelledby": "", "hint": True}


class WrapNode(template.Node):
    """Render ``template_name`` with the tag's options and the enclosed parts (already rendered in the page's
    context) as ``body`` (and ``actions``). The template sees only those: nothing of the page leaks in."""

    def __init__(self, template_name: str, defaults: dict, options: dict, parts: dict):
        self.template_name, self.defaults, self.options, self.parts = template_name, defaults, options, parts

    def render(self, context):
        values = dict(self.defaults)
        values.update({name: value.resolve(context) for name, value in self.options.items()})
        values.update({name: mark_safe(nodelist.render(context)) for name, nodelist in self.parts.items()})
        return context.template.engine.get_template(self.template_name).render(context.new(values))


def _options(parser, bits: list[str], tag: str, defaults: dict, positional: str | None = None) -> dict:
    options = {}
    if positional and bits and "=" not in bits[0]:
        options[positional] = parser.compile_filter(bits.pop(0))
    options.update(token_kwargs(bits, parser))
    if bits:
        raise template.TemplateSyntaxError(f"{{% {tag} %}}: cannot read {' '.join(bits)!r} (use name=value)")
    unknown = set(options) - set(defaults)
    if unknown:
        raise template.TemplateSyntaxError(f"{{% {tag} %}}: unknown option(s) {', '.join(sorted(unknown))}")
    return options


@register.tag
def filterform(parser, token):
    """``{% filterform option=value ... %}fields[{% filteractions %}links]{% endfilterform %}``."""
    options = _options(parser, token.split_contents()[1:], "filterform", FILTER_FORM)
    parts = {"body": parser.parse(("filteractions", "endfilterform"))}
    if parser.next_token().contents == "filteractions":
        parts["actions"] = parser.parse(("endfilterform",))
        parser.delete_first_token()
    return WrapNode("includes/filter_form.html", FILTER_FORM, options, parts)


@register.tag
def scrolltable(parser, token):
    """``{% scrolltable ["Label"] [labelledby=id] [hint=False] %}<table>...</table>{% endscrolltable %}``."""
    options = _options(parser, token.split_contents()[1:], "scrolltable", SCROLL_TABLE, positional="label")
    parts = {"body": parser.parse(("endscrolltable",))}
    parser.delete_first_token()
    return WrapNode("includes/scroll_table.html", SCROLL_TABLE, options, parts)
