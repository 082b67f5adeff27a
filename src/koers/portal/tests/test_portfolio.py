"""My portfolio and the CV: gathered from the file, own items (add, change, delete, files), the Dutch CV."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from koers.core.models import AuditAction, AuditEvent
from koers.portal.models import PortalAccount, PortfolioItem
from koers.portal.services import portfolio as services
from koers.portal.tests.test_accounts import pdf_text

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def filled(world):
    """Nahom's file with something of everything the portfolio gathers, and things that never go on a CV."""
    from decimal import Decimal

    from koers.activities.models import Activity, Enrolment
    from koers.core.codes import PlacementKind
    from koers.participants.models import LanguageAssessment, ParticipantBarrier, WorkExperience
    from koers.work.models import Certificate, Employer, Placement, WorkProfile

    p = world.participant
    p.bsn, p.phone, p.email, p.city, p.street, p.postcode = "111222333", "06-12345678", "nahom@example.org", \
        "Rivierstad", "Dorpsstraat 1", "1234 AB"
    p.date_of_birth = date(1994, 5, 17)
    p.migration_status = "statushouder"
    p.education_level, p.education_field = "beroeps", "Elektrotechniek"
    p.diploma_valuation, p.diploma_valuation_result = "gewaardeerd", "mbo-niveau 3"
    p.level_spreken, p.level_luisteren, p.level_lezen, p.level_schrijven = "A2", "B1", "A2", "A0"
    p.languages = ["ti", "en"]
    p.benefit = "ja"
    p.save()
    ParticipantBarrier.objects.create(participant=p, code="gezondheid_psychisch", note="Slaapt slecht door zorgen")
    today = timezone.localdate()
    LanguageAssessment.objects.create(participant=p, skill="luisteren", level="B1",
                                      tested_on=today - timedelta(days=40), source="examen",
                                      instrument="Inburgeringsexamen luisteren", recorded_by=world.regisseur,
                                      organisation=world.gemeente)
    vca = Activity.objects.create(title="VCA-cursus op zaterdag", provider=world.reintegratie, kind="certificering",
                                  start_date=today - timedelta(days=90), end_date=today - timedelta(days=30),
                                  certificate="VCA Basis", created_by=world.regisseur)
    zwemmen = Activity.objects.create(title="Bewegen bij rugklachten", provider=world.taal, kind="gezondheid_sport",
                                      start_date=today - timedelta(days=90), end_date=today - timedelta(days=30),
                                      created_by=world.regisseur)
    for activity in (vca, zwemmen):
        Enrolment.objects.create(participant=p, activity=activity, start_date=activity.start_date,
                                 end_date=activity.end_date, status="afgerond", enrolled_by=world.regisseur)
    WorkExperience.objects.create(participant=p, occupation="Elektricien", years=Decimal("5"), country="ER",
                                  description="Werkte zonder papieren")
    employer = Employer.objects.create(name="Installatiebedrijf Stroom", organisation=world.gemeente, sector="F",
                                       city="Rivierstad")
    Placement.objects.create(participant=p, employer=employer, kind=PlacementKind.PROEFPLAATSING,
                             job_title="Monteur in opleiding", start_date=today - timedelta(days=20),
                             organisation=world.gemeente, created_by=world.regisseur)
    profile = WorkProfile.objects.create(participant=p, driving_licence="ja")
    profile.certificates.add(Certificate.objects.create(code="heftruck", name="Heftruckcertificaat"))
    return p


def _add(client, **data):
    return client.post(reverse("portal:portfolio_add"), {"title": "", "description": "", "happened_on": "",
                                                         "on_cv": "on", **data})


def test_the_portfolio_gathers_the_file_without_health(world, filled, portal_client):
    body = portal_client.get(reverse("portal:portfolio")).content.decode()
    for text in ("Elektrotechniek", "mbo-niveau 3", "Diploma gewaardeerd in Nederland", "Inburgeringsexamen luisteren",
                 "VCA-cursus op zaterdag", "VCA Basis", "Heftruckcertificaat", "Monteur in opleiding",
                 "Installatiebedrijf Stroom", "Elektricien", "Rijbewijs B", "onder A1"):
        assert text in body, text
    assert "Slaapt slecht" not in body and "111222333" not in body
    event = AuditEvent.objects.filter(participant_id=world.participant.pk, detail="Mijn Koers: mijn portfolio")
    assert set(event.values_list("category", flat=True)) == {"identiteit", "taal_opleiding", "traject", "werk"}
    assert set(event.values_list("legal_basis", flat=True)) == {"betrokkene"}


