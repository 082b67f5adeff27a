"""Mijn Koers at /mijn/ (the participant's own pages) and its staff pages inside the participant's file."""

from django.urls import path

from koers.portal.views import auth, messages, my_data, pages, passkeys, portfolio, staff

app_name = "portal"

urlpatterns = [
    path("", pages.home, name="home"),
    path("plan/", pages.plan, name="plan"),
    path("plan/pdf/", pages.plan_pdf, name="plan_pdf"),
    path("week/", pages.week, name="week"),
    path("week/weekkaart/", pages.week_card, name="week_card"),
    path("berichten/", messages.conversation, name="messages"),
    path("berichten/<int:message_id>/bijlage/", messages.attachment, name="message_attachment"),
    path("portfolio/", portfolio.portfolio, name="portfolio"),
    path("portfolio/nieuw/", portfolio.add, name="portfolio_add"),
    path("portfolio/<int:item_id>/wijzigen/", portfolio.edit, name="portfolio_edit"),
    path("portfolio/<int:item_id>/verwijderen/", portfolio.delete, name="portfolio_delete"),
    path("portfolio/<int:item_id>/bestand/", portfolio.item_file, name="portfolio_file"),
    path("portfolio/cv/", portfolio.cv, name="cv"),
    path("gegevens/", my_data.my_data, name="my_data"),
    path("gegevens/toestemming/<int:membership_id>/intrekken/", my_data.withdraw, name="withdraw_consent"),
    path("gegevens/meldingen/", my_data.email_notices, name="email_notices"),
    path("gegevens/download/", my_data.download, name="download"),
    path("gegevens/download/pdf/", my_data.download_pdf, name="download_pdf"),
    path("passkeys/", passkeys.passkeys, name="passkeys"),
    path("passkeys/opties/", passkeys.add_options, name="passkey_add_options"),
    path("passkeys/<int:passkey_id>/verwijderen/", passkeys.remove, name="passkey_remove"),
    path("taal/", auth.choose_language, name="language"),
    path("inloggen/", auth.login_view, name="login"),
    path("inloggen/taal/", auth.choose_visitor_language, name="visitor_language"),
    path("inloggen/passkey/", passkeys.login, name="passkey_login"),
    path("inloggen/passkey/opties/", passkeys.login_options, name="passkey_login_options"),
    path("activeren/", auth.activate_view, name="activate"),
    path("uitloggen/", auth.logout_view, name="logout"),
]

staff_urlpatterns = (
    [
        path("<int:pk>/mijn-koers/", staff.invite, name="invite"),
        path("<int:pk>/mijn-koers/blokkeren/", staff.block, name="block"),
        path("<int:pk>/mijn-koers/portfolio/<int:item_id>/bestand/", staff.portfolio_file, name="portfolio_file"),
    ],
    "portal_staff",
)
