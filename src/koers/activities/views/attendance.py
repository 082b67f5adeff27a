"""Pages for sessions, closed days and attendance. Thin: parse the request, call a service or query, render.

Provider staff (``access.can_manage_activities``) manage sessions and closed days and register
attendance; anybody else gets a 404. The participant's attendance page follows the participant's grant.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.activities.forms.attendance import (
    AttendanceForm,
    ClosedDayForm,
    DayForm,
    SessionCreateForm,
    SessionStatusForm,
)
from koers.activities.queries import attendance as attendance_queries
from koers.activities.queries import groups as group_queries
from koers.activities.services import attendance as attendance_services
from koers.core import access, audit, locking
from koers.core.codes import Category, SessionStatus
from koers.core.formtools import apply_errors
from koers.core.http import parse_date, safe_next
from koers.core.models import AuditAction
from koers.core.pages import participant_page

#: Weeks shown per page in the session list and the participant's attendance history.
WEEKS_PER_PAGE = 6


def _safe_next(request, default: str) -> str:
    return safe_next(request, default)


def _parse_date(value: str | None, default: dt.date) -> dt.date:
    return parse_date(value, default)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- Today's sessions and the attendance screen --------------------------------------------------------------


def my_sessions(request):
    """The sessions of the user's organisation on one day (today by default): where a teacher starts."""
    if not access.can_manage_activities(request.user, request.user.organisation_id):
        raise Http404("Pagina niet gevonden")
    today = timezone.localdate()
    form = DayForm(request.GET or None)
    day = (form.cleaned_data.get("datum") if form.is_valid() else None) or today
    sessions = attendance_queries.sessions_on(request.user, day)
    return render(request, "activities/attendance/my_sessions.html", {
        "nav": "sessions", "form": form, "day": day, "today": today, "sessions": sessions,
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "open_statuses": [SessionStatus.GEPLAND],
    })


def attendance_entry(request, session_id):
    """Register attendance for every member of a session on one screen; one POST saves all."""
    session = attendance_queries.get_session_for_manager_or_404(request.user, session_id)
    back = _safe_next(request, f"{reverse('activities:my_sessions')}?datum={session.date.isoformat()}")
    register = attendance_queries.register_for(request.user, session)
    closed_reason = ""
    try:
        attendance_queries.check_session_open(session)
    except ValidationError as exc:
        closed_reason = " ".join(exc.messages)
    form = AttendanceForm(request.POST or None, rows=register.rows,
                          version=attendance_queries.register_version(register.rows))
    stale = None
    if request.method == "POST" and not closed_reason:
        if form.is_valid():
            try:
                counts = attendance_services.record_attendance(request.user, session, form.entries(), request=request,
                                                      version=form.submitted_version)
            except locking.StaleEdit as exc:  # a colleague saved this register after the screen was opened
                stale = exc
                register = attendance_queries.register_for(request.user, session)
                form.refresh_version(attendance_queries.register_version(register.rows))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                saved = counts["created"] + counts["updated"] + counts["unchanged"]
                messages.success(
                    request, f"Aanwezigheid opgeslagen voor {saved} deelnemer{'s' if saved != 1 else ''} "
                             f"({session.activity.title}{', ' + session.group.name if session.group_id else ''}).",
                )
                return redirect(back)
    elif request.method == "POST":
        messages.error(request, closed_reason)
    group_queries.audit_members(
        request.user, [group_queries.Member(r.enrolment, r.grant, None) for r in register.rows],
        detail=f"Aanwezigheidslijst {session.activity.title} {session.date:%d-%m-%Y}", request=request,
        extra=(Category.TRAJECTORY,),
    )
    return render(request, "activities/attendance/entry.html", {
        "nav": "activities", "session": session, "register": register, "form": form, "next": back,
        "closed_reason": closed_reason, "status_count": len(register.rows), "stale": stale,
    })


# --- Sessions of an activity ---------------------------------------------------------------------------------


def session_list(request, activity_id):
    activity = group_queries.get_activity_for_manager_or_404(request.user, activity_id)
    today = timezone.localdate()
    activity_groups = list(activity.groups.all())
    group = next((g for g in activity_groups if str(g.pk) == request.GET.get("groep")), None)
    default_start = min(max(_monday(today), _monday(activity.start_date)), _monday(activity.end_date))
    start = _monday(_parse_date(request.GET.get("vanaf"), default_start))
    end = start + dt.timedelta(weeks=WEEKS_PER_PAGE, days=-1)
    sessions = attendance_queries.sessions_between(activity, start, end, group)
    query = f"&groep={group.pk}" if group else ""
    return render(request, "activities/attendance/session_list.html", {
        "nav": "activities", "activity": activity, "groups": activity_groups, "group": group,
        "weeks": attendance_queries.by_week(sessions), "start": start, "end": end, "today": today,
        "earlier": start - dt.timedelta(weeks=WEEKS_PER_PAGE) if start > _monday(activity.start_date) else None,
        "later": end + dt.timedelta(days=1) if end < activity.end_date else None, "query": query,
        "has_sessions": activity.sessions.exists(), "slots": list(activity.slots.all()),
        "create_form": SessionCreateForm(activity=activity),
        "rate": attendance_queries.rate_for_activity(activity, group),
    })


