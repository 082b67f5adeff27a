from django.conf import settings

from . import access


def _uses_monitoring(user):
    """Lazy (templates call it only where the menu is drawn); no query for users who may create programmes."""

    def check() -> bool:
        from koers.monitoring import access as monitoring_access

        if not (user and user.is_authenticated):
            return False
        return monitoring_access.can_create_programmes(user) or monitoring_access.uses_monitoring(user)

    return check


def koers(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "can_manage_organisations": bool(user and user.is_authenticated and access.can_manage_organisations(user)),
        "runs_activities": bool(user and user.is_authenticated and user.role_codes & access.ACTIVITY_ROLES),
        "works_with_participants": bool(user and user.is_authenticated and access.works_with_participants(user)),
        "uses_monitoring": _uses_monitoring(user),
    }
