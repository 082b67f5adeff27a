"""Messages in a real browser: the participant writes on a phone (with a photo of a letter), the regisseur sees it
unread on the caseload, answers, and the participant reads the answer. In each portal language, with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from koers.browser_testing import assert_no_console_errors, assert_no_serious_axe_violations, log_in
from koers.core.tests.factories import PASSWORD
from koers.portal.services import accounts as services

pytestmark = pytest.mark.browser

PORTAL_PASSWORD = "mijn eigen lange wachtwoord"  # noqa: S105 - a test password
#: What the participant types, per language: they may write in their own language.
QUESTION = {"nl": "Ik heb een brief gekregen. Kunt u helpen?", "ar": "وصلتني رسالة. هل يمكنك المساعدة؟",
            "ti": "ደብዳበ በጺሑኒ። ክትሕግዙኒ ትኽእሉ ዶ?", "en": "I got a letter. Can you help?",
            "uk": "Я отримала лист. Чи можете ви допомогти?", "fa": "یک نامه گرفتم. می‌توانید کمک کنید؟"}
TEXTS = {  # the send button and the confirmation, as the participant reads them
    "nl": ("Versturen", "Uw bericht is verstuurd"),
    "ar": ("إرسال", "تم إرسال رسالتك"),
    "ti": ("ስደዱ", "መልእኽትኹም ተላኢኹ"),
    "en": ("Send", "Your message has been sent"),
    "uk": ("Надіслати", "Ваше повідомлення надіслано"),
    "fa": ("ارسال", "پیام شما ارسال شد"),
}


def _check(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language in ("ar", "fa") else "ltr")
    assert_no_serious_axe_violations(page)
    assert_no_console_errors(page)


@pytest.mark.parametrize("language", ["nl", "ar", "ti", "en", "uk", "fa"])
def test_a_message_from_a_phone_is_answered_by_the_regisseur(world, new_page, tmp_path, language):
    new = services.invite(participant=world.participant, by=world.regisseur, language=language)
    checked = services.check_code(username=new.account.user.username, code=new.code)
    services.activate(invitation=checked, password=PORTAL_PASSWORD)
    phone = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    phone.goto(reverse("portal:login"))
    phone.fill("#id_username", new.account.user.username)
    phone.fill("#id_password", PORTAL_PASSWORD)
    phone.locator("form.portal-form", has=phone.locator("#id_password")).locator("[type=submit]").click()
    phone.wait_for_url(f"**{reverse('portal:home')}")
    phone.locator(f".portal-nav a[href='{reverse('portal:messages')}']").click()
    phone.wait_for_url(f"**{reverse('portal:messages')}")
    _check(phone, language)
    send, sent = TEXTS[language]
    # A file that claims to be a PDF but is not: refused next to the field, nothing sent.
    fake = tmp_path / "brief.pdf"
    fake.write_bytes(b"MZ not really a pdf")
    phone.fill("#id_body", QUESTION[language])
    phone.set_input_files("#id_attachment", str(fake))
    phone.get_by_role("button", name=send).click()
    expect(phone.locator("#id_attachment_error")).to_be_visible()
    _check(phone, language)
    letter = tmp_path / "brief-van-duo.pdf"
    letter.write_bytes(b"%PDF-1.4\n% a letter\n")
    phone.fill("#id_body", QUESTION[language])
    phone.set_input_files("#id_attachment", str(letter))
    phone.get_by_role("button", name=send).click()
    phone.wait_for_url(f"**{reverse('portal:messages')}")
    expect(phone.locator(".messages")).to_contain_text(sent)
    expect(phone.locator(".conversation")).to_contain_text(QUESTION[language])

    desk = new_page()
    log_in(desk, world.regisseur.username, PASSWORD)
    desk.goto(reverse("casework:caseload"))
    badge = desk.locator(".caseload__unread")
    expect(badge).to_contain_text("1 nieuw bericht")
    badge.click()
    desk.wait_for_url(f"**{reverse('casework:conversation', kwargs={'pk': world.participant.pk})}")
    expect(desk.locator(".conversation")).to_contain_text(QUESTION[language])
    expect(desk.get_by_role("link", name="Bijlage: brief-van-duo.pdf")).to_be_visible()
    assert_no_serious_axe_violations(desk)
    desk.fill("#id_body", "Neem de brief dinsdag mee, dan lezen we hem samen.")
    desk.get_by_role("button", name="Versturen").click()
    expect(desk.locator(".messages")).to_contain_text("Uw bericht is verstuurd")
    desk.goto(reverse("casework:caseload"))
    expect(desk.locator(".caseload__unread")).to_have_count(0)

    phone.goto(reverse("portal:home"))
    expect(phone.locator(".portal-tile .badge")).to_be_visible()
    phone.goto(reverse("portal:messages"))
    answer = phone.locator(".conversation__message--in").last
    expect(answer).to_contain_text("Neem de brief dinsdag mee")
    assert answer.locator("[lang=nl]").count() >= 1  # staff write Dutch: marked as such inside an ar/ti page
    _check(phone, language)
