"""Employers, contact persons, company visits, openings, certificates, postcode areas and matches."""

__all__: list[str] = []
