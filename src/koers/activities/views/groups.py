"""Pages for the groups of a group activity: the overview, the proposal by level, one group. Thin: parse the
request, call a query or service, render. Provider staff (``access.can_manage_activities``) only; anybody else
gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from koers.activities.forms.groups import GroupForm, MembersForm
from koers.activities.queries import attendance as attendance_queries
from koers.activities.queries import groups as group_queries
from koers.activities.rules import groups as group_rules
from koers.activities.services import groups as group_services
from koers.core.access import safe_id
from koers.core.codes import Category
from koers.core.formtools import apply_errors
from koers.core.http import post_text


def _errors(exc: ValidationError) -> list[str]:
    return [m for messages_ in getattr(exc, "message_dict", {"": exc.messages}).values() for m in messages_]


GROUP_PAGE_CATEGORIES = (Category.TRAJECTORY, Category.LANGUAGE, Category.WORK)


def group_list(request, activity_id):
    activity = group_queries.get_activity_for_manager_or_404(request.user, activity_id)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = group_services.create_group(request.user, activity, form.cleaned_data["name"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Groep ‘{group.name}’ is aangemaakt. Voeg nu deelnemers toe.")
            return redirect("activities:group_detail", group_id=group.pk)
    overview = group_queries.group_overview(request.user, activity)
    ungrouped = group_queries.members_with_grants(
        request.user, group_queries.visible_enrolments(request.user, activity, ungrouped=True)
    )
    group_queries.audit_members(request.user, [m for row in overview for m in row["members"]] + ungrouped,
                                detail=f"Groepen van {activity.title}", request=request, extra=GROUP_PAGE_CATEGORIES)
    return render(request, "activities/groups/list.html", {
        "nav": "activities", "activity": activity, "overview": overview, "ungrouped": ungrouped, "form": form,
        "spec": group_queries.group_spec(activity),
    })


def group_suggestions(request, activity_id):
    activity = group_queries.get_activity_for_manager_or_404(request.user, activity_id)
    candidates = group_queries.members_with_grants(
        request.user, group_queries.visible_enrolments(request.user, activity, ungrouped=True)
    )
    spec = group_queries.group_spec(activity)
    suggestions = group_rules.suggest_groups(spec, [m.profile for m in candidates])
    group_queries.audit_members(request.user, candidates, detail=f"Groepsvoorstel {activity.title}", request=request,
                                extra=GROUP_PAGE_CATEGORIES)
    return render(request, "activities/groups/suggestions.html", {
        "nav": "activities", "activity": activity, "suggestions": suggestions, "spec": spec,
        "candidates": len(candidates),
    })


@require_POST
def group_from_suggestion(request, activity_id):
    activity = group_queries.get_activity_for_manager_or_404(request.user, activity_id)
    try:
        ids = [int(i) for i in request.POST.getlist("enrolments")]
        if any(safe_id(i) is None for i in ids):
            raise ValueError("not an id")
        group = group_services.create_group(request.user, activity, post_text(request, "name"), ids, request=request)
    except ValueError:
        messages.error(request, "Het voorstel is niet goed doorgekomen; probeer het opnieuw.")
        return redirect("activities:group_suggestions", activity_id=activity.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("activities:group_suggestions", activity_id=activity.pk)
    messages.success(request, f"Groep ‘{group.name}’ is aangemaakt met {len(ids)} deelnemer(s).")
    return redirect("activities:group_detail", group_id=group.pk)


def group_detail(request, group_id):
    group = group_queries.get_group_for_manager_or_404(request.user, group_id)
    activity = group.activity
    slots = list(activity.slots.all())
    spec = group_queries.group_spec(activity, slots)
    members = group_queries.members_with_grants(
        request.user, group_queries.visible_enrolments(request.user, activity, group=group)
    )
    size = group_queries.taking_part(activity).filter(group=group).count()
    candidates = group_queries.members_with_grants(
        request.user, group_queries.visible_enrolments(request.user, activity).exclude(group=group)
    )
    candidates = [c for c in candidates if Category.TRAJECTORY in c.grant.read]
    choices = [
        (c.enrolment.pk, c.enrolment.participant.name + (f" (nu in {c.enrolment.group.name})" if c.enrolment.group_id
                                                          else ""))
        for c in candidates
    ]
    form = MembersForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            added = group_services.add_members(request.user, group, form.cleaned_data["enrolments"], request=request)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{len(added)} deelnemer(s) toegevoegd aan {group.name}.")
            return redirect("activities:group_detail", group_id=group.pk)
    feasibility = group_rules.assess(spec, [m.profile for m in members], hidden_members=size - len(members))
    rates = attendance_queries.rates_by_enrolment(m.enrolment.pk for m in members)
    rows = [{"member": m, "rate": rates.get(m.enrolment.pk, attendance_queries.NO_RATE),
             "missing": group_rules.missing_dagdelen(spec, m.profile)} for m in members]
    group_queries.audit_members(request.user, members + candidates, detail=f"Groep {group.name} ({activity.title})",
                                request=request, extra=GROUP_PAGE_CATEGORIES)
    return render(request, "activities/groups/detail.html", {
        "nav": "activities", "group": group, "activity": activity, "spec": spec, "rows": rows, "form": form,
        "feasibility": feasibility, "slots": slots, "rate": attendance_queries.rate_for_activity(activity, group),
        "HIDDEN": group_rules.HIDDEN,
    })


@require_POST
def group_remove_member(request, group_id, enrolment_id):
    group = group_queries.get_group_for_manager_or_404(request.user, group_id)
    try:
        enrolment = group_services.remove_member(request.user, group, enrolment_id, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{enrolment.participant.name} is uit {group.name} gehaald.")
    return redirect("activities:group_detail", group_id=group.pk)