def test_the_portfolio_page_is_in_the_participants_language(world, filled, portal_client):
    PortalAccount.objects.filter(participant=world.participant).update(language="ar")
    body = portal_client.get(reverse("portal:portfolio")).content.decode()
    assert 'dir="rtl"' in body and "Mijn portfolio" not in body.split("<main", 1)[1]
    assert "VCA-cursus op zaterdag" in body  # the file's own texts stay as written


def test_adding_an_item_with_a_photo_and_downloading_it(world, portal_client):
    response = _add(portal_client, title="Kast die ik heb gemaakt", description="Van eikenhout.",
                    happened_on="2026-03-01", file=SimpleUploadedFile("kast.png", PNG, content_type="image/png"))
    assert response.status_code == 302
    item = PortfolioItem.objects.get(participant=world.participant)
    assert item.title == "Kast die ik heb gemaakt" and item.on_cv and item.file_name == "kast.png"
    assert item.happened_on == date(2026, 3, 1)
    assert "kast" not in item.file.name  # stored under a random name
    body = portal_client.get(reverse("portal:portfolio")).content.decode()
    assert "Kast die ik heb gemaakt" in body and "Van eikenhout." in body
    download = portal_client.get(reverse("portal:portfolio_file", kwargs={"item_id": item.pk}))
    assert download["Content-Type"] == "image/png" and b"".join(download.streaming_content) == PNG
    assert 'filename="kast.png"' in download["Content-Disposition"]
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="aanmaken",
                                     detail="Mijn Koers: portfolio-item toegevoegd").exists()


def test_a_disguised_upload_is_refused_next_to_the_field_and_nothing_is_saved(world, portal_client, settings):
    fake = SimpleUploadedFile("referentie.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    body = _add(portal_client, title="Referentie", file=fake).content.decode()
    assert "De inhoud van het bestand past niet bij de naam (.pdf)" in body
    assert 'id="id_file_error"' in body
    assert not PortfolioItem.objects.exists()
    assert not (settings.MEDIA_ROOT / "portfolio").exists()
    # In Tigrinya the message is in Tigrinya, next to the same field.
    PortalAccount.objects.filter(participant=world.participant).update(language="ti")
    fake.seek(0)
    body = _add(portal_client, title="Referentie", file=fake).content.decode()
    assert 'id="id_file_error"' in body and "past niet bij de naam" not in body
    assert not PortfolioItem.objects.exists()


def test_an_oversized_or_wrong_kind_of_file_is_refused(world, portal_client):
    big = SimpleUploadedFile("brief.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    body = _add(portal_client, title="Brief", file=big).content.decode()
    assert "Het bestand is te groot" in body
    exe = SimpleUploadedFile("foto.exe", b"MZ", content_type="application/octet-stream")
    assert "Dit bestandstype kan niet." in _add(portal_client, title="Foto", file=exe).content.decode()
    assert not PortfolioItem.objects.exists()


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"title": ""}, "title", "Schrijf een titel."),
    ({"title": "x" * 121}, "title", "De titel is te lang"),
    ({"title": "Stage", "description": "y" * 1001}, "description", "De beschrijving is te lang"),
    ({"title": "Stage", "happened_on": "31-02-2026"}, "happened_on", "Deze datum klopt niet"),
    ({"title": "Stage", "happened_on": "3000-01-01"}, "happened_on", "Deze datum klopt niet"),
    ({"title": "Stage", "happened_on": "2099-01-01"}, "happened_on", "Deze datum is nog niet geweest"),
])
def test_bad_input_is_named_next_to_the_field_and_nothing_is_saved(world, portal_client, data, field, message):
    body = _add(portal_client, **data).content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    assert not PortfolioItem.objects.exists()


def _item(world, **kwargs):
    account = PortalAccount.objects.get(participant=world.participant)
    return services.add_item(account=account, title=kwargs.pop("title", "Referentiebrief"), **kwargs)


