"""Reads of the school's SEN offer: report versions, the live facts the report quotes, and where the
school stands on its governance duties. Nothing here returns a pupil: these feed the public page
and the governors' dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from pupils.codes import NEED_AREA, Area, NeedType
from pupils.models import PupilNeed
from pupils.provision.models import Provision
from sendadmin.access import get_visible_or_404
from sendadmin.accounts.models import School

from .deadlines import QualificationCheck, senco_qualification_check
from .models import Governance, InformationReport, SencoDesignation
from .rules import school_records_visible_q


def report_list_for(user: Any) -> QuerySet[InformationReport]:
    return InformationReport.objects.filter(school_records_visible_q(user)).order_by("-number")


def report_get_for_user_or_404(user: Any, pk: Any) -> InformationReport:
    return get_visible_or_404(report_list_for(user).select_related("school"), pk=pk)


def designation_get_for_user_or_404(user: Any, pk: Any) -> SencoDesignation:
    return get_visible_or_404(
        SencoDesignation.objects.filter(school_records_visible_q(user)), pk=pk
    )


def published_report(school: School) -> InformationReport | None:
    return (
        InformationReport.objects.filter(school=school, status=InformationReport.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def current_sencos(school_id: int, today: dt.date) -> list[SencoDesignation]:
    return list(
        SencoDesignation.objects.filter(school_id=school_id, became_senco_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .order_by("became_senco_on", "pk")
    )


def qualification_check(designation: SencoDesignation, today: dt.date) -> QualificationCheck:
    return senco_qualification_check(
        became_senco=designation.became_senco_on,
        prior_senco_months=designation.prior_senco_months,
        qualification=designation.qualification,
        started=designation.qualification_started_on,
        completed=designation.qualification_completed_on,
        today=today,
    )


def report_live_data(school: School, today: dt.date) -> dict[str, Any]:
    """The facts the report quotes from the school's records, as plain JSON (frozen at publication).

    - kinds_of_sen: the broad areas of need (CoP 6.28) the school makes provision for, from its
      provision catalogue and the needs on its register, as area names only: no counts, so a rare
      need cannot point to a child.
    - provision_catalogue: the active provision's name, area and description.
    - senco: each current SENCO's name, e-mail and telephone (Sch 1 para 4).
    - iass and local_offer: from the LA's details (Sch 1 paras 11 and 13).
    - accessibility_plan: its date and next review (CFA s.69(3)(b)).
    """
    provisions = list(
        Provision.objects.filter(school=school, active=True)
        .order_by("area", "name")
        .values("name", "area", "description")
    )
    need_codes = set(
        PupilNeed.objects.filter(pupil__school=school, pupil__leaving_date__isnull=True)
        .values_list("code", flat=True)
        .distinct()
    )
    areas = {p["area"] for p in provisions} | {NEED_AREA[NeedType(c)] for c in need_codes}
    area_labels = dict(Area.choices)
    la = school.local_authority
    governance = Governance.objects.filter(school=school).first()
    return {
        "as_at": today.isoformat(),
        "kinds_of_sen": [
            area_labels[a] for a, _ in Area.choices if a in areas and a != Area.UNCATEGORISED
        ],
        "provision_catalogue": [
            {
                "name": p["name"],
                "area": area_labels.get(p["area"], p["area"]),
                "description": p["description"],
            }
            for p in provisions
        ],
        "senco": [
            {"name": d.name, "email": d.email, "phone": d.phone}
            for d in current_sencos(school.pk, today)
        ],
        "iass": {
            "name": la.iass_name,
            "phone": la.iass_phone,
            "email": la.iass_email,
            "url": la.iass_url,
        },
        "local_offer": {"la": la.name, "url": la.local_offer_url},
        "accessibility_plan": {
            "agreed_on": _iso(governance.accessibility_plan_on if governance else None),
            "review_on": _iso(governance.accessibility_plan_review_on if governance else None),
        },
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def live_section_filled(key: str, live: dict[str, Any]) -> bool:
    """Whether the live facts alone give a section content (offer.sections.Section.live)."""
    value = live.get(key)
    if key in ("kinds_of_sen", "provision_catalogue", "senco"):
        return bool(value)
    if key == "iass":
        return bool(value and (value.get("name") and (value.get("phone") or value.get("email"))))
    if key == "local_offer":
        return bool(value and value.get("url"))
    if key == "accessibility_plan":
        return bool(value and value.get("agreed_on"))
    return False


@dataclass(frozen=True)
class OfferCompliance:
    """Where one school stands on its offer duties, for the dashboards (no pupil data)."""

    report_published_on: dt.date | None
    report_review_due: dt.date | None
    report_overdue: bool
    report_draft_number: int | None
    sencos: list[tuple[SencoDesignation, QualificationCheck]]
    governance: Governance | None

    @property
    def has_senco(self) -> bool:
        return bool(self.sencos)

    @property
    def senco_compliant(self) -> bool:
        return bool(self.sencos) and all(check.compliant for _, check in self.sencos)


def offer_compliance(school: School, today: dt.date) -> OfferCompliance:
    from .deadlines import information_report_review_due

    published = published_report(school)
    draft = InformationReport.objects.filter(
        school=school, status=InformationReport.Status.DRAFT
    ).first()
    due = (
        information_report_review_due(published.published_on)
        if published and published.published_on
        else None
    )
    return OfferCompliance(
        report_published_on=published.published_on if published else None,
        report_review_due=due,
        report_overdue=due is None or due < today,
        report_draft_number=draft.number if draft else None,
        sencos=[(d, qualification_check(d, today)) for d in current_sencos(school.pk, today)],
        governance=Governance.objects.filter(school=school).first(),
    )
