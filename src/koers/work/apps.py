from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "koers.work"
    label = "work"
    verbose_name = "Werk: werkgevers, vacatures, matching, plaatsingen en nazorg"

    def ready(self) -> None:
        # Placement and aftercare alerts join the caseload's alert engine (koers.casework.queries.alerts).
        from koers.core import extensions
        from koers.participants import panels
        from koers.work.queries import aftercare as aftercare_queries
        from koers.work.queries import alerts
        from koers.work.queries import placements as placement_queries

        alerts.register()
        # The jobcoach lands on the check-ins due (before the caseload, order 10) and has "Nazorg" in the menu.
        extensions.register_home("work:check_ins_due", aftercare_queries.lands_on_check_ins, order=5)
        extensions.register_menu("does_aftercare", aftercare_queries.does_aftercare)
        panels.register("placement_panel", "work/placements/_panel.html", order=40,
                        build=lambda request, participant, grant: placement_queries.panel(participant, grant))
