"""The participant's portfolio: what they have done and learned, gathered from the file, and their own items.

Read with the participant's own grant (``access.own_grant()``: never special-category data), each part only
when the grant covers its category. The CV is built from the same ``Portfolio``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F
from django.http import Http404

from koers.activities.models import Enrolment
from koers.core import access, labels, uploads
from koers.core.access import Grant
from koers.core.codes import (
    Category,
    DiplomaValuation,
    EducationLevel,
    EnrolmentStatus,
    LanguageTestSource,
    language_name,
)
from koers.participants.models import LanguageAssessment, Participant, WorkExperience
from koers.portal.models import PortfolioItem
from koers.portal.rules import portfolio as rules
from koers.work.models import Placement, WorkProfile


@dataclass(frozen=True)
class Education:
    """Codes, not labels: the page shows the labels in the participant's language, the CV in Dutch."""

    level_code: str
    field: str
    valuation_code: str
    valuation_result: str

    @property
    def level(self) -> str:
        return rules.plain(rules.EDUCATION_LEVEL, self.level_code)

    @property
    def valuation(self) -> str:
        return rules.plain(rules.DIPLOMA_VALUATION, self.valuation_code)


@dataclass(frozen=True)
class Certificate:
    name: str
    source: str  # the course it came with, or ""
    on: date | None = None


@dataclass(frozen=True)
class Course:
    title: str
    provider: str
    kind: str
    start: date
    end: date | None
    certificate: str

    @property
    def kind_label(self) -> str:
        return labels.plain(labels.ACTIVITY_KIND, self.kind)


@dataclass(frozen=True)
class Job:
    title: str
    employer: str
    kind: str
    start: date
    end: date | None

    @property
    def kind_label(self) -> str:
        return rules.placement_kind(self.kind)


@dataclass
class Portfolio:
    participant: Participant
    education: Education | None = None
    levels: list = field(default_factory=list)
    exams: list = field(default_factory=list)
    own_languages: list[str] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    work_history: list = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    driving_licence: bool = False
    items: list[PortfolioItem] = field(default_factory=list)
    categories: set = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not (self.education or self.exams or self.certificates or self.courses or self.work_history
                    or self.jobs or self.items or any(lvl.level not in rules.NO_LEVEL for lvl in self.levels))


def items(participant: Participant) -> list[PortfolioItem]:
    """The participant's own items, newest date first (items without a date after those with one)."""
    return list(PortfolioItem.objects.filter(participant=participant)
                .order_by(F("happened_on").desc(nulls_last=True), "-created_at", "-id"))


def item_or_404(participant: Participant, item_id) -> PortfolioItem:
    """One of the participant's own items; another participant's id (or nonsense) is a 404."""
    item_id = access.safe_id(item_id)
    item = PortfolioItem.objects.filter(participant=participant, pk=item_id).first() if item_id else None
    if item is None:
        raise Http404
    return item


def download_name(item: PortfolioItem) -> str:
    """The name a file is downloaded under: the one the participant gave it, unless its extension is not the
    stored file's (then ``portfolio-<id>.<ext>``)."""
    ext = uploads.extension(item.file.name)
    return item.file_name if uploads.extension(item.file_name) == ext else f"portfolio-{item.pk}.{ext}"


def _education(p: Participant) -> Education | None:
    level = "" if p.education_level == EducationLevel.ONBEKEND else p.education_level
    valuation = "" if p.diploma_valuation == DiplomaValuation.ONBEKEND else p.diploma_valuation
    if not (level or p.education_field or valuation or p.diploma_valuation_result):
        return None
    return Education(level, p.education_field, valuation, p.diploma_valuation_result)


def gather(participant: Participant, grant: Grant | None = None) -> Portfolio:
    """Everything of the portfolio the grant covers (the participant's own grant by default)."""
    grant = grant or access.own_grant()
    p = participant
    result = Portfolio(participant=p, categories={Category.IDENTITY})
    if Category.LANGUAGE in grant.read:
        result.categories.add(Category.LANGUAGE)
        result.education = _education(p)
        result.levels = rules.levels({skill: p.level(skill) for skill in rules.SKILL})
        result.exams = list(LanguageAssessment.objects.filter(participant=p, source=LanguageTestSource.EXAMEN)
                            .order_by("-tested_on", "-id"))
    result.own_languages = [language_name(code) for code in p.languages or []]
    if Category.TRAJECTORY in grant.read:
        result.categories.add(Category.TRAJECTORY)
        done = (Enrolment.objects.filter(participant=p, status=EnrolmentStatus.AFGEROND)
                .select_related("activity__provider"))
        result.courses = sorted(
            (Course(e.activity.title, e.activity.provider.name, e.activity.kind, e.start_date, e.end_date,
                    e.activity.certificate)
             for e in done),
            key=lambda c: (c.end or c.start), reverse=True)
        result.certificates += [Certificate(c.certificate, c.title, c.end) for c in result.courses if c.certificate]
    if Category.WORK in grant.read:
        result.categories.add(Category.WORK)
        result.work_history = list(WorkExperience.objects.filter(participant=p).order_by("id"))
        result.jobs = [
            Job(pl.job_title, pl.employer.name, pl.kind, pl.start_date, pl.ended_on)
            for pl in Placement.objects.counting().filter(participant=p).select_related("employer")
            .order_by("-start_date", "-id")
        ]
        profile = WorkProfile.objects.filter(participant=p).prefetch_related("certificates").first()
        if profile is not None:
            result.driving_licence = profile.driving_licence == "ja"
            held = {c.name for c in result.certificates}
            result.certificates += [Certificate(c.name, "") for c in profile.certificates.all() if c.name not in held]
        result.items = items(p)
    return result


def staff_panel(participant: Participant, grant: Grant) -> dict:
    """The participant's own portfolio items on their file, read-only, for staff who may read work data."""
    if Category.WORK not in grant.read:
        return {"show": False}
    return {"show": True, "items": items(participant)}
