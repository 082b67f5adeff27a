from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "koers.participants"
    label = "participants"
    verbose_name = "Deelnemers"
