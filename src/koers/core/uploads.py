"""One check for every file a user uploads: a signed plan, a message attachment, a portfolio item.

The extension must be allowed, the first bytes must match it (a renamed executable is refused), and the file must
be neither empty nor above the limit. The messages are marked for translation: staff pages are Dutch, the portal
shows them in the participant's language.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def check_upload(upload, *, missing: str | None = None) -> str | None:
    """The problem with ``upload`` in plain words, or None when it may be saved.

    ``missing`` is the message when no file was given; without it an absent file is no problem.
    """
    if upload is None:
        return missing
    allowed = _("Kies een PDF, JPEG of PNG.")
    ext = extension(getattr(upload, "name", ""))
    if ext not in SIGNATURES:
        return _("Dit bestandstype kan niet.") + " " + allowed
    if upload.size > MAX_UPLOAD_BYTES:
        return _("Het bestand is te groot (%(size)s MB). Het mag maximaal 10 MB zijn.") % {
            "size": upload.size // (1024 * 1024)}
    if upload.size == 0:
        return _("Het bestand is leeg.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        return _("De inhoud van het bestand past niet bij de naam (.%(ext)s).") % {"ext": ext} + " " + allowed
    return None


def download(field_file, filename: str) -> FileResponse:
    """A stored upload as an attachment: content type from the checked extension, never cached."""
    ext = extension(field_file.name)
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename,
                            content_type=CONTENT_TYPES.get(ext, "application/octet-stream"))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_name(name: str, limit: int = 120) -> str:
    """The uploaded file's own name to show later: the last path part, without control characters, shortened."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch != '"').strip() or "bestand"
    if len(base) > limit:
        ext = extension(base)
        base = base[: limit - len(ext) - 1] + "." + ext if ext else base[:limit]
    return base


def random_path(folder: str, participant_id: int, filename: str) -> str:
    """Where an upload is stored: a random name under the participant's folder (the uploaded name may hold personal
    data; it is kept apart, through ``safe_name``). The extension is the checked one."""
    return f"{folder}/{participant_id}/{uuid.uuid4().hex}.{extension(filename) or 'bin'}"
