"""The one upload check (core.uploads): every upload in Koers goes through it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from koers.core import uploads

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def test_a_real_pdf_and_png_pass():
    assert uploads.check_upload(SimpleUploadedFile("a.pdf", PDF)) is None
    assert uploads.check_upload(SimpleUploadedFile("foto.PNG", PNG)) is None


def test_a_renamed_file_an_empty_file_and_a_wrong_type_are_refused():
    assert "past niet bij de naam (.pdf)" in uploads.check_upload(SimpleUploadedFile("x.pdf", b"MZ\x90\0 exe"))
    assert "leeg" in uploads.check_upload(SimpleUploadedFile("x.pdf", b""))
    assert "bestandstype" in uploads.check_upload(SimpleUploadedFile("x.exe", b"MZ"))
    assert "bestandstype" in uploads.check_upload(SimpleUploadedFile("zonder-extensie", PDF))


def test_a_file_above_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    assert "te groot" in uploads.check_upload(SimpleUploadedFile("a.pdf", PDF))


def test_missing_is_only_a_problem_when_asked():
    assert uploads.check_upload(None) is None
    assert uploads.check_upload(None, missing="Voeg een bestand toe.") == "Voeg een bestand toe."


def test_the_message_follows_the_active_language():
    with translation.override("ar"):
        assert uploads.check_upload(SimpleUploadedFile("a.pdf", b"")) == "الملف فارغ."