@require_POST
def sessions_generate(request, activity_id):
    activity = group_queries.get_activity_for_manager_or_404(request.user, activity_id)
    if not activity.slots.exists():
        messages.error(request, "De activiteit heeft nog geen weekpatroon: leg eerst de dagen en tijden vast.")
    else:
        result = attendance_services.generate_sessions(activity)
        messages.success(request, result.message())
    return redirect("activities:sessions", activity_id=activity.pk)


def session_create(request, activity_id):
    activity = group_queries.get_activity_for_manager_or_404(request.user, activity_id)
    form = SessionCreateForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            session = attendance_services.create_session(
                activity, form.cleaned_data.get("group"), form.cleaned_data["date"],
                form.cleaned_data["start_time"], form.cleaned_data["end_time"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Extra bijeenkomst op {session.date:%d-%m-%Y} toegevoegd.")
            return redirect(f"{reverse('activities:sessions', args=[activity.pk])}?vanaf={session.date.isoformat()}")
    return render(request, "activities/attendance/session_create.html", {
        "nav": "activities", "activity": activity, "form": form,
    })


def session_edit(request, session_id):
    """Cancel a session, mark it a holiday, or plan it again."""
    session = attendance_queries.get_session_for_manager_or_404(request.user, session_id)
    back = _safe_next(
        request, f"{reverse('activities:sessions', args=[session.activity_id])}?vanaf={session.date.isoformat()}"
    )
    form = SessionStatusForm(request.POST or None, initial={"status": session.status, "reason": session.note})
    if request.method == "POST" and form.is_valid():
        try:
            attendance_services.set_session_status(session, form.cleaned_data["status"], form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Bijeenkomst van {session.date:%d-%m-%Y}: {session.get_status_display()}.")
            return redirect(back)
    return render(request, "activities/attendance/session_edit.html", {
        "nav": "activities", "session": session, "form": form, "next": back,
        "registered": session.attendances.count(),
    })


# --- Closed days ---------------------------------------------------------------------------------------------


def closed_days(request):
    org_id = request.user.organisation_id
    if not access.can_manage_activities(request.user, org_id):
        raise Http404("Pagina niet gevonden")
    form = ClosedDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day, changed = attendance_services.add_closed_day(org_id, form.cleaned_data["date"],
                                                              form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            text = f"{day.date:%d-%m-%Y} is vastgelegd als vrije dag."
            if changed:
                text += f" {changed} geplande bijeenkomst(en) op die dag staan nu op vakantie."
            messages.success(request, text)
            return redirect("activities:closed_days")
    since = timezone.localdate() - dt.timedelta(days=60)
    days = attendance_queries.closed_days_since(org_id, since)
    return render(request, "activities/attendance/closed_days.html", {
        "nav": "activities", "form": form, "days": days, "since": since,
    })


@require_POST
def closed_day_delete(request, day_id):
    org_id = request.user.organisation_id
    if not access.can_manage_activities(request.user, org_id):
        raise Http404("Pagina niet gevonden")
    replanned = attendance_services.remove_closed_day(org_id, day_id)
    text = "De vrije dag is verwijderd."
    if replanned:
        text += f" {replanned} bijeenkomst(en) op die dag zijn weer gepland."
    messages.success(request, text)
    return redirect("activities:closed_days")


# --- A participant's attendance ------------------------------------------------------------------------------


@participant_page
def participant_attendance(request, participant, grant):
    """Attendance rate per enrolment and the history by week, for whoever may see the trajectory."""
    access.require_category(grant, Category.TRAJECTORY)
    today = timezone.localdate()
    until = min(_parse_date(request.GET.get("tot"), today), today)
    end = _monday(until) + dt.timedelta(days=6)
    start = end - dt.timedelta(weeks=WEEKS_PER_PAGE, days=-1)
    history = attendance_queries.participant_history(participant, start, end)
    categories = {Category.IDENTITY, Category.TRAJECTORY}
    if grant.special and any(a.note_is_special and a.note for a in history):
        categories.add(Category.SPECIAL)  # protected notes were shown
    audit.record(request.user, participant, categories, AuditAction.VIEW,
                 legal_basis=grant.legal_basis, detail="Aanwezigheid bekeken", request=request)
    return render(request, "activities/attendance/participant.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "aanwezigheid",
        "enrolments": attendance_queries.participant_enrolments(participant), "weeks": attendance_queries.by_week(
            history, lambda a: a.session.date), "start": start, "end": end,
        "earlier": start - dt.timedelta(days=1), "later": end + dt.timedelta(days=7) if end < today else None,
        "panel": attendance_queries.panel(participant, grant, today=today),
    })