def test_changing_an_item_and_a_change_from_another_tab_is_not_overwritten(world, portal_client):
    item = _item(world, description="Van de stage.")
    url = reverse("portal:portfolio_edit", kwargs={"item_id": item.pk})
    form = portal_client.get(url).content.decode()
    version = form.split('name="version" value="', 1)[1].split('"', 1)[0]
    # Another tab saves first.
    response = portal_client.post(url, {"title": "Brief van de stage", "description": "", "version": version})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Brief van de stage" and not item.on_cv
    # This tab still has the old version: refused, the input stays, nothing changed.
    body = portal_client.post(url, {"title": "Mijn referentie", "on_cv": "on", "version": version}).content.decode()
    assert "Niet opgeslagen" in body and 'value="Mijn referentie"' in body
    item.refresh_from_db()
    assert item.title == "Brief van de stage"
    # Saving again (the form now carries the current version) is a deliberate overwrite.
    fresh = body.split('name="version" value="', 1)[1].split('"', 1)[0]
    assert portal_client.post(url, {"title": "Mijn referentie", "on_cv": "on", "version": fresh}).status_code == 302
    item.refresh_from_db()
    assert item.title == "Mijn referentie" and item.on_cv


def test_replacing_and_removing_the_file(world, portal_client, settings):
    item = _item(world, upload=SimpleUploadedFile("brief.pdf", PDF))
    first = settings.MEDIA_ROOT / item.file.name
    assert first.exists()
    url = reverse("portal:portfolio_edit", kwargs={"item_id": item.pk})
    portal_client.post(url, {"title": item.title, "on_cv": "on", "file": SimpleUploadedFile("foto.png", PNG)})
    item.refresh_from_db()
    assert item.file_name == "foto.png" and item.file.name.endswith(".png")
    portal_client.post(url, {"title": item.title, "on_cv": "on", "remove_file": "on"})
    item.refresh_from_db()
    assert not item.file and item.file_name == ""


def test_deleting_asks_first_and_removes_the_file(world, portal_client, settings, django_capture_on_commit_callbacks):
    item = _item(world, upload=SimpleUploadedFile("brief.pdf", PDF))
    stored = settings.MEDIA_ROOT / item.file.name
    url = reverse("portal:portfolio_delete", kwargs={"item_id": item.pk})
    assert "Ja, verwijderen" in portal_client.get(url).content.decode()
    assert PortfolioItem.objects.filter(pk=item.pk).exists()  # asking deletes nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert portal_client.post(url).status_code == 302
    assert not PortfolioItem.objects.filter(pk=item.pk).exists() and not stored.exists()
    assert AuditEvent.objects.filter(participant_id=world.participant.pk, action="verwijderen").exists()


def test_another_participants_item_is_404_and_stays_as_it_is(world, portal_client, other_account):
    theirs = services.add_item(account=other_account, title="Samira's stage", upload=SimpleUploadedFile("s.png", PNG))
    for name in ("portal:portfolio_edit", "portal:portfolio_delete", "portal:portfolio_file"):
        url = reverse(name, kwargs={"item_id": theirs.pk})
        assert portal_client.get(url).status_code == 404, name
        assert portal_client.post(url, {"title": "Overschreven"}).status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.title == "Samira's stage" and theirs.file
    assert "Samira" not in portal_client.get(reverse("portal:portfolio")).content.decode()


