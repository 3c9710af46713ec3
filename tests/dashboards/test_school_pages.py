"""The school dashboard's pages: governors see suppressed counts and no drill-down; leaders see
exact counts and drill down (audited); no parameter switches school; the governors' report PDF
downloads; and the dashboard's queries do not grow with the school (issue 7 parts 3 and 4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pupils.codes import NeedType, SenProvision
from pupils.models import Pupil, PupilNeed, SenStatus
from sendadmin.accounts.models import AuditEvent
from sendadmin.clocks.kinds import Kind
from tests.conftest import World, client_for
from tests.factories import ClockFactory, PupilFactory, PupilNeedFactory
from tests.factories.dates import TODAY

DASHBOARD = "dashboards:school"
PDF = "dashboards:governors-report-pdf"


def _drill(metric: str, key: str) -> str:
    return f"{reverse('dashboards:school-drill', kwargs={'metric': metric})}?key={key}"


def _plans(world: World, n: int = 3) -> list[Pupil]:
    return [
        PupilFactory(school=world.school, ehc_plan=True, legal_last_name=f"Planholder{i}")
        for i in range(n)
    ]


def test_governors_see_fewer_than_5_and_no_drill_down(world: World) -> None:
    _plans(world)
    for persona in ("governor", "sen_link_governor"):
        client = client_for(world.users[persona])
        html = client.get(reverse(DASHBOARD)).content.decode()
        assert "fewer than 5" in html
        assert "/dashboard/school/status/" not in html
        assert "Planholder" not in html
        assert client.get(_drill("status", "E")).status_code == 403
        assert client.get(_drill("overdue", Kind.ANNUAL_REVIEW)).status_code == 403


def test_leaders_see_exact_counts_and_drill_down_to_the_named_pupils(world: World) -> None:
    _plans(world)
    for persona in ("head", "senior_leader", "senco"):
        client = client_for(world.users[persona])
        html = client.get(reverse(DASHBOARD)).content.decode()
        assert "fewer than 5" not in html.split('"fewer than 5".</div>', 1)[1]
        assert 'href="/dashboard/school/status/?key=E"' in html
        drilled = client.get(_drill("status", "E"))
        assert drilled.status_code == 200
        text = drilled.content.decode()
        assert text.count("Planholder") == 3
        assert reverse("pupils:pupil-detail", args=[world.pupil.pk]) not in text  # K, not E
    events = AuditEvent.objects.filter(action="dashboards.drill_down.viewed")
    assert events.count() == 3
    assert events.first().data == {"metric": "status", "key": "E", "page": 1}  # type: ignore[union-attr]


def test_drill_down_of_overdue_names_the_pupil_and_the_person_responsible(world: World) -> None:
    ClockFactory(
        pupil=world.pupil,
        kind=Kind.PARENTS_TOLD,
        overdue=True,
        responsible_user=world.users["senco"],
    )
    client = client_for(world.users["head"])
    html = client.get(reverse(DASHBOARD)).content.decode()
    link = _drill("overdue", Kind.PARENTS_TOLD)
    assert f'href="{link}"' in html
    text = client.get(link).content.decode()
    assert world.pupil.display_name in text
    assert world.users["senco"].full_name in text


def test_drill_down_refuses_unknown_metrics_and_keys(world: World) -> None:
    client = client_for(world.users["senco"])
    assert client.get(_drill("status", "X")).status_code == 404
    assert client.get(_drill("year", "nine")).status_code == 404
    assert client.get(_drill("pupils", "E")).status_code == 404
    assert client.get(_drill("overdue", Kind.FINAL_PLAN)).status_code == 404


def test_drill_down_pages_by_50_keeping_the_key(world: World) -> None:
    PupilFactory.create_batch(55, school=world.school, ehc_plan=True)
    client = client_for(world.users["senco"])
    first = client.get(_drill("status", "E")).content.decode()
    assert "Page 1 of 2" in first
    assert "?key=E&amp;page=2" in first
    assert "55 pupils" in first


def test_a_request_naming_another_school_gets_the_users_own_school_with_a_notice(
    world: World,
) -> None:
    riverside = world.second_school
    for i in range(7):
        PupilFactory(school=riverside, ehc_plan=True, legal_last_name=f"Riversider{i}")
    for persona in ("governor", "head"):
        client = client_for(world.users[persona])
        for query in (
            f"?school={riverside.pk}",
            f"?urn={riverside.urn}",
            f"?school_id={riverside.pk}",
        ):
            html = client.get(reverse(DASHBOARD) + query).content.decode()
            assert "You can only see the dashboard of your own school" in html
            assert world.school.name in html
            assert riverside.name not in html
            assert ">7<" not in html  # Riverside's seven plans
    head = client_for(world.users["head"])
    html = head.get(_drill("status", "E") + f"&school={riverside.pk}").content.decode()
    assert "You can only see your own school's pupils" in html
    assert "Riversider" not in html
    # Naming one's own school is no notice.
    own = head.get(reverse(DASHBOARD) + f"?school={world.school.pk}").content.decode()
    assert "You can only see the dashboard" not in own
    pdf = head.get(reverse(PDF) + f"?school={riverside.pk}")
    assert pdf.status_code == 200
    assert f"-{world.school.urn}-" in pdf["Content-Disposition"]


def test_the_governors_report_downloads_as_a_pdf_and_is_audited(world: World) -> None:
    response = client_for(world.users["governor"]).get(reverse(PDF))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        f"sen-report-to-governors-{world.school.urn}-{TODAY.isoformat()}.pdf"
        in (response["Content-Disposition"])
    )
    assert AuditEvent.objects.filter(
        action="dashboards.governors_report.downloaded", actor=world.users["governor"]
    ).exists()


def test_charts_are_hidden_svg_beside_tables_with_no_style_attributes(world: World) -> None:
    PupilNeedFactory(pupil=world.pupil, code=NeedType.SLCN)
    html = client_for(world.users["head"]).get(reverse(DASHBOARD)).content.decode()
    assert html.count("<svg") >= 5
    assert html.count('aria-hidden="true" focusable="false"') == html.count("<svg")
    assert html.count("<table") >= html.count("<svg")
    assert "style=" not in html
    assert "<script>" not in html


def _bulk_school(world: World, n: int) -> None:
    """n pupils at the home school: a third on SEN support, a tenth on plans, with statuses since
    two years ago, primary needs, and a clock each."""
    start = Pupil.objects.count()
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=world.school,
            upn=f"Z{start + i:012d}",
            legal_first_name="Bulk",
            legal_last_name=f"Pupil{start + i}",
            date_of_birth=dt.date(2016, 1, 1),
            year_group=i % 7,
            admission_date=dt.date(2022, 9, 1),
            sen_provision=(
                SenProvision.EHC_PLAN
                if i % 10 == 0
                else SenProvision.SEN_SUPPORT
                if i % 3 == 0
                else SenProvision.NO_SEN
            ),
        )
        for i in range(n)
    )
    with_sen = [p for p in pupils if p.sen_provision != SenProvision.NO_SEN]
    codes = list(NeedType.values)
    SenStatus.objects.bulk_create(
        SenStatus(pupil=p, provision=p.sen_provision, start=TODAY - dt.timedelta(days=730))
        for p in with_sen
    )
    PupilNeed.objects.bulk_create(
        PupilNeed(pupil=p, rank=1, code=codes[i % len(codes)]) for i, p in enumerate(with_sen)
    )
    for p in with_sen[:3]:
        ClockFactory(pupil=p, kind=Kind.SEN_SUPPORT_REVIEW, overdue=True)


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_makes_the_same_queries_for_200_pupils_and_for_2000(world: World) -> None:
    clients = {p: client_for(world.users[p]) for p in ("head", "governor")}
    _bulk_school(world, 198)  # with Amara and Ben: 200
    urls = [reverse(DASHBOARD), _drill("status", "K"), _drill("overdue", Kind.SEN_SUPPORT_REVIEW)]
    for url in urls:
        _queries(clients["head"], url)  # warms the per-process caches
    few = {url: _queries(clients["head"], url) for url in urls}
    _queries(clients["governor"], reverse(DASHBOARD))
    few_governor = _queries(clients["governor"], reverse(DASHBOARD))
    _bulk_school(world, 1800)
    assert Pupil.objects.filter(school=world.school).count() == 2000
    many = {url: _queries(clients["head"], url) for url in urls}
    assert few == many
    assert few_governor == _queries(clients["governor"], reverse(DASHBOARD))


def test_the_dashboard_shows_the_reports_and_the_sencos_compliance_and_the_costs(
    world: World,
) -> None:
    from decimal import Decimal

    from tests.factories import (
        GovernanceFactory,
        InformationReportFactory,
        NotionalSenBudgetFactory,
        ProvisionAssignmentFactory,
        SencoDesignationFactory,
    )

    InformationReportFactory(school=world.school, published=True)
    SencoDesignationFactory(
        school=world.school, name="Priya Senco", became_senco_on=TODAY - dt.timedelta(days=1200)
    )
    GovernanceFactory(school=world.school)
    # 3 x 30 minutes at 15.00 an hour shared by 6: 3.75 a week, 142.50 a year for each pupil.
    ProvisionAssignmentFactory(pupil=world.pupil)
    NotionalSenBudgetFactory(school=world.school, amount=Decimal("100.00"))
    html = client_for(world.users["governor"]).get(reverse(DASHBOARD)).content.decode()
    published = TODAY - dt.timedelta(days=30)
    assert f"{published:%-d %B %Y}" in html
    assert "Priya Senco" in html
    assert "The qualification had to be held from" in html  # over three years, not started
    assert "Action needed" in html
    assert "Tunde Adeyemi" in html
    assert "£142.50" in html
    assert "£42.50 over budget" in html
    assert f'href="{reverse("offer:governance")}"' in html
    assert f'href="{reverse("offer:report-list")}"' in html
