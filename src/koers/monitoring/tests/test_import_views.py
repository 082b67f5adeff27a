"""The web import: upload → preview → confirm, and who may use it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koers.core.codes import Role
from koers.core.tests.factories import make_user
from koers.monitoring.models import ImportRun, Programme, Project, Trajectory
from koers.monitoring.services.imports import import_projects
from koers.monitoring.views.imports import SESSION_KEY
from koers.synthetic import nbnb


def csv_file(rows, columns, name="bestand.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, nbnb.to_csv(rows, columns).encode(), content_type="text/csv")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "imports"


@pytest.fixture
def programme(world):
    data = nbnb.to_csv(nbnb.project_rows(), nbnb.PROJECT_COLUMNS).encode()
    assert import_projects(data, "p.csv", programme_code="nbnb", owner=world.gemeente).applied
    return Programme.objects.get(code="nbnb")


def url(name="monitoring:import", **kwargs):
    return reverse(name, kwargs={"code": "nbnb", **kwargs})


def upload(client, kind, file):
    response = client.post(url(), {"kind": kind, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response.url.rstrip("/").rsplit("/", 1)[-1]
    return response, token


def test_projects_upload_preview_confirm(world, programme, client_for, media):
    client = client_for(world.beheerder)
    page = client.get(url())
    assert page.status_code == 200
    assert "Recente imports" in page.content.decode() and "p.csv" in page.content.decode()
    rows = nbnb.project_rows()
    rows[0]["naam"] = "De KIM (nieuw)"
    rows.append(rows[1] | {"code": "extra", "naam": "Extra project", "organisatie": "Nieuwe Stichting"})
    response, token = upload(client, "projecten", csv_file(rows, nbnb.PROJECT_COLUMNS))
    assert response.url == url("monitoring:import_preview", token=token)
    assert (media / token).is_file()
    preview = client.get(response.url)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Nieuw</dt><dd>1</dd>" in html and "Bijgewerkt</dt><dd>8</dd>" in html
    assert "Nieuwe Stichting" in html and "wordt aangemaakt" in html
    assert "De KIM (nieuw)" in html  # the first rows as a table
    assert Project.objects.get(code="kim").name == "De KIM"  # the preview changes nothing
    done = client.post(url("monitoring:import_confirm", token=token))
    assert done.status_code == 302 and done.url == url()
    assert Project.objects.get(code="kim").name == "De KIM (nieuw)"
    assert Project.objects.filter(programme=programme).count() == 9
    assert not (media / token).exists()
    assert token not in client.session.get(SESSION_KEY, {})
    run = ImportRun.objects.filter(kind="projects").first()
    assert (run.user, run.created, run.updated) == (world.beheerder, 1, 8)
    page = client.get(done.url).content.decode()
    assert "is geïmporteerd: 1 projecten nieuw, 8 bijgewerkt" in page
    # the token is spent: going back shows a message, not the file
    again = client.get(url("monitoring:import_preview", token=token))
    assert again.status_code == 302


def test_participants_with_errors_preview_and_partial_confirm(world, programme, client_for):
    client = client_for(world.beheerder)
    rows = nbnb.participant_rows()
    rows[5]["uitstroom"] = "werk"
    _, token = upload(client, "deelnemers", csv_file(rows, nbnb.COLUMNS, "deelnemers.csv"))
    html = client.get(url("monitoring:import_preview", token=token)).content.decode()
    assert "Het bestand bevat fouten" in html
    assert "<td>7</td><td><code>uitstroom</code></td><td>&#x27;werk&#x27; is geen geldige code; gebruik een van: " \
           "betaald_werk" in html
    assert "Nieuw</dt><dd>394</dd>" in html
    assert "import-sample__bad" in html  # line 7 is among the first 20 rows, marked
    # confirming without choosing "only valid rows" imports nothing
    response = client.post(url("monitoring:import_confirm", token=token))
    assert response.status_code == 200 and "er is niets geïmporteerd" in response.content.decode()
    assert not Trajectory.objects.exists()
    response = client.post(url("monitoring:import_confirm", token=token), {"partial": "on"})
    assert response.status_code == 302
    assert Trajectory.objects.filter(programme=programme).count() == 394


def test_participants_clean_file_imports_all(world, programme, client_for):
    client = client_for(world.beheerder)
    _, token = upload(client, "deelnemers", csv_file(nbnb.participant_rows(), nbnb.COLUMNS))
    html = client.get(url("monitoring:import_preview", token=token)).content.decode()
    assert "Nieuw</dt><dd>395</dd>" in html and "Het bestand bevat fouten" not in html
    assert html.count("<th scope=\"row\">") == 20
    assert client.post(url("monitoring:import_confirm", token=token)).status_code == 302
    assert Trajectory.objects.filter(programme=programme).count() == 395


def test_header_error_cannot_be_applied(world, programme, client_for):
    client = client_for(world.beheerder)
    columns = [*nbnb.COLUMNS, "geslact"]
    rows = [r | {"geslact": ""} for r in nbnb.participant_rows()[:3]]
    _, token = upload(client, "deelnemers", csv_file(rows, columns))
    html = client.get(url("monitoring:import_preview", token=token)).content.decode()
    assert "Importeren bevestigen" not in html and "bedoelt u" in html
    client.post(url("monitoring:import_confirm", token=token), {"partial": "on"})
    assert not Trajectory.objects.exists()


def test_cancel_deletes_the_file(world, programme, client_for, media):
    client = client_for(world.beheerder)
    _, token = upload(client, "projecten", csv_file(nbnb.project_rows(), nbnb.PROJECT_COLUMNS))
    assert client.post(url("monitoring:import_cancel", token=token)).status_code == 302
    assert not (media / token).exists()


def test_upload_checks_extension_and_kind(world, programme, client_for):
    client = client_for(world.beheerder)
    bad = SimpleUploadedFile("deelnemers.xls", b"\xd0\xcf\x11\xe0", content_type="application/vnd.ms-excel")
    response = client.post(url(), {"kind": "deelnemers", "file": bad})
    assert response.status_code == 200
    assert "Kies een CSV- of XLSX-bestand" in response.content.decode()
    response = client.post(url(), {"file": csv_file(nbnb.project_rows(), nbnb.PROJECT_COLUMNS)})
    assert "Kies of u projecten of deelnemers importeert" in response.content.decode()


def test_upload_size_limit(world, programme, client_for, monkeypatch):
    monkeypatch.setattr("koers.monitoring.forms.imports.MAX_BYTES", 100)
    client = client_for(world.beheerder)
    response = client.post(url(), {"kind": "projecten", "file": csv_file(nbnb.project_rows(),
                                                                          nbnb.PROJECT_COLUMNS)})
    assert response.status_code == 200 and "groter dan" in response.content.decode()


def test_token_of_another_user_is_not_usable(world, programme, client, media):
    other = make_user(world.gemeente, Role.PROJECTLEIDER, username="pl")
    client.force_login(world.beheerder)
    _, token = upload(client, "projecten", csv_file(nbnb.project_rows(), nbnb.PROJECT_COLUMNS))
    client.logout()
    client.force_login(other)
    assert client.get(url("monitoring:import")).status_code == 200  # a projectleider may import ...
    response = client.post(url("monitoring:import_confirm", token=token))
    assert response.status_code == 302 and response.url == url()  # ... but not someone else's upload
    assert (media / token).is_file()
    client.post(url("monitoring:import_cancel", token=token))  # not theirs to cancel either
    assert (media / token).is_file()


@pytest.mark.parametrize("who", ["regisseur", "partner", "andere_gemeente", "andere_projectleider"])
def test_others_get_404(world, programme, client_for, who):
    if who == "partner":
        Project.objects.filter(code="kim").update(organisation=world.reintegratie)
        user = world.begeleider
    elif who == "andere_projectleider":
        user = make_user(world.andere_gemeente, Role.PROJECTLEIDER, username="pl2")
    elif who == "andere_gemeente":
        user = world.andere_regisseur
    else:
        user = world.regisseur  # the owner's regisseur sees the programme but does not manage it
    client = client_for(user)
    assert client.get(url()).status_code == 404
    file = csv_file(nbnb.project_rows(), nbnb.PROJECT_COLUMNS)
    assert client.post(url(), {"kind": "projecten", "file": file}).status_code == 404
    assert client.get(url("monitoring:import_preview", token="abc")).status_code == 404
    assert client.post(url("monitoring:import_confirm", token="abc")).status_code == 404


def test_unknown_programme_is_404(world, client_for):
    assert client_for(world.beheerder).get(reverse("monitoring:import", kwargs={"code": "bestaat-niet"})) \
        .status_code == 404
