"""``koers import-postcodes FILE``: load the postcode-area table used for travel distances.

The file is CSV with a semicolon, UTF-8 (a BOM is allowed), one row per 4-digit postcode area:
``postcode4;lat;lon;gemeente`` (a header row with those names is optional), for example
``6511;51.8425;5.8528;Nijmegen``. Existing areas are updated, new ones added; nothing is deleted. A file with
an invalid row changes nothing and names the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from koers.work.models import PostcodeArea

HEADER = ["postcode4", "lat", "lon", "gemeente"]


def parse(lines) -> list[tuple[str, float, float, str]]:
    """The rows of the file, validated; raises ValueError naming the first bad line."""
    rows: dict[str, tuple[str, float, float, str]] = {}
    for number, record in enumerate(csv.reader(lines, delimiter=";"), start=1):
        if not record or all(not cell.strip() for cell in record):
            continue
        cells = [c.strip() for c in record]
        if number == 1 and [c.casefold().lstrip("\ufeff") for c in cells[:4]] == HEADER:
            continue
        if len(cells) != 4:
            raise ValueError(f"regel {number}: verwacht 4 kolommen (postcode4;lat;lon;gemeente), gevonden {len(cells)}")
        pc4, lat_text, lon_text, municipality = cells
        pc4 = pc4.lstrip("\ufeff")
        if not (len(pc4) == 4 and pc4.isdigit() and pc4[0] != "0"):
            raise ValueError(f"regel {number}: ‘{pc4}’ is geen postcode van 4 cijfers (1000–9999)")
        try:
            lat, lon = float(lat_text.replace(",", ".")), float(lon_text.replace(",", "."))
        except ValueError:
            raise ValueError(f"regel {number}: breedte- en lengtegraad moeten getallen zijn") from None
        if not (50.0 <= lat <= 54.0 and 3.0 <= lon <= 7.5):
            raise ValueError(f"regel {number}: {lat}, {lon} ligt niet in Nederland")
        if not municipality:
            raise ValueError(f"regel {number}: de gemeente ontbreekt")
        rows[pc4] = (pc4, lat, lon, municipality[:120])
    return list(rows.values())


def load(rows: list[tuple[str, float, float, str]]) -> tuple[int, int]:
    """Upsert the rows; returns (added, updated)."""
    existing = {a.postcode4: a for a in PostcodeArea.objects.filter(postcode4__in=[r[0] for r in rows])}
    new, changed = [], []
    for pc4, lat, lon, municipality in rows:
        area = existing.get(pc4)
        if area is None:
            new.append(PostcodeArea(postcode4=pc4, latitude=lat, longitude=lon, municipality=municipality))
        elif (area.latitude, area.longitude, area.municipality) != (lat, lon, municipality):
            area.latitude, area.longitude, area.municipality = lat, lon, municipality
            changed.append(area)
    with transaction.atomic():
        PostcodeArea.objects.bulk_create(new, batch_size=1000)
        PostcodeArea.objects.bulk_update(changed, ["latitude", "longitude", "municipality"], batch_size=1000)
    return len(new), len(changed)


class Command(BaseCommand):
    help = "Postcodegebieden (4 cijfers) met coördinaten en gemeente inlezen: CSV postcode4;lat;lon;gemeente."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-bestand (UTF-8, puntkomma)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            try:
                rows = parse(handle)
            except ValueError as exc:
                raise CommandError(f"{path.name}, {exc}. Er is niets ingelezen.") from None
        added, updated = load(rows)
        self.stdout.write(f"{len(rows)} postcodegebieden gelezen: {added} toegevoegd, {updated} bijgewerkt.")
