"""Action item pages. Thin: parse the request, call a query or service, render."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from koers.casework.forms.actions import ActionChoices, ActionItemForm, StatusFilterForm, StatusForm
from koers.casework.queries import actions as queries
from koers.casework.services import actions as services
from koers.core import access, audit
from koers.core.codes import ActionStatus, Category, Role
from koers.core.formtools import apply_errors
from koers.core.http import safe_next
from koers.core.models import AuditAction
from koers.core.pages import participant_page

PAGE_SIZE = 50

#: The button text for each status an item can be moved to.
STATUS_ACTIONS = {
    ActionStatus.BEZIG: "Mee bezig",
    ActionStatus.AFGEROND: "Afgerond",
    ActionStatus.VERVALLEN: "Vervallen",
    ActionStatus.OPEN: "Heropenen",
}


def _require_case_worker(user) -> None:
    if not access.works_with_participants(user):
        raise Http404("Pagina niet gevonden")


def _rows(user, items, grants: dict[int, access.Grant]) -> list[dict]:
    """What a row shows: the item, where it came from, and the status changes this user may make."""
    return [
        {
            "item": item,
            "source": queries.source_of(item, grants.get(item.participant_id)),
            "transitions": [(s, STATUS_ACTIONS[s]) for s in services.TRANSITIONS[item.status]]
            if queries.can_change_status(user, item) else [],
        }
        for item in items
    ]


def _page_grants(user, items) -> dict[int, access.Grant]:
    if not items:
        return {}
    return access.grants_for_page(user, {i.participant_id: i.participant for i in items}.values())


def _audit_page(request, items, detail: str, grants: dict[int, access.Grant]) -> None:
    """One audit record per participant and category shown (names: identity; items: their category)."""
    if not items:
        return
    by_category: dict[str, set[int]] = defaultdict(set)
    for item in items:
        by_category[Category.IDENTITY].add(item.participant_id)
        by_category[queries.category_of(item.domain)].add(item.participant_id)
    bases = {pid: g.legal_basis for pid, g in grants.items()}
    for category, ids in sorted(by_category.items()):
        audit.record_list(request.user, sorted(ids), bases, category=category, detail=detail, request=request)


def _list_page(request, *, title: str, intro: str, tab: str, items_for, default_status: str, empty: str):
    _require_case_worker(request.user)
    form = StatusFilterForm(request.GET or None, initial={"status": default_status})
    status = (form.cleaned_data.get("status") if form.is_valid() else "") or default_status
    page = Paginator(items_for(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    grants = _page_grants(request.user, items)
    _audit_page(request, items, title, grants)
    return render(request, "casework/action_list.html", {
        "nav": "actions", "title": title, "intro": intro, "tab": tab, "form": form, "page": page,
        "rows": _rows(request.user, items, grants), "status": status, "empty": empty, "show_participant": True,
        "next": request.get_full_path(), "is_regisseur": request.user.has_role(Role.REGISSEUR),
    })


def my_actions(request):
    return _list_page(
        request, title="Mijn actiepunten", tab="mine", items_for=queries.my_action_items, default_status="alle",
        intro="Actiepunten waarvan u de uitvoerder bent. Lopende actiepunten staan bovenaan, de vroegste eerst.",
        empty="U heeft geen actiepunten met deze status. Actiepunten ontstaan onder meer bij het afronden van "
              "een brede intake.",
    )


def org_actions(request):
    return _list_page(
        request, title="Actiepunten van mijn organisatie", tab="org", items_for=queries.organisation_action_items,
        default_status="lopend",
        intro="Actiepunten die uw organisatie uitvoert, ook als er nog geen uitvoerder is gekozen.",
        empty="Uw organisatie heeft geen actiepunten met deze status.",
    )


@participant_page
def participant_actions(request, participant, grant):
    items = queries.participant_action_items(participant, grant)
    categories = {Category.IDENTITY} | {queries.category_of(i.domain) for i in items}
    audit.record(request.user, participant, categories, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Actiepunten bekeken", request=request)
    return render(request, "casework/participant_actions.html", {
        "nav": "participants", "p": participant, "grant": grant, "tab": "acties",
        "rows": _rows(request.user, items, {participant.pk: grant}),
        "can_add": grant.can_change(Category.TRAJECTORY), "next": request.get_full_path(),
        "overdue": sum(1 for i in items if i.is_overdue),
    })


def escalations(request):
    """Overdue action items of the regisseur's participants (``koers tick`` mails about them daily)."""
    _require_case_worker(request.user)
    if not request.user.has_role(Role.REGISSEUR):
        raise Http404("Pagina niet gevonden")
    page = Paginator(queries.overdue_for_regisseur(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    grants = _page_grants(request.user, items)
    title = "Te late actiepunten"
    _audit_page(request, items, title, grants)
    return render(request, "casework/escalations.html", {
        "nav": "actions", "title": title, "tab": "escalations", "page": page, "is_regisseur": True,
        "rows": _rows(request.user, items, grants), "show_participant": True, "show_escalation": True,
        "next": request.get_full_path(), "today": timezone.localdate(),
    })


@participant_page
def action_create(request, participant, grant):
    """A single action item for a participant (the intake creates them in bulk)."""
    access.require_category(grant, Category.TRAJECTORY, write=True)
    choices = ActionChoices.for_participant(participant)
    form = ActionItemForm(
        request.POST or None, participant=participant, grant=grant, choices=choices,
        initial=choices.new_row_initial(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            [item] = services.create_action_items(request.user, participant, grant, [form.to_draft(request.user)])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Actiepunt ‘{item.title}’ is aangemaakt.")
            return redirect("casework:participant_actions", pk=participant.pk)
    audit.record(request.user, participant, Category.IDENTITY, AuditAction.VIEW, legal_basis=grant.legal_basis,
                 detail="Formulier nieuw actiepunt", request=request)
    return render(request, "casework/action_form.html", {
        "nav": "participants", "p": participant, "grant": grant, "form": form,
    })


def _safe_next(request, default: str) -> str:
    return safe_next(request, default)


@require_POST
def change_status(request, item_id):
    _require_case_worker(request.user)
    item = queries.get_action_item_or_404(request.user, item_id)
    back = _safe_next(request, reverse("casework:participant_actions", kwargs={"pk": item.participant_id}))
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies een geldige status.")
        return redirect(back)
    try:
        item = services.change_status(request.user, item, form.cleaned_data["status"], request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Actiepunt ‘{item.title}’: status is nu {item.get_status_display().lower()}.")
    return redirect(back)
