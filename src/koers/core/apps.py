from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "koers.core"
    label = "core"
    verbose_name = "Kern: organisaties, medewerkers, toegang en audit"

    def ready(self):
        # Every form of the project: dates within 1900..2100, ids the database can hold (issue 10, item 8).
        from .forms import install_input_limits

        install_input_limits()
