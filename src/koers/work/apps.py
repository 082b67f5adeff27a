from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "koers.work"
    label = "work"
    verbose_name = "Werk: werkgevers, vacatures, matching, plaatsingen en nazorg"

    def ready(self) -> None:
        # Placement and aftercare alerts join the caseload's alert engine (koers.casework.queries.alerts).
        from koers.activities import week
        from koers.core import extensions
        from koers.participants import panels
        from koers.work.queries import aftercare as aftercare_queries
        from koers.work.queries import alerts
        from koers.work.queries import employers as employer_queries
        from koers.work.queries import placements as placement_queries
        from koers.work.queries import week as week_queries

        alerts.register()
        # The dual week: placement hours count next to the classes (week view, 32-hour check).
        week.register("placements", week_queries.placement_commitments)
        # The jobcoach lands on the check-ins due (before the caseload, order 10) and has "Nazorg" in the menu.
        extensions.register_home("work:check_ins_due", aftercare_queries.lands_on_check_ins, order=5)
        extensions.register_menu("does_aftercare", aftercare_queries.does_aftercare)
        panels.register("placement_panel", "work/placements/_panel.html", order=40,
                        build=lambda request, participant, grant: placement_queries.panel(participant, grant))
        # An accountmanager's day starts with the openings and their proposals.
        extensions.register_home("work:opening_list", employer_queries.starts_with_openings, order=16)
