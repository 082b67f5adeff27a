from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "koers.casework"
    label = "casework"
    verbose_name = "Casuswerk"

    def ready(self) -> None:
        # What casework shows or adds in the apps below it (they cannot import casework):
        from koers.activities import week
        from koers.casework.queries import alerts, caseload, milestones
        from koers.casework.queries import appointments as appointment_queries
        from koers.casework.queries import contacts as contact_queries
        from koers.casework.queries import intake as intake_queries
        from koers.casework.queries import meetings as meeting_queries
        from koers.casework.queries import messages as message_queries
        from koers.casework.views import intake as intake_views
        from koers.core import extensions
        from koers.participants import panels
        from koers.participants.queries import intake as intake_steps

        milestones.register()  # language milestones (A2, the leerroute's target) on the caseload
        panels.register("signal_panel", "casework/signals/_panel.html", order=10, region=panels.TOP,
                        build=lambda request, participant, grant: alerts.panel(participant, grant,
                                                                                        request=request))
        panels.register("contacts_panel", "casework/contacts/_panel.html", order=10,
                        build=lambda request, participant, grant: contact_queries.panel(participant, grant))
        panels.register("messages_panel", "casework/messages/_panel.html", order=12, build=message_queries.panel)
        panels.register("meeting_panel", "casework/meetings/_request.html", order=20,
                        build=lambda request, participant, grant: meeting_queries.request_panel(request.user,
                                                                                                 participant,
                                                                                          grant))
        intake_steps.register_closing_step(intake_steps.ClosingStep(
            view=intake_views.closing_step, detail=intake_queries.detail,
            detail_template="casework/intake/_detail_actions.html",
        ))
        extensions.register_home("casework:caseload", caseload.has_caseload, order=10)
        # Planned appointments in the participant's week (staff week view, week card, Mijn Koers).
        week.register_events("appointments", appointment_queries.week_events)
