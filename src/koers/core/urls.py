from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from koers.core import views

#: Pages in the ``core`` namespace: my account and the functional administrator's pages ("beheer").
core_patterns = [
    path("account/", views.account, name="account"),
    path("account/wachtwoord-wijzigen/", views.PasswordChangeView.as_view(), name="password_change"),
    path("beheer/organisaties/", views.organisation_list, name="organisation_list"),
    path("beheer/organisaties/nieuw/", views.organisation_create, name="organisation_create"),
    path("beheer/organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("beheer/organisaties/<int:pk>/wijzigen/", views.organisation_update, name="organisation_update"),
    path("beheer/organisaties/<int:pk>/medewerkers/nieuw/", views.user_create, name="user_create"),
    path("beheer/medewerkers/<int:pk>/wijzigen/", views.user_update, name="user_update"),
    path("beheer/medewerkers/<int:pk>/deactiveren/", views.user_deactivate, name="user_deactivate"),
    path("beheer/medewerkers/<int:pk>/activeren/", views.user_reactivate, name="user_reactivate"),
    path("beheer/medewerkers/<int:pk>/wachtwoordmail/", views.user_send_reset, name="user_send_reset"),
    path("beheer/medewerkers/<int:pk>/tweestapsverificatie-wissen/", views.user_reset_2fa, name="user_reset_2fa"),
    path("beheer/beveiliging/", views.security_events, name="security_events"),
]

# Login, password reset and two-factor pages keep plain names. Django's LoginRequiredMiddleware lets through only
# views marked login_not_required: Django marks its login and password-reset views, healthz is marked here; the
# two-factor pages are for logged-in users (TwoFactorMiddleware lets them through by name).
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", login_not_required(views.healthz), name="healthz"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord-kiezen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-kiezen/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("tweestapsverificatie/", views.two_factor_verify, name="two_factor_verify"),
    path("tweestapsverificatie/instellen/", views.two_factor_setup, name="two_factor_setup"),
    path("", include((core_patterns, "core"))),
]
