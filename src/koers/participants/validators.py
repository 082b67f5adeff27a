"""Validators for the participant file, with Dutch messages that say what to do."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.core.codes import DAGDEEL_CODES, Sector, country_choices, language_choices

MIN_AGE = 15
MAX_AGE = 100


def bsn_is_valid(value: str) -> bool:
    """The elfproef: 9 digits d1..d9 with 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11 (and not 0)."""
    if not re.fullmatch(r"\d{9}", value or ""):
        return False
    digits = [int(c) for c in value]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0 and total != 0


def validate_bsn(value: str) -> None:
    if not value:
        return
    if not re.fullmatch(r"\d{9}", value):
        raise ValidationError("Een BSN bestaat uit precies 9 cijfers. Controleer het nummer op het document.")
    if not bsn_is_valid(value):
        raise ValidationError(
            "Dit BSN klopt niet (de elfproef faalt). Controleer of er geen cijfer verkeerd is overgenomen."
        )


def validate_birth_date(value: date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            "De geboortedatum ligt in de toekomst. Vul de juiste datum in of laat het veld leeg."
        )
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < MIN_AGE or age > MAX_AGE:
        raise ValidationError(
            f"Deze geboortedatum geeft een leeftijd van {age} jaar; dat is niet aannemelijk "
            f"(verwacht {MIN_AGE}–{MAX_AGE}). Controleer het jaar."
        )


def validate_not_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("Deze datum ligt in de toekomst. Vul de datum in waarop het gebeurde.")


def validate_country_code(value: str) -> None:
    if value and value not in dict(country_choices()):
        raise ValidationError(f"“{value}” is geen bekende landcode (ISO 3166, bijvoorbeeld SY voor Syrië).")


def validate_language_codes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError("Geef de talen als lijst.")
    known = dict(language_choices())
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(
            f"Onbekende taalcode: {', '.join(map(str, unknown))}. Kies een taal uit de lijst (ISO 639)."
        )


def validate_dagdelen(value) -> None:
    if value is None:
        return
    if not isinstance(value, list) or any(v not in DAGDEEL_CODES for v in value):
        raise ValidationError("Kies alleen dagdelen uit de lijst (bijvoorbeeld maandagochtend).")


def validate_sectors(value) -> None:
    if not isinstance(value, list) or any(v not in Sector.values for v in value):
        raise ValidationError("Kies alleen sectoren uit de lijst (SBI-secties).")


def validate_postcode(value: str) -> None:
    if value and not re.fullmatch(r"[1-9]\d{3} ?[A-Za-z]{2}", value):
        raise ValidationError(
            "Een Nederlandse postcode is vier cijfers en twee letters, bijvoorbeeld 1234 AB."
        )


def validate_phone(value: str) -> None:
    if value and not re.fullmatch(r"\+?[\d\s\-()]{6,20}", value):
        raise ValidationError(
            "Een telefoonnummer bevat alleen cijfers, spaties, streepjes en eventueel een +."
        )


def normalise_name(name: str) -> str:
    """Lower-case, accent-free form of a name for searching ("Hébà" finds "heba")."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()
