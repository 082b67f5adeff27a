"""The shared page parts of core/templatetags/components.py: the filter form and the scrolling table region."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError


class _Filters(forms.Form):
    q = forms.CharField(label="Naam", required=False)
    start = forms.DateField(label="Vanaf", required=False)


def _render(source: str, **context) -> str:
    return Template("{% load components %}" + source).render(Context(context))


def test_filter_form_renders_fields_submit_and_clear_link_when_filtered():
    form = _Filters({"q": "an"})
    source = ('{% filterform label="Zoeken" search=True reset="/lijst/" filtered=filtered %}'
              '{% include "includes/field.html" with field=form.q hide_optional=True %}{% endfilterform %}')
    html = _render(source, form=form, filtered=True)
    assert '<form method="get" class="filters" role="search" aria-label="Zoeken">' in html
    assert '<div class="grid-2">' in html and 'name="q"' in html
    assert '<button type="submit" class="button button--secondary">Filter toepassen</button>' in html
    assert '<a href="/lijst/">Filters wissen</a>' in html
    assert "Filters wissen" not in _render(source, form=form, filtered=False)


def test_filter_form_options():
    form = _Filters({"start": "gisteren"})
    form.is_valid()
    html = _render(
        '{% filterform primary=True submit="Filteren" reset="/x/" filtered=True errors=form grid=False '
        'extra_class="extra" novalidate=True live="#resultaten" %}'
        "<p>velden</p>{% filteractions %}<a href='/csv'>CSV</a>{% endfilterform %}",
        form=form,
    )
    assert 'class="filters extra"' in html and " novalidate" in html
    assert 'hx-get="/x/" hx-target="#resultaten"' in html
    assert 'class="error-summary"' in html  # the error summary of the form
    assert '<div class="grid-2">' not in html and "<p>velden</p>" in html
    assert '<button type="submit" class="button">Filteren</button>' in html
    assert '<a href="/x/" class="button button--secondary">Filters wissen</a>' in html  # next to a primary button
    assert "<a href='/csv'>CSV</a>" in html


def test_the_page_context_does_not_leak_into_the_filter_form():
    html = _render('{% filterform %}x{% endfilterform %}', label="van de pagina", submit="niet dit")
    assert "van de pagina" not in html and "niet dit" not in html
    assert '<form method="get" class="filters">' in html


def test_scroll_table():
    assert _render("{% scrolltable %}<table></table>{% endscrolltable %}").strip() == (
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Tabel (scrollt horizontaal op een smal '
        'scherm)"><table></table></div>'
    )
    assert 'aria-label="Vacatures (scrollt' in _render('{% scrolltable "Vacatures" %}{% endscrolltable %}')
    html = _render('{% scrolltable label="Stappen bij "|add:title hint=False %}{% endscrolltable %}', title="<b>")
    assert 'aria-label="Stappen bij &lt;b&gt;"' in html
    html = _render('{% scrolltable labelledby="kop" %}{% endscrolltable %}')
    assert 'aria-labelledby="kop"' in html and "aria-label=" not in html


@pytest.mark.parametrize("source", [
    "{% filterform colour='red' %}{% endfilterform %}",
    "{% filterform 'positional' %}{% endfilterform %}",
    "{% scrolltable 'a' 'b' %}{% endscrolltable %}",
])
def test_unknown_options_are_syntax_errors(source):
    with pytest.raises(TemplateSyntaxError):
        _render(source)
