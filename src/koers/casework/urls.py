"""Every route of the casework app (namespace ``casework``), in one list."""

from django.urls import path

from koers.casework.views import actions as actions_views
from koers.casework.views import alerts as alerts_views
from koers.casework.views import appointments as appointments_views
from koers.casework.views import caseload as caseload_views
from koers.casework.views import contacts as contacts_views
from koers.casework.views import handover as handover_views
from koers.casework.views import meetings as meetings_views
from koers.casework.views import messages as messages_views

app_name = "casework"

urlpatterns = [
    path("", actions_views.my_actions, name="my_actions"),
    path("organisatie/", actions_views.org_actions, name="org_actions"),
    path("deelnemer/<int:pk>/", actions_views.participant_actions, name="participant_actions"),
    path("deelnemer/<int:pk>/nieuw/", actions_views.action_create, name="action_create"),
    path("<int:item_id>/status/", actions_views.change_status, name="change_status"),
    # contact
    path("deelnemer/<int:pk>/contacten/", contacts_views.participant_contacts, name="participant_contacts"),
    path("deelnemer/<int:pk>/contacten/nieuw/", contacts_views.contact_create, name="contact_create"),
    path("deelnemer/<int:pk>/contacten/<int:contact_id>/", contacts_views.contact_detail, name="contact_detail"),
    path("deelnemer/<int:pk>/contacten/<int:contact_id>/wijzigen/", contacts_views.contact_edit,
         name="contact_edit"),
    path("deelnemer/<int:pk>/contacten/<int:contact_id>/verwijderen/", contacts_views.contact_delete,
         name="contact_delete"),
    path("deelnemer/<int:pk>/afspraken/nieuw/", appointments_views.appointment_create, name="appointment_create"),
    path("deelnemer/<int:pk>/afspraken/<int:appointment_id>/status/", appointments_views.appointment_status,
         name="appointment_status"),
    path("deelnemer/<int:pk>/berichten/", messages_views.conversation, name="conversation"),
    path("deelnemer/<int:pk>/berichten/<int:message_id>/bijlage/", messages_views.attachment,
         name="message_attachment"),
    path("begeleidingsuren/", contacts_views.guidance_hours, name="guidance_hours"),
    path("escalaties/", actions_views.escalations, name="escalations"),
    # handover
    path("deelnemer/<int:pk>/overdracht/", handover_views.handover_create, name="handover_create"),
    path("overdrachten/", handover_views.my_handovers, name="my_handovers"),
    path("overdrachten/<int:handover_id>/", handover_views.handover_detail, name="handover_detail"),
    path("overdrachten/<int:handover_id>/bevestigen/", handover_views.handover_confirm, name="handover_confirm"),
    # caseload and signalen
    path("caseload/", caseload_views.caseload, name="caseload"),
    path("caseload/team/", caseload_views.team_caseload, name="team_caseload"),
    path("caseload/team/overdragen/", caseload_views.team_reassign, name="team_reassign"),
    path("signalen/<int:pk>/afhandelen/", alerts_views.acknowledge, name="signal_acknowledge"),
    # meeting
    path("deelnemer/<int:pk>/bespreken/", meetings_views.request_discussion, name="request_discussion"),
    path("casusoverleg/", meetings_views.meeting_list, name="meetings"),
    path("casusoverleg/nieuw/", meetings_views.meeting_create, name="meeting_create"),
    path("casusoverleg/<int:pk>/", meetings_views.meeting_detail, name="meeting_detail"),
    path("casusoverleg/<int:pk>/agenda/", meetings_views.meeting_agenda, name="meeting_agenda"),
    path("casusoverleg/<int:pk>/notulen/", meetings_views.meeting_minutes, name="meeting_minutes"),
    path("casusoverleg/<int:pk>/vaststellen/", meetings_views.meeting_finalise, name="meeting_finalise"),
    path("casusoverleg/<int:pk>/agenda.pdf", meetings_views.meeting_agenda_pdf, name="meeting_agenda_pdf"),
    path("casusoverleg/<int:pk>/notulen.pdf", meetings_views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
]
