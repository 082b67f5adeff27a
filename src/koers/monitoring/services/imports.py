"""Import of a programme's projects and participants files: the writes (docs/import-format.md). Reading and validating
a file: rules/imports.py; the organisations it looks up: queries/imports.py."""

from __future__ import annotations

import difflib
import getpass
import hashlib

from django.db import connection, transaction
from django.utils import timezone

from koers.core import audit
from koers.core.codes import (
    DropoutReason,
    OrganisationKind,
    Outcome,
)
from koers.core.models import AuditAction, Organisation
from koers.monitoring.models import (
    RESERVED_PROGRAMME_CODES,
    ImportRun,
    Programme,
    Project,
    ProjectTarget,
    Source,
    Trajectory,
)
from koers.monitoring.queries.imports import default_owner
from koers.monitoring.rules.imports import (
    BATCH_SIZE,
    CODES,
    EXTRA,
    FIELD_OF,
    MAX_CONTRACT_MONTHS,
    PARTICIPANT_COLUMNS,
    PROJECT_COLUMNS,
    SLUG,
    TARGET_PREFIX,
    TEXTS,
    WEB_LIMITS,
    FileError,
    ImportResult,
    Limits,
    RowError,
    parse_birth_year,
    parse_count,
    parse_country,
    parse_date,
    parse_hours,
    read_table,
    thousands,
)


def _birth_year_bounds() -> tuple[int, int]:
    year = timezone.localdate().year
    return year - 100, year - 12


def _check_header(header: list[str], allowed: set[str], required: tuple[str, ...], errors: list[RowError],
                  *, hint: str = "") -> None:
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            errors.append(RowError(1, f"{position}", "deze kolom heeft geen naam; zet de kolomnaam in de eerste "
                                                     "regel of verwijder de kolom"))
            continue
        if name in seen:
            errors.append(RowError(1, name, "deze kolom staat twee keer in het bestand; laat er één over"))
        seen.add(name)
        if name not in allowed:
            close = difflib.get_close_matches(name.lower(), sorted(allowed), n=1)
            advice = f"bedoelt u '{close[0]}'?" if close else "verwijder de kolom of hernoem hem"
            errors.append(RowError(1, name, f"onbekende kolom; {advice} {hint}".strip()))
    for name in required:
        if name not in seen:
            errors.append(RowError(1, name, "deze verplichte kolom ontbreekt; voeg een kolom met precies deze naam "
                                            "toe"))


def _is_empty(row: dict[str, str]) -> bool:
    return not any(row.values())


def _read(data: bytes, filename: str, result: ImportResult,
          limits: Limits) -> tuple[list[str], list[dict[str, str]]] | None:
    try:
        return read_table(data, filename, limits=limits)
    except FileError as exc:
        result.errors.append(RowError(0, "", str(exc)))
        return None


def _record_run(programme: Programme, kind: str, data: bytes, filename: str, result: ImportResult, user) -> None:
    ImportRun.objects.create(
        programme=programme, kind=kind, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
        rows=result.total_rows, created=result.created, updated=result.updated,
        user=user if getattr(user, "is_authenticated", False) else None,
    )


def _audit(user, request, kind: str, programme_code: str, filename: str, result: ImportResult, *, apply: bool,
           partial: bool = False) -> None:
    """One audit record per import run (``AuditAction.IMPORT``): programme, file, rows and result."""
    what = "projecten" if kind == "projects" else "deelnemers"
    if result.applied:
        outcome = f"geïmporteerd: {thousands(result.created)} nieuw, {thousands(result.updated)} bijgewerkt"
        if result.errors:
            outcome += f", {thousands(result.error_lines)} regel(s) met fouten overgeslagen"
    elif result.header_errors and not result.total_rows:
        outcome = "geweigerd: " + "; ".join(e.message for e in result.header_errors[:2])
    elif not apply:
        outcome = (f"gecontroleerd: {thousands(result.created)} nieuw, {thousands(result.updated)} bijgewerkt, "
                   f"{thousands(result.error_lines)} regel(s) met fouten")
    else:
        outcome = f"niets geïmporteerd: {len(result.errors)} fout(en)"
    step = "controle" if not apply else ("import (alleen geldige regels)" if partial else "import")
    via = "website" if request is not None else f"opdrachtregel, systeemgebruiker {_os_user()}"
    detail = (f"Import {what} ({step}, {via}) programma {programme_code}, bestand {filename}: "
              f"{thousands(result.total_rows)} regels; {outcome}")
    audit.record_event(user, AuditAction.IMPORT, detail[:500], request=request)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment (a container)
        return "onbekend"


