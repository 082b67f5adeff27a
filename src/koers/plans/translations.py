"""The short own-language summary of the plan PDF: the fixed texts of its template, per language.

Simple wording (about A2 level). Only the template is translated: what staff typed in the plan (goals, steps,
agreements) stays in Dutch, and the summary says so. Add a language by adding a dict with the same keys; the
PDF uses the participant's first language that has one (``summary_languages``).
"""

from __future__ import annotations

from koers.core.codes import ActionStatus, LifeDomain

D = LifeDomain

KEYS = (
    "lang", "dir", "name", "title", "intro", "dutch_note", "question", "long_term_goal", "goals", "domain", "steps",
    "who", "due", "status", "agreements", "you", "signed", "not_signed", "none", "version",
)

SUMMARIES: dict[str, dict] = {
    "ar": {
        "lang": "ar",
        "dir": "rtl",
        "name": "العربية",
        "title": "ملخص خطتك",
        "intro": "هذا ملخص قصير لخطتك. الخطة الرسمية مكتوبة باللغة الهولندية.",
        "dutch_note": "الأهداف والخطوات والاتفاقات مكتوبة باللغة الهولندية، كما كتبها الموظف.",
        "question": "هل عندك سؤال؟ اسأل موظف البلدية الذي يتابع ملفك. يمكنك أن تطلب مترجمًا.",
        "long_term_goal": "هدفك للمستقبل",
        "goals": "أهدافك",
        "domain": "المجال",
        "steps": "الخطوات",
        "who": "من يفعل ذلك",
        "due": "الموعد",
        "status": "الحالة",
        "agreements": "الاتفاقات",
        "you": "أنت",
        "signed": "تم التوقيع على الخطة بتاريخ",
        "not_signed": "هذه الخطة مسودة. لم يتم التوقيع عليها بعد.",
        "none": "لا يوجد",
        "version": "النسخة",
        "domains": {
            D.PARTICIPATIE: "المشاركة والعمل",
            D.COMMUNICATIE_TAAL: "التواصل واللغة",
            D.ONDERWIJS: "التعليم",
            D.SOCIAAL_NETWERK: "العلاقات الاجتماعية",
            D.FINANCIEN: "المال",
            D.KENNIS_NL: "المعرفة عن هولندا",
            D.HUISVESTING: "السكن",
            D.HUISELIJKE_RELATIES: "العلاقات في البيت",
            D.OPVOEDING: "تربية الأطفال ورعايتهم",
            D.GEESTELIJKE_GEZONDHEID: "الصحة النفسية",
            D.LICHAMELIJKE_GEZONDHEID: "صحة الجسم",
            D.DAGELIJKS_LEVEN: "الحياة اليومية",
        },
        "goal_status": {"open": "لم يبدأ بعد", "bezig": "نعمل عليه", "behaald": "تم", "vervallen": "ملغى"},
        "step_status": {
            ActionStatus.OPEN: "لم يبدأ بعد", ActionStatus.BEZIG: "نعمل عليه", ActionStatus.AFGEROND: "تم",
            ActionStatus.VERVALLEN: "ملغى",
        },
    },
    "en": {
        "lang": "en",
        "dir": "ltr",
        "name": "English",
        "title": "Summary of your plan",
        "intro": "This is a short summary of your plan. The official plan is in Dutch.",
        "dutch_note": "The goals, steps and agreements are in Dutch, as the staff member wrote them.",
        "question": "Do you have a question? Ask your contact person at the municipality. You can ask for an "
                    "interpreter.",
        "long_term_goal": "Your goal for the future",
        "goals": "Your goals",
        "domain": "Area",
        "steps": "Steps",
        "who": "Who does it",
        "due": "Date",
        "status": "Status",
        "agreements": "Agreements",
        "you": "You",
        "signed": "The plan was signed on",
        "not_signed": "This plan is a draft. It is not signed yet.",
        "none": "None",
        "version": "Version",
        "domains": {
            D.PARTICIPATIE: "Taking part and work",
            D.COMMUNICATIE_TAAL: "Communication and language",
            D.ONDERWIJS: "Education",
            D.SOCIAAL_NETWERK: "Friends and contacts",
            D.FINANCIEN: "Money",
            D.KENNIS_NL: "Knowing the Netherlands",
            D.HUISVESTING: "Housing",
            D.HUISELIJKE_RELATIES: "Family and home",
            D.OPVOEDING: "Children and childcare",
            D.GEESTELIJKE_GEZONDHEID: "Mental health",
            D.LICHAMELIJKE_GEZONDHEID: "Physical health",
            D.DAGELIJKS_LEVEN: "Daily life",
        },
        "goal_status": {"open": "Not started", "bezig": "Working on it", "behaald": "Done", "vervallen": "Cancelled"},
        "step_status": {
            ActionStatus.OPEN: "Not started", ActionStatus.BEZIG: "Working on it", ActionStatus.AFGEROND: "Done",
            ActionStatus.VERVALLEN: "Cancelled",
        },
    },
}


def summary_languages(languages: list[str] | None) -> list[dict]:
    """The summaries to add for a participant: their first own language that has a translation.

    Dutch speakers get none. When none of their languages has a translation, there is no summary (English is
    not assumed)."""
    for code in languages or []:
        if code == "nl":
            return []
        if code in SUMMARIES:
            return [SUMMARIES[code]]
    return []