def test_the_cv_is_dutch_with_the_chosen_contact_and_no_bsn_health_or_origin(world, filled, portal_client,
                                                                             tmp_path):
    PortalAccount.objects.filter(participant=world.participant).update(language="ar")
    _item(world, title="Kast van eikenhout", description="Zelf ontworpen en gemaakt.")
    _item(world, title="Geheim item", on_cv=False)
    response = portal_client.get(reverse("portal:cv"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    text = pdf_text(response.content, tmp_path)
    for expected in ("Nahom Tesfay", "Curriculum vitae", "Talen", "Nederlands", "luisteren B1", "moedertaal",
                     "Werkervaring", "Monteur in opleiding", "Installatiebedrijf Stroom", "Elektricien",
                     "Opleiding en certificaten", "Beroepsopleiding", "Elektrotechniek", "mbo-niveau 3",
                     "VCA-cursus op zaterdag", "VCA Basis", "Heftruckcertificaat", "Kast van eikenhout",
                     "Rijbewijs B", "06-12345678", "nahom@example.org", "Rivierstad"):
        assert expected in text, expected
    for never in ("111222333", "BSN", "Slaapt slecht", "rugklachten", "Eritrea", "statushouder", "uitkering",
                  "proefplaatsing", "Proefplaatsing", "zonder papieren", "Geheim item", "schrijven A0",
                  "Dorpsstraat", "1994"):
        assert never not in text, never
    assert not any("\u0600" <= ch <= "\u06ff" for ch in text), text  # no Arabic: the CV is for an employer
    event = AuditEvent.objects.get(participant_id=world.participant.pk, detail="Mijn Koers: cv (PDF) gedownload",
                                   category="werk")
    assert event.action == "exporteren" and event.legal_basis == "betrokkene"


def test_the_cv_holds_only_the_contact_details_ticked(world, filled, portal_client, tmp_path):
    response = portal_client.get(reverse("portal:cv"), {"cv": "1", "contact": ["adres", "geboortedatum"]})
    text = pdf_text(response.content, tmp_path)
    assert "Dorpsstraat 1" in text and "1234 AB" in text and "17 mei 1994" in text
    assert "06-12345678" not in text and "nahom@example.org" not in text
    response = portal_client.get(reverse("portal:cv"), {"cv": "1", "contact": ["bsn", "nationaliteit"]})
    text = pdf_text(response.content, tmp_path)
    assert "111222333" not in text and "06-12345678" not in text and "Nahom Tesfay" in text


def test_staff_see_the_own_items_read_only_on_the_file(world, account, client_for):
    services.add_item(account=account, title="Foto van mijn laswerk", description="Gemaakt op de stage.")
    detail = reverse("participants:detail", kwargs={"pk": world.participant.pk})
    text = client_for(world.regisseur).get(detail).content.decode()
    panel = text.split('id="portfolio-panel-title"', 1)[1].split("</section>", 1)[0]
    assert "Foto van mijn laswerk" in panel and "Gemaakt op de stage." in panel
    assert "<form" not in panel and "/mijn/" not in panel  # read-only: nothing to change from the file
    # A language teacher, whose access does not cover work data, does not see them.
    teacher = client_for(world.taaldocent).get(detail).content.decode()
    assert "Foto van mijn laswerk" not in teacher


def test_staff_who_read_work_data_open_the_file_of_an_item(world, account, other_account, client_for):
    item = services.add_item(account=account, title="Certificaat heftruck",
                             upload=SimpleUploadedFile("heftruck.pdf", PDF, content_type="application/pdf"))
    detail = reverse("participants:detail", kwargs={"pk": world.participant.pk})
    url = reverse("portal_staff:portfolio_file", kwargs={"pk": world.participant.pk, "item_id": item.pk})
    assert url in client_for(world.regisseur).get(detail).content.decode()
    response = client_for(world.regisseur).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert 'filename="heftruck.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(user=world.regisseur, action=AuditAction.EXPORT, category="werk",
                                     detail__contains=f"portfolio-item {item.pk}").exists()
    # A teacher without work data, another municipality, and Samira's item under Nahom's file: 404.
    assert client_for(world.taaldocent).get(url).status_code == 404
    assert client_for(world.andere_regisseur).get(url).status_code == 404
    samira = services.add_item(account=other_account, title="Haar diploma",
                               upload=SimpleUploadedFile("diploma.pdf", PDF, content_type="application/pdf"))
    foreign = reverse("portal_staff:portfolio_file", kwargs={"pk": world.participant.pk, "item_id": samira.pk})
    assert client_for(world.regisseur).get(foreign).status_code == 404
    without_file = services.add_item(account=account, title="Zonder bestand")
    assert client_for(world.regisseur).get(reverse("portal_staff:portfolio_file", kwargs={
        "pk": world.participant.pk, "item_id": without_file.pk})).status_code == 404


def test_the_demo_portfolios_of_heba_and_nahom(demo_data, client, tmp_path):
    """The demo shows the portfolio: Heba's and Nahom's own items, and a CV from their files."""
    from koers.participants.models import Participant

    for username, on_cv, off_cv in (("heba", "Kassa en inname bij De Schakel", "Open dag hbo Economie"),
                                    ("nahom", "Meegelopen bij een installatiebedrijf",
                                     "Referentie van mijn teamleider")):
        account = PortalAccount.objects.select_related("participant").get(user__username=username)
        client.force_login(account.user)
        body = client.get(reverse("portal:portfolio")).content.decode()
        assert on_cv in body and off_cv in body
        text = pdf_text(client.get(reverse("portal:cv")).content, tmp_path)
        assert account.participant.name in text and on_cv in text and off_cv not in text
        bsn = Participant.objects.get(pk=account.participant_id).bsn
        assert not bsn or bsn not in text