def import_projects(data: bytes, filename: str, *, programme_code: str, owner=None, user=None,
                    apply: bool = True, limits: Limits = WEB_LIMITS, request=None, record: bool = True
                    ) -> ImportResult:
    """Import a projects file into the programme ``programme_code`` (created when absent, owned by ``owner`` or
    else the only municipality). Nothing is written when any row fails or when ``apply`` is false. The run is
    audited unless ``record`` is false (a preview shown again after a refused import)."""
    result = _import_projects(data, filename, programme_code=programme_code, owner=owner, user=user, apply=apply,
                              limits=limits)
    if record:
        _audit(user, request, "projects", programme_code, filename, result, apply=apply)
    return result


def _import_projects(data: bytes, filename: str, *, programme_code: str, owner, user, apply: bool,
                     limits: Limits) -> ImportResult:
    result = ImportResult()
    programme_code = programme_code.strip()
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        if not SLUG.match(programme_code) or len(programme_code) > 40 or programme_code in RESERVED_PROGRAMME_CODES:
            result.errors.append(RowError(0, "", f"'{programme_code}' is geen geldige programmacode; gebruik "
                                                 "alleen letters, cijfers, '-' en '_' (hoogstens 40 tekens), en niet "
                                                 f"{', '.join(sorted(RESERVED_PROGRAMME_CODES))}."))
            return result
        owner = owner or default_owner()
        if owner is None:
            result.errors.append(RowError(0, "", f"Programma '{programme_code}' bestaat nog niet. Geef de "
                                                 "organisatie die het programma beheert op (--owner NAAM); er is "
                                                 "niet precies één gemeente om automatisch te kiezen."))
            return result
        result.warnings.append(f"Programma '{programme_code}' bestaat nog niet en wordt aangemaakt met {owner} als "
                               "opdrachtgever.")

    table = _read(data, filename, result, limits)
    if table is None:
        return result
    header, rows = table
    outcome_codes = set(Outcome.values)
    allowed = set(PROJECT_COLUMNS) | {TARGET_PREFIX + code for code in outcome_codes}
    _check_header(header, allowed, ("code",), result.errors,
                  hint="(doelen heten doel_<uitstroomcode>, bijvoorbeeld doel_betaald_werk)")
    if result.errors:
        return result
    present = set(header)
    target_columns = [h for h in header if h.startswith(TARGET_PREFIX)]

    organisations = {o.name.strip().casefold(): o for o in Organisation.objects.all()}
    existing = {p.code: p for p in Project.objects.filter(programme=programme)} if programme else {}
    new_orgs: dict[str, str] = {}
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        line = index + 2
        if _is_empty(row):
            continue
        result.total_rows += 1
        errs: list[RowError] = []

        def check(column, fn, value, _errs=errs, _line=line):
            try:
                return fn(value)
            except ValueError as exc:
                _errs.append(RowError(_line, column, str(exc)))
                return None

        if EXTRA in row:
            errs.append(RowError(line, "", f"deze regel heeft meer waarden dan er kolommen zijn ({row[EXTRA]}); "
                                           "controleer scheidingstekens en aanhalingstekens"))
        code = row.get("code", "")
        if not code:
            errs.append(RowError(line, "code", "de projectcode ontbreekt; vul een korte code in, bijvoorbeeld kim"))
        elif not SLUG.match(code) or len(code) > 60:
            errs.append(RowError(line, "code", f"'{code}' is geen geldige code; gebruik alleen letters, cijfers, "
                                               "'-' en '_' (hoogstens 60 tekens)"))
        elif code in seen:
            errs.append(RowError(line, "code", f"project '{code}' staat ook op regel {seen[code]}; elk project mag "
                                               "één keer voorkomen"))
        else:
            seen[code] = line
        values: dict = {"code": code}
        for column, limit in (("naam", 200), ("organisatie", 200), ("tranche", 40)):
            text = row.get(column, "")
            if len(text) > limit:
                errs.append(RowError(line, column, f"de tekst is te lang ({len(text)} tekens); hoogstens {limit}"))
            values[column] = text
        values["gepland"] = check("gepland", lambda v: parse_count(v, maximum=1_000_000), row.get("gepland", ""))
        start = check("startdatum", parse_date, row.get("startdatum", ""))
        end = check("einddatum", parse_date, row.get("einddatum", ""))
        if start and end and end < start:
            errs.append(RowError(line, "einddatum", f"de einddatum {end:%d-%m-%Y} ligt vóór de startdatum "
                                                    f"{start:%d-%m-%Y}; controleer beide datums"))
        values["startdatum"], values["einddatum"] = start, end
        targets = {}
        for column in target_columns:
            count = check(column, lambda v: parse_count(v, maximum=1_000_000), row.get(column, ""))
            if count is not None:
                targets[column[len(TARGET_PREFIX):]] = count
        values["doelen"] = targets
        org_name = values["organisatie"]
        if org_name and org_name.casefold() not in organisations and org_name.casefold() not in new_orgs:
            new_orgs[org_name.casefold()] = org_name
        if errs:
            result.errors.extend(errs)
            continue
        parsed.append((line, values))
        if code in existing:
            result.updated += 1
        else:
            result.created += 1

    for name in new_orgs.values():
        result.warnings.append(f"Organisatie '{name}' bestaat nog niet en wordt aangemaakt (soort overig).")
    if result.errors or not apply:
        if result.errors:
            result.created = result.updated = 0
        return result

    with transaction.atomic():
        if programme is None:
            programme = Programme.objects.create(code=programme_code, name=programme_code, owner=owner)
        for key, name in new_orgs.items():
            organisations[key] = Organisation.objects.create(name=name, kind=OrganisationKind.OVERIG)
        for _line, values in parsed:
            project = existing.get(values["code"]) or Project(programme=programme, code=values["code"])
            if "naam" in present or project.pk is None:
                project.name = values["naam"] or project.name or values["code"]
            if "organisatie" in present:
                org = values["organisatie"]
                project.organisation = organisations[org.casefold()] if org else None
            if "tranche" in present:
                project.tranche = values["tranche"]
            if "gepland" in present:
                project.planned_participants = values["gepland"]
            if "startdatum" in present:
                project.starts_on = values["startdatum"]
            if "einddatum" in present:
                project.ends_on = values["einddatum"]
            project.imported = True
            project.save()
            if target_columns:
                current = {t.outcome: t for t in project.targets.all()}
                for outcome, count in values["doelen"].items():
                    target = current.pop(outcome, None)
                    if target is None:
                        ProjectTarget.objects.create(project=project, outcome=outcome, count=count)
                    elif target.count != count:
                        target.count = count
                        target.save(update_fields=["count"])
                ProjectTarget.objects.filter(pk__in=[t.pk for t in current.values()]).delete()
        result.applied = True
        _record_run(programme, "projects", data, filename, result, user)
    return result


