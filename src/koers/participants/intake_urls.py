"""Routes of the brede intake (see intake_views.py); included in the ``participants`` namespace."""

from django.urls import path

from koers.participants import intake_views

urlpatterns = [
    path("<int:pk>/intakes/", intake_views.intake_list, name="intake_list"),
    path("<int:pk>/intakes/starten/", intake_views.intake_start, name="intake_start"),
    path("<int:pk>/intakes/<int:intake_id>/", intake_views.intake_detail, name="intake_detail"),
    path("<int:pk>/intakes/<int:intake_id>/hervatten/", intake_views.intake_resume, name="intake_resume"),
    path("<int:pk>/intakes/<int:intake_id>/stap/<slug:step>/", intake_views.intake_step, name="intake_step"),
]
