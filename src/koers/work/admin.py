"""The Django admin for technical administrators: employers, openings, certificates and postcode areas only.
Work profiles, company-visit attendance and matches are participant data and are changed only through the
pages, which apply the access policy and the audit trail."""

from __future__ import annotations

from django.contrib import admin

from koers.work.models import Certificate, ContactPerson, Employer, Opening, PostcodeArea


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "city", "organisation", "is_active"]
    list_filter = ["sector", "size_class", "is_active", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "city"]
    raw_id_fields = ["account_manager", "partner_organisation"]
    inlines = [ContactPersonInline]


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "kind", "sector", "hours_per_week", "status", "created_at"]
    list_filter = ["status", "kind", "sector"]
    list_select_related = ["employer"]
    search_fields = ["title", "tasks", "employer__name"]
    raw_id_fields = ["employer", "created_by"]
    filter_horizontal = ["certificates"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "description"]
    search_fields = ["name", "code"]


@admin.register(PostcodeArea)
class PostcodeAreaAdmin(admin.ModelAdmin):
    list_display = ["postcode4", "municipality", "latitude", "longitude"]
    search_fields = ["postcode4", "municipality"]
