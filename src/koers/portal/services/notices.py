"""A short e-mail to the participant when there is news in Mijn Koers (registered with ``casework.notices``).

Only when the participant asked for it (``PortalAccount.email_notices``, on "Mijn gegevens"), only to the address
in their file, and in their own language. The e-mail says *that* there is a new message or appointment, never what
it says, who sent it or about what: e-mail is not a safe channel, and others may read the inbox. After one e-mail,
the next waits until the participant has logged in since: a busy day gives one e-mail, not ten.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.casework import notices
from koers.core import audit
from koers.core.access import OWN_BASIS
from koers.core.codes import Category
from koers.core.models import AuditAction
from koers.portal.models import PortalAccount

log = logging.getLogger(__name__)

#: Per kind: the subject and the one line that says what is new.
TEXTS = {
    notices.MESSAGE: (gettext_lazy("Nieuw bericht in Mijn Koers"),
                      gettext_lazy("Er staat een nieuw bericht voor u klaar in Mijn Koers.")),
    notices.APPOINTMENT: (gettext_lazy("Nieuwe afspraak in Mijn Koers"),
                          gettext_lazy("Er staat een nieuwe afspraak voor u in Mijn Koers.")),
    notices.APPOINTMENT_CANCELLED: (gettext_lazy("Afspraak afgezegd in Mijn Koers"),
                                    gettext_lazy("Een afspraak in Mijn Koers is afgezegd. Kijk in Mijn week.")),
}


def account_to_notify(participant) -> PortalAccount | None:
    """The participant's account when an e-mail may go out now (asked for, active, an address, not waiting)."""
    account = (PortalAccount.objects.select_related("user")
               .filter(participant=participant, email_notices=True, activated_at__isnull=False).first())
    if account is None or not account.user.is_active or not (participant.email or "").strip():
        return None
    if account.notified_at and (account.last_login_at is None or account.last_login_at < account.notified_at):
        return None  # the last e-mail is not followed by a visit yet
    return account


def render(kind: str, language: str) -> tuple[str, str]:
    subject, line = TEXTS[kind]
    link = settings.KOERS_SITE_URL + reverse("portal:home")
    with translation.override(language):
        body = "\n\n".join([
            _("Hallo,"), str(line), _("Log in op Mijn Koers om het te zien:") + "\n" + link,
            _("Dit is een automatische e-mail; u kunt er niet op antwoorden. Wilt u deze e-mails niet meer? Zet ze "
              "uit bij Mijn gegevens in Mijn Koers."),
        ])
        return str(subject), body


def send_notice(participant, kind: str, *, by=None) -> bool:
    """Send the e-mail for ``kind`` when the participant wants one now (``by``, the staff member, is not named)."""
    account = account_to_notify(participant)
    if account is None:
        return False
    subject, body = render(kind, account.language)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [participant.email.strip()])
    except Exception:  # the mail server is down: the news is still in Mijn Koers
        log.exception("e-mail bij nieuws voor deelnemer %s niet verstuurd", participant.pk)
        return False
    PortalAccount.objects.filter(pk=account.pk).update(notified_at=timezone.now())
    # Sent at the participant's own request: recorded as their own access (the address left Koers, not the news).
    audit.record(account.user, participant, Category.IDENTITY, AuditAction.EXPORT, legal_basis=OWN_BASIS,
                 detail=f"Mijn Koers: e-mail bij nieuws verstuurd ({kind}), zonder inhoud")
    return True


def set_email_notices(*, account: PortalAccount, on: bool, request=None) -> None:
    PortalAccount.objects.filter(pk=account.pk).update(email_notices=on)
    account.email_notices = on
    audit.record(account.user, account.participant, Category.IDENTITY, AuditAction.UPDATE, legal_basis=OWN_BASIS,
                 detail="Mijn Koers: e-mail bij nieuws " + ("aangezet" if on else "uitgezet"), request=request)
