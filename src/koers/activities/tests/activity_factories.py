"""Test helpers for activities and enrolments (catalogue, enrolment and schedule tests)."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from koers.activities.models import Activity, ActivitySlot, Enrolment
from koers.core.codes import ActivityKind


def this_monday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def make_activity(provider, user, *, title="Taalles NT2", kind=ActivityKind.TAAL_FORMEEL, slots=(), start=None,
                  end=None, **kwargs) -> Activity:
    """An activity with a weekly pattern: slots as (weekday, "09:00", "12:00")."""
    start = start or this_monday() - timedelta(weeks=4)
    end = end or start + timedelta(weeks=40)
    activity = Activity.objects.create(
        provider=provider, title=title, kind=kind, start_date=start, end_date=end, created_by=user, **kwargs
    )
    for weekday, frm, to in slots:
        ActivitySlot.objects.create(
            activity=activity, weekday=weekday, start_time=time.fromisoformat(frm), end_time=time.fromisoformat(to)
        )
    return activity


def make_enrolment(participant, activity, user, *, start=None, end=None, status="actief", **kwargs) -> Enrolment:
    return Enrolment.objects.create(
        participant=participant, activity=activity, start_date=start or activity.start_date, end_date=end,
        status=status, enrolled_by=user, **kwargs
    )
