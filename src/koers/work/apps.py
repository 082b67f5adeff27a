from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "koers.work"
    label = "work"
    verbose_name = "Werk: werkgevers, vacatures, matching, plaatsingen en nazorg"
