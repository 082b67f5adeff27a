"""Own-language labels for the printed week card. Dutch is always shown; the participant's own language next
to it where a translation exists (start: English and Arabic). Add a language by adding a column to LABELS and
KIND_LABELS; a missing entry falls back to Dutch only.

Texts are short and plain (A2 level), since a week card is read by the participant and their family.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from koers.core.codes import ActivityKind

#: Languages written right to left (ISO 639 codes as Koers stores them).
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "pbu", "ps", "ckb", "ur", "he", "apc", "arz", "ary"})

LABELS: dict[str, dict[str, str]] = {
    "title": {"nl": "Weekrooster", "en": "Weekly schedule", "ar": "الجدول الأسبوعي"},
    "week": {"nl": "week", "en": "week", "ar": "الأسبوع"},
    "ma": {"nl": "maandag", "en": "Monday", "ar": "الاثنين"},
    "di": {"nl": "dinsdag", "en": "Tuesday", "ar": "الثلاثاء"},
    "wo": {"nl": "woensdag", "en": "Wednesday", "ar": "الأربعاء"},
    "do": {"nl": "donderdag", "en": "Thursday", "ar": "الخميس"},
    "vr": {"nl": "vrijdag", "en": "Friday", "ar": "الجمعة"},
    "za": {"nl": "zaterdag", "en": "Saturday", "ar": "السبت"},
    "zo": {"nl": "zondag", "en": "Sunday", "ar": "الأحد"},
    "o": {"nl": "ochtend", "en": "morning", "ar": "الصباح"},
    "m": {"nl": "middag", "en": "afternoon", "ar": "بعد الظهر"},
    "a": {"nl": "avond", "en": "evening", "ar": "المساء"},
    "fixed": {"nl": "vaste les", "en": "fixed lesson", "ar": "درس ثابت"},
    "nothing": {"nl": "Geen activiteiten", "en": "No activities", "ar": "لا توجد أنشطة"},
    "free": {"nl": "vrij", "en": "free", "ar": "حر"},
}

KIND_LABELS: dict[str, dict[str, str]] = {
    ActivityKind.TAAL_FORMEEL: {"en": "Dutch course", "ar": "دورة اللغة الهولندية"},
    ActivityKind.TAAL_PRAKTIJK: {"en": "Practical Dutch", "ar": "اللغة الهولندية العملية"},
    ActivityKind.TAALCOACHING: {"en": "Language coach", "ar": "مدرب اللغة"},
    ActivityKind.THEMA_EIGEN_TAAL: {"en": "Meeting in your own language", "ar": "لقاء بلغتك"},
    ActivityKind.TRAINING_WERKNEMER: {"en": "Skills for work", "ar": "مهارات العمل"},
    ActivityKind.TRAINING_SOLLICITATIE: {"en": "Applying for jobs", "ar": "التقدم للوظائف"},
    ActivityKind.TRAINING_ARBEIDSMARKT: {"en": "The Dutch job market", "ar": "سوق العمل في هولندا"},
    ActivityKind.TRAINING_CULTUUR: {"en": "Dutch work culture", "ar": "ثقافة العمل في هولندا"},
    ActivityKind.GEZONDHEID_SPORT: {"en": "Health and sport", "ar": "الصحة والرياضة"},
    ActivityKind.FINANCIEN: {"en": "Money matters", "ar": "الشؤون المالية"},
    ActivityKind.DIGITAAL: {"en": "Computer skills", "ar": "مهارات الحاسوب"},
    ActivityKind.VAKSCHOLING: {"en": "Vocational training", "ar": "تدريب مهني"},
    ActivityKind.CERTIFICERING: {"en": "Course with certificate", "ar": "دورة مع شهادة"},
    ActivityKind.WERKERVARING: {"en": "Work experience", "ar": "خبرة عمل"},
    ActivityKind.VRIJWILLIGERSWERK: {"en": "Volunteer work", "ar": "عمل تطوعي"},
    ActivityKind.STAGE: {"en": "Internship", "ar": "تدريب عملي"},
    ActivityKind.BEDRIJFSBEZOEK: {"en": "Company visit", "ar": "زيارة شركة"},
    ActivityKind.EXCURSIE: {"en": "Trip", "ar": "رحلة"},
    ActivityKind.BUDDY: {"en": "Buddy", "ar": "رفيق"},
    ActivityKind.OVERIG: {"en": "Other", "ar": "أخرى"},
}

SUPPORTED = frozenset({"en", "ar"})


@dataclass(frozen=True)
class Label:
    """A Dutch label and, where available, the same label in the participant's language."""

    nl: str
    own: str = ""
    lang: str = ""

    @property
    def rtl(self) -> bool:
        return self.lang in RTL_LANGUAGES

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def __str__(self) -> str:
        return f"{self.nl} / {self.own}" if self.own else self.nl


def own_language(languages: Sequence[str] | None) -> str | None:
    """The first of the participant's languages Koers has week-card labels for (None: Dutch only)."""
    for code in languages or ():
        if code in SUPPORTED:
            return code
    return None


def label(key: str, lang: str | None) -> Label:
    texts = LABELS[key]
    own = texts.get(lang, "") if lang and lang != "nl" else ""
    return Label(texts["nl"], own, lang or "")


def kind_label(kind: str, lang: str | None) -> Label:
    nl = ActivityKind(kind).label if kind in ActivityKind.values else kind
    own = KIND_LABELS.get(kind, {}).get(lang, "") if lang and lang != "nl" else ""
    return Label(nl, own, lang or "")
