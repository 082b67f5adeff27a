from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "koers.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: programma's, projecten, uitstroom en vervolgmetingen"

    def ready(self) -> None:
        # Native trajectories follow the participant file, the closure and the placements: Django signal receivers
        # (receivers.py); an overdue follow-up measurement is a caseload alert (queries/alerts.py).
        from koers.core import extensions
        from koers.monitoring import access, receivers
        from koers.monitoring.queries import alerts
        from koers.monitoring.queries import panel as participant_panel
        from koers.participants import panels

        receivers.connect()
        alerts.register()
        panels.register("monitoring_panel", "monitoring/_participant_panel.html", order=50,
                        build=lambda request, participant, grant: participant_panel.panel_context(
                            request.user, participant, grant))
        # Researchers and project leaders land on the programmes; the menu shows Monitoring to who uses it.
        extensions.register_home("monitoring:programmes", access.uses_monitoring, order=40)
        extensions.register_menu("uses_monitoring", access.shows_in_menu)
