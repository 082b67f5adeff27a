"""The Django admin for technical administrators: the catalogue only. Enrolments, groups and attendance are
participant data and are changed only through the pages, which apply the access policy and the audit trail."""

from __future__ import annotations

from django.contrib import admin

from koers.activities.models import Activity, ActivitySlot, ClosedDay


class ActivitySlotInline(admin.TabularInline):
    model = ActivitySlot
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "provider", "start_date", "end_date", "is_published"]
    list_filter = ["kind", "delivery", "is_published", "provider"]
    list_select_related = ["provider"]
    search_fields = ["title", "theme", "provider__name"]
    date_hierarchy = "start_date"
    raw_id_fields = ["follows", "created_by"]
    inlines = [ActivitySlotInline]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "organisation", "reason"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    date_hierarchy = "date"
