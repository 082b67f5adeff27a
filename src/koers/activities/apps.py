from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "koers.activities"
    label = "activities"
    verbose_name = "Activiteiten, rooster en aanwezigheid"

    def ready(self) -> None:
        from koers.activities.queries import attendance as attendance_queries
        from koers.core import extensions
        from koers.participants import panels
        # A teacher's day starts with today's sessions (before the participant list, after a caseload).
        extensions.register_home("activities:my_sessions", attendance_queries.starts_with_sessions, order=15)

        panels.register("attendance_panel", "activities/attendance/_panel.html", order=60,
                        build=lambda request, participant, grant: attendance_queries.panel(participant, grant))
