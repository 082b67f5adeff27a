"""The Django admin, for the platform administrator only. Functional administrators use the beheer pages.

The admin can change anything (any organisation, any user, ``is_superuser`` itself), so it is not a place for
"staff with some permissions": only an active superuser (the platform administrator, docs/privacy.md "Beheer")
gets in. A ``is_staff`` flag or model permissions given to anyone else open nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from koers.core.models import AuditEvent, Organisation, User, UserRole


def _platform_admin_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


admin.site.has_permission = _platform_admin_only


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "municipality"]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "organisation__kind", "roles__role"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    inlines = [UserRoleInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        ("Persoonlijke gegevens", {"fields": ("first_name", "last_name", "email", "phone")}),
        ("Organisatie", {"fields": ("organisation",)}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "organisation", "usable_password",
                                                 "password1", "password2")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only (a database trigger refuses UPDATE and DELETE as well)."""

    list_display = ["at", "user_name", "organisation_name", "participant_id", "category", "action", "legal_basis"]
    list_filter = ["action", "category", "legal_basis"]
    search_fields = ["user_name", "organisation_name", "participant_id", "detail"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
