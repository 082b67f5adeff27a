from django.conf import settings

from koers.core import access, extensions, i18n


def koers(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "can_manage_organisations": bool(user and user.is_authenticated and access.can_manage_organisations(user)),
        "runs_activities": bool(user and user.is_authenticated and user.role_codes & access.ACTIVITY_ROLES),
        "works_with_participants": bool(user and user.is_authenticated and access.works_with_participants(user)),
        **extensions.menu_flags(user),
        **i18n.html_attributes(),  # html_lang, html_dir: <html lang=".." dir="..">
    }
