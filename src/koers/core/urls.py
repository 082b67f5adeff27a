from django.contrib.auth import views as django_auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from koers.core.forms.auth import StaffAuthenticationForm
from koers.core.views import auth as auth_views
from koers.core.views import beheer as beheer_views
from koers.core.views import security as security_views
from koers.core.views import site as site_views
from koers.core.views import translations as translation_views

#: Pages in the ``core`` namespace: my account and the functional administrator's pages ("beheer").
core_patterns = [
    path("account/", auth_views.account, name="account"),
    path("account/wachtwoord-wijzigen/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("beheer/organisaties/", beheer_views.organisation_list, name="organisation_list"),
    path("beheer/organisaties/nieuw/", beheer_views.organisation_create, name="organisation_create"),
    path("beheer/organisaties/<int:pk>/", beheer_views.organisation_detail, name="organisation_detail"),
    path("beheer/organisaties/<int:pk>/wijzigen/", beheer_views.organisation_update, name="organisation_update"),
    path("beheer/organisaties/<int:pk>/medewerkers/nieuw/", beheer_views.user_create, name="user_create"),
    path("beheer/medewerkers/<int:pk>/wijzigen/", beheer_views.user_update, name="user_update"),
    path("beheer/medewerkers/<int:pk>/deactiveren/", beheer_views.user_deactivate, name="user_deactivate"),
    path("beheer/medewerkers/<int:pk>/activeren/", beheer_views.user_reactivate, name="user_reactivate"),
    path("beheer/medewerkers/<int:pk>/wachtwoordmail/", beheer_views.user_send_reset, name="user_send_reset"),
    path("beheer/medewerkers/<int:pk>/tweestapsverificatie-wissen/", beheer_views.user_reset_2fa,
         name="user_reset_2fa"),
    path("beheer/beveiliging/", security_views.security_events, name="security_events"),
    path("beheer/vertalingen/", translation_views.translations, name="translations"),
]

# Login, password reset and two-factor pages keep plain names. Django's LoginRequiredMiddleware lets through only
# views marked login_not_required: Django marks its login and password-reset views, healthz is marked here; the
# two-factor pages are for logged-in users (TwoFactorMiddleware lets them through by name).
urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", login_not_required(site_views.healthz), name="healthz"),
    path("inloggen/", django_auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=StaffAuthenticationForm), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", django_auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path(
        "wachtwoord-kiezen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-kiezen/klaar/", django_auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("tweestapsverificatie/", auth_views.two_factor_verify, name="two_factor_verify"),
    path("tweestapsverificatie/instellen/", auth_views.two_factor_setup, name="two_factor_setup"),
    path("", include((core_patterns, "core"))),
]
