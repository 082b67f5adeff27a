"""The programme report: headline figures, every table with its chart, downloads (CSV, XLSX) and the PDF.

One builder (``build_report``) feeds the page and the PDF, and the downloads take their tables from the same
place, so a figure is identical everywhere. Small cells are suppressed for external scopes (researchers) by
``indicators.programme_report``; the "voor externe partijen" option suppresses them for an owner too (the copy
for the funder). The report shows aggregates only, so it is not audited; exports are logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone

from koers.core import exports
from koers.monitoring import access, pdf
from koers.monitoring.access import SMALL_CELL
from koers.monitoring.forms.reports import ReportFilterForm
from koers.monitoring.queries import completeness as completeness_queries
from koers.monitoring.queries import indicators
from koers.monitoring.rules import tables
from koers.monitoring.rules.charts import chart_svg
from koers.monitoring.rules.suppression import HIDDEN, SUPPRESSED, is_small, shown
from koers.monitoring.rules.tables import Cell, Table, format_number

logger = logging.getLogger("koers.security")

NAV = "monitoring"
XLSX = exports.XLSX_CONTENT_TYPE
MSG_BAD_FILTERS = "De filters kloppen niet. Pas ze aan op de rapportpagina."


@dataclass(frozen=True)
class FigureView:
    """A headline figure as shown: value with unit, N and unknowns (small N hidden from external viewers)."""

    key: str
    label: str
    value: str
    n: str
    unknown: str
    note: str = ""


def figure_view(figure: indicators.Figure, *, external: bool) -> FigureView:
    """The figure as this viewer sees it. External: the value by ``Figure.hidden_externally`` (the rules of
    ``suppression``), N and unknowns through ``suppression.shown``, and the note without counts."""
    if external and figure.value is not None and figure.hidden_externally():
        small_count = figure.unit == "" and isinstance(figure.value, int) and is_small(figure.value)
        value = SUPPRESSED if small_count else HIDDEN
    elif figure.value is None:
        value = "onbekend"
    else:
        number = format_number(round(float(figure.value), 1 if figure.unit == "%" else 2))
        value = {"%": f"{number}%", "": number}.get(figure.unit, f"{number} {figure.unit}")
    note = indicators.external_note(figure) if external else figure.note
    return FigureView(
        key=figure.key, label=figure.label, value=value,
        n=str(shown(figure.n, external=external)),
        unknown=str(shown(figure.unknown, external=external)),
        note=note,
    )


def report_tables(scope: access.Scope, filters: indicators.Filters, *, external: bool,
                  trajectories=None) -> list[Table]:
    """Every table of the report in order (the completeness table last), suppressed when ``external``."""
    if trajectories is None:
        trajectories = indicators.filtered(scope, filters)
    result = list(indicators.programme_report(scope, filters))
    result.append(completeness_queries.completeness_table(trajectories))
    if external:
        result = [t if t.suppressed else _suppress(t) for t in result]
    return result


def _suppress(table: Table) -> Table:
    """Small-cell suppression for a table the scope did not suppress itself (an owner's copy for external
    parties, and the completeness table): the indicators' rules, and in a row with a hidden count its derived
    values (a completeness percentage would give the hidden count away)."""
    out = indicators.suppress_table(table, SMALL_CELL)
    rows = []
    for row in out.rows:
        if any(c.suppressed for c in row.cells) and not row.total:
            row = replace(row, cells=tuple(Cell(suppressed=True) if c.value is not None else c for c in row.cells))
        rows.append(row)
    return replace(out, rows=tuple(rows))


def build_report(scope: access.Scope, filters: indicators.Filters, *, external: bool, prefix: str = "") -> dict:
    """Figures, tables with their charts, and the completeness table for the page and the PDF."""
    trajectories = indicators.filtered(scope, filters)
    figures = [figure_view(f, external=external) for f in indicators.summary(trajectories)]
    all_tables = report_tables(scope, filters, external=external, trajectories=trajectories)
    *report, completeness_table = all_tables
    return {
        "figures": figures,
        "tables": [{"table": t, "chart": chart_svg(t, prefix=prefix)} for t in report],
        "completeness_table": completeness_table,
        "external": external,
    }


def _filters(request, scope) -> tuple[ReportFilterForm, indicators.Filters | None, bool]:
    """The filter form, the filters (None when the form has errors) and whether to suppress small cells."""
    form = ReportFilterForm(request.GET or None, scope=scope)
    if not form.is_bound:
        return form, indicators.Filters(), scope.external
    if not form.is_valid():
        return form, None, scope.external
    return form, form.filters(), scope.external or bool(form.cleaned_data.get("extern"))


def _filename(scope: access.Scope, name: str, ext: str) -> str:
    return f"{scope.programme.code}-{name}-{timezone.localdate().isoformat()}.{ext}"


def _download(content, content_type: str, filename: str) -> HttpResponse:
    return exports.download(content, content_type, filename)


def report(request, code):
    scope = access.get_scope_or_404(request.user, code)
    form, filters, external = _filters(request, scope)
    context = {
        "nav": NAV, "programme": scope.programme, "scope": scope, "form": form,
        "filtered": form.is_bound and filters is not None and form.is_filtered,
        "query": request.GET.urlencode(), "external": external,
    }
    if filters is not None:
        context.update(build_report(scope, filters, external=external))
    return render(request, "monitoring/report.html", context)


def report_table(request, code, table_key, fmt):
    scope = access.get_scope_or_404(request.user, code)
    _form, filters, external = _filters(request, scope)
    if filters is None:
        return HttpResponseBadRequest(MSG_BAD_FILTERS, content_type="text/plain; charset=utf-8")
    table = next((t for t in report_tables(scope, filters, external=external) if t.key == table_key), None)
    if table is None:
        raise Http404("Tabel niet gevonden")
    logger.info("monitoring table exported: programme %s table %s as %s by user %s (external %s)",
                scope.programme.code, table.key, fmt, request.user.pk, external)
    if fmt == "csv":
        # The byte-order mark makes spreadsheet programs read the file as UTF-8.
        return _download(exports.BOM + tables.to_csv(table), exports.CSV_CONTENT_TYPE,
                         _filename(scope, table.key, "csv"))
    return _download(tables.to_xlsx(table), XLSX, _filename(scope, table.key, "xlsx"))


def report_all_xlsx(request, code):
    scope = access.get_scope_or_404(request.user, code)
    _form, filters, external = _filters(request, scope)
    if filters is None:
        return HttpResponseBadRequest(MSG_BAD_FILTERS, content_type="text/plain; charset=utf-8")
    all_tables = report_tables(scope, filters, external=external)
    logger.info("monitoring report exported: programme %s, %s tables as xlsx by user %s (external %s)",
                scope.programme.code, len(all_tables), request.user.pk, external)
    return _download(tables.to_xlsx(all_tables), XLSX, _filename(scope, "tabellen", "xlsx"))


def report_pdf(request, code):
    scope = access.get_scope_or_404(request.user, code)
    form, filters, external = _filters(request, scope)
    if filters is None:
        return HttpResponseBadRequest(MSG_BAD_FILTERS, content_type="text/plain; charset=utf-8")
    context = build_report(scope, filters, external=external, prefix="pdf-")
    context.update({
        "programme": scope.programme, "scope": scope, "filter_summary": pdf.filter_summary(form, filters),
        "generated_on": timezone.localdate(), "user": request.user,
    })
    logger.info("monitoring report exported: programme %s as pdf by user %s (external %s)",
                scope.programme.code, request.user.pk, external)
    return _download(pdf.render_pdf(context), "application/pdf", _filename(scope, "rapport", "pdf"))
