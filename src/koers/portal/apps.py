from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "koers.portal"
    label = "portal"
    verbose_name = "Mijn Koers (portaal voor deelnemers)"

    def ready(self) -> None:
        from django.conf import settings

        from koers.casework import notices
        from koers.core import extensions
        from koers.participants import panels
        from koers.portal.queries import accounts as account_queries
        from koers.portal.queries import portfolio as portfolio_queries
        from koers.portal.services import notices as notice_services
        from koers.portal.views.auth import lockout_page

        # The regisseur invites a participant to Mijn Koers from the file, and sees whether they use it.
        panels.register("portal_panel", "portal/staff/_panel.html", order=78,
                        build=lambda request, participant, grant: account_queries.panel(request.user, participant,
                                                                                        grant))
        # The participant's own portfolio items, read-only on the file (staff who may read work data).
        panels.register("portfolio_panel", "portal/staff/_portfolio_panel.html", order=79,
                        build=lambda request, participant, grant: portfolio_queries.staff_panel(participant, grant))
        # A short e-mail in the participant's language when staff send a message or plan an appointment.
        notices.register("portal-email", notice_services.send_notice)
        # Too many wrong passwords at /mijn/inloggen/: the portal's own page, in the participant's language.
        extensions.register_lockout_page(settings.KOERS_PORTAL_PREFIX, lockout_page)