def _derive(values: dict) -> None:
    """Unknowns that depend on the outcome: a dropout without a reason has reason ``onbekend``; regular education
    without a level has level ``onbekend`` (elsewhere the field does not apply and stays empty)."""
    outcome = values.get("outcome")
    if "dropout_reason" in values and not values["dropout_reason"] and outcome == Outcome.VOORTIJDIGE_UITVAL:
        values["dropout_reason"] = DropoutReason.ONBEKEND
    if "education_entered" in values and not values["education_entered"] and \
            outcome == Outcome.REGULIERE_OPLEIDING:
        values["education_entered"] = "onbekend"


def _programme(programme) -> Programme | None:
    if isinstance(programme, Programme):
        return programme
    return Programme.objects.filter(code=str(programme).strip()).first()


def import_participants(data: bytes, filename: str, *, programme, user=None, apply: bool = True,
                        partial: bool = False, limits: Limits = WEB_LIMITS, request=None,
                        record: bool = True) -> ImportResult:
    """Import a participants file into ``programme`` (a Programme or its code; it must exist, with its projects).

    Every row becomes or updates one imported trajectory. With errors nothing is written, unless ``partial``:
    then the valid rows are written and the errors reported. ``apply=False`` only validates. The run is audited
    unless ``record`` is false."""
    result = _import_participants(data, filename, programme=programme, user=user, apply=apply, partial=partial,
                                  limits=limits)
    if record:
        code = programme.code if isinstance(programme, Programme) else str(programme)
        _audit(user, request, "participants", code, filename, result, apply=apply, partial=partial)
    return result


