"""Plan and integration pages, under /deelnemers/<pk>/ (included in koers/urls.py)."""

from django.urls import path

from koers.plans.views import integration as integration_views
from koers.plans.views import plans as views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/plan/nieuw/", views.start, name="start"),
    path("<int:pk>/plan/nieuwe-versie/", views.new_version, name="new_version"),
    path("<int:pk>/plan/vergelijken/", views.compare, name="compare"),
    path("<int:pk>/plan/doel-behaald/", views.complete_goal, name="complete_goal"),
    path("<int:pk>/plan/versie/<int:number>/", views.plan, name="version"),
    path("<int:pk>/plan/versie/<int:number>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/plan/versie/<int:number>/ondertekend-document/", views.signed_document, name="signed_document"),
    path("<int:pk>/plan/versie/<int:number>/wijzigen/", views.edit, name="edit"),
    path("<int:pk>/plan/versie/<int:number>/ondertekenen/", views.sign, name="sign"),
    path("<int:pk>/plan/versie/<int:number>/doel/nieuw/", views.goal_form, name="goal_add"),
    path("<int:pk>/plan/versie/<int:number>/doel/<int:goal_id>/", views.goal_form, name="goal_edit"),
    path("<int:pk>/plan/versie/<int:number>/doel/<int:goal_id>/verwijderen/", views.goal_delete, name="goal_delete"),
    path("<int:pk>/plan/versie/<int:number>/doel/<int:goal_id>/stap/nieuw/", views.step_form, name="step_add"),
    path("<int:pk>/plan/versie/<int:number>/doel/<int:goal_id>/stap/<int:step_id>/", views.step_form,
         name="step_edit"),
    path("<int:pk>/plan/versie/<int:number>/doel/<int:goal_id>/stap/<int:step_id>/verwijderen/", views.step_delete,
         name="step_delete"),
    path("<int:pk>/plan/versie/<int:number>/afspraak/nieuw/", views.agreement_form, name="agreement_add"),
    path("<int:pk>/plan/versie/<int:number>/afspraak/<int:agreement_id>/", views.agreement_form,
         name="agreement_edit"),
    path("<int:pk>/plan/versie/<int:number>/afspraak/<int:agreement_id>/verwijderen/", views.agreement_delete,
         name="agreement_delete"),
    path("<int:pk>/inburgering/", integration_views.integration, name="integration"),
    path("<int:pk>/inburgering/<slug:action>/", integration_views.integration_action,
         name="integration_action"),
    path("<int:pk>/inburgering/wissel/<int:switch_id>/besluit/", integration_views.decide_switch,
         name="decide_switch"),
]
