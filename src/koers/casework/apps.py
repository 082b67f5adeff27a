from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "koers.casework"
    label = "casework"
    verbose_name = "Casuswerk"