def _import_participants(data: bytes, filename: str, *, programme, user, apply: bool, partial: bool,
                         limits: Limits) -> ImportResult:
    result = ImportResult()
    prog = _programme(programme)
    if prog is None:
        result.errors.append(RowError(0, "", f"Programma '{programme}' bestaat niet; importeer eerst het "
                                             "projectenbestand (dat maakt het programma aan)."))
        return result
    table = _read(data, filename, result, limits)
    if table is None:
        return result
    header, rows = table
    _check_header(header, set(PARTICIPANT_COLUMNS), ("extern_id", "project"), result.errors)
    if result.errors:
        return result

    projects = {p.code.casefold(): p.pk for p in Project.objects.filter(programme=prog).only("id", "code")}
    project_list = ", ".join(sorted(p for p in projects)) or "(nog geen projecten; importeer eerst het "\
        "projectenbestand)"
    existing: dict[str, tuple[int, str]] = {
        extern_id: (pk, source)
        for pk, extern_id, source in Trajectory.objects.filter(programme=prog).exclude(extern_id="")
        .values_list("pk", "extern_id", "source")
    }
    present = [c for c in header if c in FIELD_OF]
    bounds = _birth_year_bounds()
    parsers = {column: codes.parse for column, (_f, codes) in CODES.items()}
    parsers.update({
        "geboortejaar": lambda v: parse_birth_year(v, bounds),
        "land_herkomst": parse_country,
        "startdatum": parse_date,
        "einddatum": parse_date,
        "contract_maanden": lambda v: parse_count(v, maximum=MAX_CONTRACT_MONTHS, what="het aantal maanden"),
        "uren_per_week": parse_hours,
    })
    for column, (_name, limit) in TEXTS.items():
        def text(v, _limit=limit):
            if len(v) > _limit:
                raise ValueError(f"de tekst is te lang ({len(v)} tekens); hoogstens {_limit}")
            return v
        parsers[column] = text
    column_parsers = [(column, FIELD_OF[column], parsers[column]) for column in present]

    new: list[tuple[str, int, dict]] = []  # (extern_id, project_id, values)
    changed: list[tuple[int, int, dict]] = []  # (pk, project_id, values)
    seen: dict[str, int] = {}
    unknown_outcome = 0
    has_outcome = "uitstroom" in header
    for index, row in enumerate(rows):
        if _is_empty(row):
            continue
        line = index + 2
        result.total_rows += 1
        errs: list[RowError] = []
        if EXTRA in row:
            errs.append(RowError(line, "", f"deze regel heeft meer waarden dan er kolommen zijn ({row[EXTRA]}); "
                                           "controleer scheidingstekens en aanhalingstekens"))
        extern_id = row["extern_id"]
        target = None
        if not extern_id:
            errs.append(RowError(line, "extern_id", "het extern_id ontbreekt; elke regel heeft een eigen nummer "
                                                    "nodig (bijvoorbeeld het dossiernummer)"))
        elif len(extern_id) > 80:
            errs.append(RowError(line, "extern_id", "het extern_id is te lang; hoogstens 80 tekens"))
        elif extern_id in seen:
            errs.append(RowError(line, "extern_id", f"'{extern_id}' staat ook op regel {seen[extern_id]}; elk "
                                                    "extern_id mag één keer in het bestand voorkomen"))
        else:
            seen[extern_id] = line
            target = existing.get(extern_id)
            if target is not None and target[1] != Source.IMPORT:
                errs.append(RowError(line, "extern_id", f"'{extern_id}' hoort bij een deelname die in Koers zelf "
                                                        "is vastgelegd en kan niet door een import worden "
                                                        "overschreven; gebruik een ander extern_id"))
        code = row["project"]
        project_id = projects.get(code.casefold()) if code else None
        if not code:
            errs.append(RowError(line, "project", f"de projectcode ontbreekt; gebruik een van: {project_list}"))
        elif project_id is None:
            errs.append(RowError(line, "project", f"project '{code}' bestaat niet in programma {prog.code}; "
                                                  f"gebruik een van: {project_list}"))
        values: dict = {}
        for column, name, parse in column_parsers:
            try:
                values[name] = parse(row[column])
            except ValueError as exc:
                errs.append(RowError(line, column, str(exc)))
        start, end = values.get("started_on"), values.get("ended_on")
        if start and end and end < start:
            errs.append(RowError(line, "einddatum", f"de einddatum {end:%d-%m-%Y} ligt vóór de startdatum "
                                                    f"{start:%d-%m-%Y}; controleer beide datums"))
        if errs:
            result.errors.extend(errs)
            continue
        if has_outcome and not row["uitstroom"]:
            unknown_outcome += 1
        _derive(values)
        if target is None:
            new.append((extern_id, project_id, values))
        else:
            changed.append((target[0], project_id, values))

    if unknown_outcome:
        result.warnings.append(f"{unknown_outcome} regel(s) zonder uitstroom worden vastgelegd met uitstroom "
                               "‘onbekend’ (een import is een registratie achteraf).")
    if result.errors and not partial:
        return result
    result.created, result.updated = len(new), len(changed)
    if not apply or not (new or changed):
        return result

    now = timezone.now()
    with transaction.atomic():
        _create(prog, new, now, has_outcome)
        _update(changed, now, [FIELD_OF[c] for c in present])
        result.applied = True
        _record_run(prog, "participants", data, filename, result, user)
    return result


