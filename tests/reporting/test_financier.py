"""The financier report on the small fixed dataset of conftest.py (``fin_data``): every figure computed by hand.

Period 1 January – 30 June 2026, "today" 30 September 2026. Only clients of the organisation living in Lekkerwaard
count; the ten Zuidmeren clients in run A and the other organisation's client never do.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from koers.accounts.models import Municipality
from koers.groupwork.models import AttendanceStatus, ReferralStatus
from koers.measurement import stats
from koers.reporting.financier import SECTION_KEYS, financier_report, financier_sections, percentile
from koers.reporting.report import SUPPRESSED, Report, Value
from tests.factories import MunicipalityFactory, OrganisationFactory, ProgrammeFactory
from tests.reporting.conftest import FIN_PERIOD, FIN_TODAY, FinData

pytestmark = pytest.mark.django_db
S = SUPPRESSED


def build(data: FinData) -> Report:
    with translation.override("en"):
        return financier_report(data.organisation.pk, data.municipality, FIN_PERIOD, today=FIN_TODAY)


def rows(report: Report, key: str) -> list[list[Value]]:
    table = report.table(key)
    return [*table.rows, *([table.total] if table.total else [])]


def test_funnel_suppresses_the_small_programme_and_a_complement_so_the_total_gives_nothing_away(
    fin_data: FinData,
) -> None:
    # Alfa: 10 started (referred 1 Jan–20 Feb) + 2 waiting (referred 10 June) → referred 12, screened 12, placed 10,
    #   started 10, completed 5 (6 April), dropped out 5 (16 March).
    # Beta: 6 started + 1 waiting → 7, 7, 6, 6, completed 6.  Gamma: 3 started → 3, 3, 3, 3.
    # Totals: 22, 22, 19, 19, 11, 5, 0, 0. Gamma's 3s are withheld; each column's total would give them back, so the
    # cheapest other cell of each column is withheld too: Beta's 7, 7, 6, 6 (Alfa's 12, 12, 10, 10 are larger).
    assert rows(build(fin_data), "funnel") == [
        ["Alfa", 12, 12, 10, 10, 5, 5, 0, 0],
        ["Beta", S, S, S, S, 6, 0, 0, 0],
        ["Gamma", S, S, S, S, 0, 0, 0, 0],
        ["Total", 22, 22, 19, 19, 11, 5, 0, 0],
    ]


def test_offering_copies_the_protected_participants_and_withholds_their_runs(fin_data: FinData) -> None:
    # Participants are the funnel's "started"; a programme whose count is withheld also withholds its runs.
    assert rows(build(fin_data), "offering") == [
        ["Alfa", "Change of mindset", "Iedereen", 1, 10],
        ["Beta", "Knowledge transfer", "", S, S],
        ["Gamma", "Skills", "", S, S],
    ]


def test_attendance_withholds_records_on_small_or_withheld_counts_and_totals_only_what_is_shown(
    fin_data: FinData,
) -> None:
    report = build(fin_data)
    # Alfa: 6 sessions (the 7th cancelled) × 10 participants = 60 records; 5 unexcused and 2 excused → 53 present
    #   (3 late count as present); rate 53/60. The 60 absent records of Zuidmeren's clients are not counted.
    # Beta: 1 session, 6 records, all present: 6 participants, so the rate (6/6) is shown, but its participant count
    #   is withheld in the funnel, so records and present are too (6 records at 1 session would reveal it).
    # Gamma: 2 sessions in the period, 3 participants → 6 records, 5 present: all withheld (fewer than 5 persons).
    # Total: sessions 6 + 1 + 2 = 9; records and present of the rows shown only (Alfa).
    assert rows(report, "attendance") == [
        ["Alfa", 6, 60, 53, 53 / 60],
        ["Beta", 1, S, S, 1.0],
        ["Gamma", 2, S, S, S],
        ["Total", 9, 60, 53, 53 / 60],
    ]
    assert report.table("attendance").note


def test_waiting_time_median_and_90th_percentile_by_nearest_rank(fin_data: FinData) -> None:
    # Alfa days 10,10,20,20,20,30,30,40,50,60: median = first value with ≥ 5 of 10 → 20; p90 = ≥ 9 of 10 → 50.
    # Beta days 7,14,14,21,28,35: median ≥ 3 of 6 → 14; p90 ≥ 5.4 → 6th → 35 (started withheld as in the funnel).
    # Gamma 5,5,5: 3 starts, withheld.
    # All 19: cumulative 5:3, 7:4, 10:6, 14:8, 20:11, 21:12, 28:13, 30:15, 35:16, 40:17, 50:18, 60:19;
    #   median ≥ 9.5 → 20; p90 ≥ 17.1 → 50.
    assert rows(build(fin_data), "waiting") == [
        ["Alfa", 10, 20, 50],
        ["Beta", S, 14, 35],
        ["Gamma", S, S, S],
        ["Total", 19, 20, 50],
    ]


def test_deadlines_met_and_missed_with_row_sum_protection(fin_data: FinData) -> None:
    # Beta deadlines (referral + 21 days): waited 7, 14, 14, 21 → started on or before it (met 4); 28, 35 → missed;
    # the referral of 1 June waits past 22 June → missed: 7 with a deadline, 4 met, 3 missed. 4 and 3 are withheld;
    # in the total row they would follow from the column sums, so they are withheld there too; 7 stays (7 = met +
    # missed tells nothing while both are withheld). The share met rests on withheld counts.
    assert rows(build(fin_data), "deadlines") == [["Beta", 7, S, S, S], ["Total", 7, S, S, S]]


def test_outflow_counts_trajectories_ended_after_a_group_start(fin_data: FinData) -> None:
    # 13 trajectories of Lekkerwaard clients with a group start ended in the period: work 4 full-time + 2 part-time
    # = 6, education 2, other participation 0, other 5 (moved 1, other 3, not recorded 1). Education's 2 is withheld
    # and, against the total 13, the smallest other count (other, 5) as well. Not counted: the Zuidmeren clients'
    # work outflow and a Lekkerwaard trajectory that ended without a group start.
    assert rows(build(fin_data), "outflow") == [
        ["Work (full-time or part-time)", 6, 6 / 13],
        ["Education", S, S],
        ["Other participation", 0, 0.0],
        ["Other, moved or not recorded", S, S],
        ["Total", 13, 1.0],
    ]


def test_effects_pool_only_runs_with_five_measured_participants_of_the_municipality(fin_data: FinData) -> None:
    # Run A: 6 Lekkerwaard participants measured before (20 Feb) and after (20 April); the two Zuidmeren clients
    # measured in the same run are not theirs. Run B: 5 measured; Beta's number of participants is withheld in the
    # funnel, so its n is too (n = 5 of 6 starters would narrow the complement down). Run C: 3 measured, fewer than
    # 5 → left out, so Gamma has no row.
    alfa = stats.pre_post([2, 3, 2, 3, 2, 4], [3, 4, 4, 3, 3, 5])
    beta = stats.pre_post([1, 2, 3, 4, 5], [2, 2, 4, 5, 5])
    assert isinstance(alfa, stats.PrePost)
    assert isinstance(beta, stats.PrePost)
    alfa_g, beta_g = [[r.hedges_g, r.ci_low, r.ci_high] for r in (alfa, beta)]
    table = build(fin_data).table("effects")
    assert [row[:10] for row in table.rows] == [
        [*["Alfa", "Meting", "Zelfvertrouwen", 1, 6, pytest.approx(16 / 6), pytest.approx(22 / 6)], *alfa_g],
        [*["Beta", "Meting", "Zelfvertrouwen", 1, S, pytest.approx(3.0), pytest.approx(3.6)], *beta_g],
    ]


def test_trainer_hours_from_the_time_model_shared_by_participants(fin_data: FinData) -> None:
    # A session of 150 minutes: 2.5 training + 3.0 × 2.5/8 = 0.9375 preparation and reporting + 1.0 set-up and
    # clearing = 4.4375 → 4.44 h; with 30 minutes switching 4.94 h. Run A: 6 sessions (the cancelled 7th not) × (4.94
    # + 4.44) = 56.28 h, half of the 20 participants are Lekkerwaard's → 28.14 h.
    # Beta (1 × 240 min: 4 + 1.5 + 1 + 0.5 = 7.00 h) and Gamma (4 sessions, two after the period) are withheld with
    # their participant counts; their runs too, and their sessions, which are the runs times the protocol's sessions.
    # The total covers Alfa only.
    report = build(fin_data)
    assert rows(report, "hours") == [
        ["Alfa", 1, 6, Decimal("28.14")],
        ["Beta", S, S, S],
        ["Gamma", S, S, S],
        ["Total", None, None, Decimal("28.14")],
    ]
    assert report.table("hours").note


def test_costs_per_participant_with_the_organisations_assumptions(fin_data: FinData, fin_rates: None) -> None:
    # Trainer €80, consultant €60, 45 + 15 minutes per conversation = 1 hour per replaced session.
    # Alfa: 28.14 h × €80 / 10 participants = €225.12; individual 6 sessions × 1 h × €60 = €360.00;
    #   difference €134.88; ratio 360 / 225.12.
    # Beta: individual 1 × €60; Gamma: 4 × €60; their group figures rest on withheld counts.
    report = build(fin_data)
    assert rows(report, "costs") == [
        ["Alfa", 10, Decimal("225.12"), Decimal("360.00"), Decimal("134.88"), pytest.approx(360 / 225.12)],
        ["Beta", S, S, Decimal("60.00"), S, S],
        ["Gamma", S, S, Decimal("240.00"), S, S],
    ]
    assert [value for _label, value in report.assumptions] == ["€80.00", "€60.00", "45", "15"]


def test_other_municipalities_and_organisations_never_count(fin_data: FinData) -> None:
    # Seen from Zuidmeren: its 10 clients in run A (all started after 15 days, none ended), nothing else.
    with translation.override("en"):
        report = financier_report(fin_data.organisation.pk, fin_data.other_municipality, FIN_PERIOD, today=FIN_TODAY)
    assert rows(report, "funnel") == [["Alfa", 10, 10, 10, 10, 0, 0, 0, 0], ["Total", 10, 10, 10, 10, 0, 0, 0, 0]]
    # The other organisation's client, programme "Elders" and run appear in no section.
    assert all(row[0] != "Elders" for section in build(fin_data).sections for t in section.tables for row in t.rows)


def test_a_municipality_of_another_organisation_is_refused(fin_data: FinData) -> None:
    foreign: Municipality = MunicipalityFactory(organisation=OrganisationFactory(name="Elders BV"))
    with pytest.raises(ValueError, match="not served"):
        financier_report(fin_data.organisation.pk, foreign, FIN_PERIOD, today=FIN_TODAY)


def test_progress_after_each_section(fin_data: FinData) -> None:
    steps: list[tuple[int, int]] = []
    financier_report(
        fin_data.organisation.pk,
        fin_data.municipality,
        FIN_PERIOD,
        today=FIN_TODAY,
        progress=lambda done, total, _label: steps.append((done, total)),
    )
    assert steps == [(done, len(SECTION_KEYS)) for done in range(1, len(SECTION_KEYS) + 1)]


def test_one_section_alone_gives_the_same_table(fin_data: FinData) -> None:
    with translation.override("en"):
        alone = financier_sections(
            ["costs"], fin_data.organisation.pk, fin_data.municipality, FIN_PERIOD, today=FIN_TODAY
        )
    assert [s.key for s in alone.sections] == ["costs"]
    assert alone.table("costs").rows == build(fin_data).table("costs").rows


def _queries(data: FinData) -> int:
    municipality = Municipality.objects.get(pk=data.municipality.pk)
    with CaptureQueriesContext(connection) as context:
        financier_report(data.organisation.pk, municipality, FIN_PERIOD, today=FIN_TODAY)
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_data(fin_data: FinData) -> None:
    before = _queries(fin_data)
    # More of everything: five more starters in run A with attendance and measurements, a fourth programme with a
    # referral.
    for _index in range(5):
        participation = fin_data.start(
            fin_data.client(), "alfa", "A", waited=12, status=ReferralStatus.COMPLETED, ended=datetime.date(2026, 4, 6)
        )
        fin_data.attend(participation, [AttendanceStatus.PRESENT] * 6)
        fin_data.measure(participation.client, 3, 4, run="A")
    fin_data.programmes["delta"] = ProgrammeFactory(organisation=fin_data.organisation, name="Delta")
    fin_data.referral(fin_data.client(), "delta", datetime.date(2026, 2, 1))
    assert _queries(fin_data) == before == 18


def test_percentile_is_the_first_value_reaching_the_fraction() -> None:
    histogram = [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert percentile(histogram, 1, 2) == 2  # 2 of 4 reach one half
    assert percentile(histogram, 9, 10) == 4
    assert percentile([], 1, 2) is None


def test_charts_draw_the_funnel_total_and_both_costs_with_withheld_bars_marked(
    fin_data: FinData, fin_rates: None
) -> None:
    report = build(fin_data)
    funnel_svg = report.section("funnel").charts[0].svg
    # Totals from referred to completed: 22, 22, 19, 19, 11 (see the funnel test), each printed at its bar.
    for printed in (">22<", ">19<", ">11<"):
        assert printed in funnel_svg
    costs_svg = report.section("costs").charts[0].svg
    # Alfa's group €225.12 and individual €360.00 are drawn; Beta's and Gamma's group cost is withheld: "x", no bar.
    assert "€225.12" in costs_svg
    assert "€360.00" in costs_svg
    assert "Beta: group" in costs_svg
    assert costs_svg.count(">x<") == 2
