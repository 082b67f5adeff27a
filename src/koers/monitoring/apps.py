from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "koers.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: programma's, projecten, uitstroom en vervolgmetingen"

    def ready(self) -> None:
        # Native trajectories follow the participant file, the closure and the placements (sync.py); an overdue
        # follow-up measurement is a caseload signal (monitoring_signals.py).
        from . import monitoring_signals, sync

        sync.connect()
        monitoring_signals.register()
