"""The message form, for staff (Dutch) and for the participant in Mijn Koers (their language): one form, the
rules in services/messages.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.casework.queries.messages import MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Bericht"), required=False, max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_LENGTH}),
        error_messages={"max_length": _("Uw bericht is te lang. Het mag maximaal %(limit_value)d tekens zijn.")},
    )
    attachment = forms.FileField(
        label=_("Bestand toevoegen"), required=False,
        help_text=_("Een foto of PDF, bijvoorbeeld een brief. Maximaal 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )
