from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "koers.participants"
    label = "participants"
    verbose_name = "Deelnemers"

    def ready(self) -> None:
        from koers.core import access, extensions
        from koers.participants import panels
        from koers.participants.queries import household as household_queries
        from koers.participants.queries import intake as intake_queries

        extensions.register_home("participants:list", access.works_with_participants, order=20)

        panels.register("intake_panel", "participants/intake/_panel.html", order=70,
                        build=lambda request, participant, grant: intake_queries.panel(participant, grant))
        panels.register(
            "household_panel", "participants/_household_panel.html", order=75,
            build=lambda request, participant, grant: household_queries.panel(request.user, participant, grant),
        )
