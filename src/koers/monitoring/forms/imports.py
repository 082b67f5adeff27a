"""Forms of the import pages: choose the kind of file and upload it; confirm the previewed import."""

from __future__ import annotations

from django import forms

from koers.monitoring.rules.imports import MAX_BYTES, MB, WEB_LIMITS

KINDS = [("projecten", "Projecten"), ("deelnemers", "Deelnemers")]
EXTENSIONS = (".csv", ".xlsx")
WEB_ROWS = f"{WEB_LIMITS.max_rows:,}".replace(",", ".")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Wat importeert u?", choices=KINDS, widget=forms.RadioSelect,
        help_text="Importeer eerst de projecten; de deelnemers verwijzen met hun projectcode naar een project.",
        error_messages={"required": "Kies of u projecten of deelnemers importeert."},
    )
    file = forms.FileField(
        label="Bestand", help_text=f"CSV (UTF-8, gescheiden door ; of ,) of XLSX, hoogstens {MAX_BYTES // MB} MB "
                                   f"(XLSX uitgepakt {WEB_LIMITS.max_uncompressed // MB} MB) en "
                                   f"{WEB_ROWS} regels.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": "Kies het bestand dat u wilt importeren.",
                        "empty": "Het gekozen bestand is leeg."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError("Kies een CSV- of XLSX-bestand (eindigend op .csv of .xlsx).")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Het bestand is groter dan {MAX_BYTES // MB} MB; splits het in kleinere bestanden, of laat de "
                "beheerder het inlezen met de opdrachtregel (koers import)."
            )
        return upload


class ConfirmForm(forms.Form):
    partial = forms.BooleanField(
        label="Importeer alleen de geldige regels", required=False,
        help_text="De regels met fouten worden overgeslagen; verbeter ze later en importeer ze opnieuw.",
    )
