"""Forms of the group pages. They parse input; the rules live in the group services and ``rules/groups.py``."""

from __future__ import annotations

from django import forms


class GroupForm(forms.Form):
    name = forms.CharField(label="Naam van de groep", max_length=120,
                           help_text="Bijvoorbeeld ‘A1 dinsdag’ of ‘Groep B1’.")


class MembersForm(forms.Form):
    enrolments = forms.TypedMultipleChoiceField(
        label="Deelnemers toevoegen", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies minstens één deelnemer.",
                        "invalid_choice": "Een gekozen deelnemer staat niet (meer) op de lijst."},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = choices