def _create(programme: Programme, new: list[tuple[str, int, dict]], now, has_outcome: bool) -> None:
    objects = []
    for extern_id, project_id, values in new:
        if not has_outcome:
            values["outcome"] = Outcome.ONBEKEND
        objects.append(Trajectory(
            programme=programme, project_id=project_id, extern_id=extern_id, source=Source.IMPORT,
            imported_at=now, created_at=now, **values,
        ))
        if len(objects) >= BATCH_SIZE:
            Trajectory.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            objects = []
    if objects:
        Trajectory.objects.bulk_create(objects, batch_size=BATCH_SIZE)


def _update(changed: list[tuple[int, int, dict]], now, names: list[str]) -> None:
    """One prepared UPDATE per row, sent with executemany in batches: fast on SQLite and PostgreSQL alike
    (``bulk_update``'s CASE expressions grow quadratically with the batch)."""
    if not changed:
        return
    meta = Trajectory._meta
    fields = [meta.get_field(n) for n in ["project", "imported_at", "updated_at", *names]]
    qn = connection.ops.quote_name
    # Only the model's own table and column names go into the statement; every value is a parameter.
    assignments = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
    prep = [(f.name, f) for f in fields[3:]]
    imported_at = meta.get_field("imported_at").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(changed), BATCH_SIZE):
            params = []
            for pk, project_id, values in changed[start:start + BATCH_SIZE]:
                params.append([project_id, imported_at, imported_at,
                               *(f.get_db_prep_save(values[name], connection) for name, f in prep), pk])
            cursor.executemany(sql, params)
