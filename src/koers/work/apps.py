from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "koers.work"
    label = "work"
    verbose_name = "Werk: werkgevers, vacatures, matching, plaatsingen en nazorg"

    def ready(self) -> None:
        # Placement and aftercare signals join the caseload's providers (koers.casework.signals).
        from koers.participants import panels
        from koers.work import placements, work_signals

        work_signals.register()
        panels.register("placement_panel", "work/placements/_panel.html", order=40,
                        build=lambda request, participant, grant: placements.panel(participant, grant))
