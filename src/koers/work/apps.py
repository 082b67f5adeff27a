from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "koers.work"
    label = "work"
    verbose_name = "Werk: werkgevers, vacatures, matching, plaatsingen en nazorg"

    def ready(self) -> None:
        # Placement and aftercare signals join the caseload's providers (koers.casework.signals).
        from . import work_signals

        work_signals.register()
