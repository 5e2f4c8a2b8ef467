"""The financier report against hand-written PostgreSQL for the same figures: the whole report, and each heavy
section.

Each SQL function returns the section's figures as ``{name: value}``, unsuppressed; ``figures`` reads the same names
from the built report and leaves out what the report withholds ("x"), so every name the report gives is one the
SQL gives. Names use what the database holds (programme, questionnaire and scale names), never translated labels.
Numbers are floats rounded to 6 decimals on both sides. The effect sizes themselves (Hedges' g and its interval) come
from ``measurement.stats`` and have no SQL counterpart: the effects case compares the pairing (runs, n, means).
"""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from bench.reports.cases import Case, Context
from koers.accounts.models import Municipality
from koers.reporting.financier import financier_report, financier_sections
from koers.reporting.report import Report, Suppressed, Table, Value

Figures = dict[str, Any]


def _number(value: Any) -> Any:
    return round(float(value), 6) if isinstance(value, int | float | Decimal) else value


def _rows(sql: str, context: Context) -> list[tuple[Any, ...]]:
    params: dict[str, Any] = {
        "organisation": context.organisation_id,
        "municipality": context.municipality_id,
        "start": context.period.start,
        "end": context.period.end,
        "today": timezone.localdate(),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The organisation's referrals of clients living in the municipality, in the organisation's programmes.
REFERRALS = """
    refs AS (
        SELECT r.*, p.name AS programme
        FROM groupwork_referral r
        JOIN clients_client c ON c.id = r.client_id
        JOIN groupwork_programme p ON p.id = r.programme_id
        WHERE c.organisation_id = %(organisation)s AND c.municipality_id = %(municipality)s
          AND p.organisation_id = %(organisation)s
    )
"""


def _keyed(prefix: str, rows: Iterable[tuple[Any, ...]], columns: Iterable[str]) -> Figures:
    """Rows of (label, value, …) as {prefix.label.column: value}; a None label is the total."""
    names = list(columns)
    found: Figures = {}
    for label, *values in rows:
        for column, value in zip(names, values, strict=True):
            if value is not None:
                found[f"{prefix}.{label if label is not None else 'total'}.{column}"] = _number(value)
    return found


def _read(table: Table, prefix: str, columns: Iterable[str], *, with_total: bool = True) -> Figures:
    """The same names from a report table (the first column is the label), withheld cells left out."""
    keys = [column.key for column in table.columns]
    found: Figures = {}
    labelled = [(row[0], row) for row in table.rows]
    if with_total and table.total is not None:
        labelled.append(("total", table.total))
    for label, row in labelled:
        for column in columns:
            value: Value = row[keys.index(column)]
            if value is not None and not isinstance(value, Suppressed):
                found[f"{prefix}.{label}.{column}"] = _number(value)
    return found


# --- Funnel ---------------------------------------------------------------------------------------------------------

FUNNEL_COLUMNS = ("referred", "screened", "placed", "started", "completed", "dropped_out", "withdrawn", "declined")
FUNNEL = f"""
    WITH {REFERRALS}
    SELECT programme,
           count(*) FILTER (WHERE referred_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE screened_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE placed_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE started_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE status = 'completed' AND ended_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE status = 'dropped_out' AND ended_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE status = 'withdrawn' AND ended_on BETWEEN %(start)s AND %(end)s),
           count(*) FILTER (WHERE status = 'declined' AND ended_on BETWEEN %(start)s AND %(end)s)
    FROM refs
    GROUP BY GROUPING SETS ((programme), ())
"""  # noqa: S608 (constant SQL parts joined; values are bound by the driver)


def funnel_sql(context: Context) -> Figures:
    return _keyed("funnel", _rows(FUNNEL, context), FUNNEL_COLUMNS)


def funnel_figures(report: Report) -> Figures:
    return _read(report.table("funnel"), "funnel", FUNNEL_COLUMNS)


# --- Attendance -----------------------------------------------------------------------------------------------------

ATTENDANCE = """
    SELECT p.name,
           count(DISTINCT a.session_id),
           count(*),
           count(*) FILTER (WHERE a.status IN ('present', 'late')),
           count(*) FILTER (WHERE a.status IN ('present', 'late'))::float / count(*)
    FROM groupwork_attendance a
    JOIN groupwork_session s ON s.id = a.session_id
    JOIN groupwork_grouprun g ON g.id = s.group_run_id
    JOIN groupwork_programme p ON p.id = g.programme_id
    JOIN groupwork_participation pa ON pa.id = a.participation_id
    JOIN clients_client c ON c.id = pa.client_id
    WHERE c.organisation_id = %(organisation)s AND c.municipality_id = %(municipality)s
      AND p.organisation_id = %(organisation)s AND NOT s.is_cancelled
      AND s.date BETWEEN %(start)s AND LEAST(%(end)s::date, %(today)s::date)
    GROUP BY GROUPING SETS ((p.name), ())
"""
ATTENDANCE_COLUMNS = ("sessions", "records", "present", "rate")


def attendance_sql(context: Context) -> Figures:
    return _keyed("attendance", _rows(ATTENDANCE, context), ATTENDANCE_COLUMNS)


def attendance_figures(report: Report) -> Figures:
    table = report.table("attendance")
    # With a programme withheld, the total covers the rows shown only: then only the sessions total is comparable.
    found = _read(table, "attendance", ATTENDANCE_COLUMNS, with_total=not table.note)
    if table.note and table.total is not None:
        found["attendance.total.sessions"] = _number(table.total[1])
    return found


# --- Waiting time and deadlines -------------------------------------------------------------------------------------

WAITING = f"""
    WITH {REFERRALS}
    SELECT programme, count(*),
           percentile_disc(0.5) WITHIN GROUP (ORDER BY started_on - referred_on),
           percentile_disc(0.9) WITHIN GROUP (ORDER BY started_on - referred_on)
    FROM refs
    WHERE started_on BETWEEN %(start)s AND %(end)s
    GROUP BY GROUPING SETS ((programme), ())
"""  # noqa: S608 (constant SQL parts joined; values are bound by the driver)
DEADLINES = f"""
    WITH {REFERRALS}
    SELECT programme, count(*),
           count(*) FILTER (WHERE started_on <= deadline),
           count(*) FILTER (WHERE started_on IS NULL OR started_on > deadline)
    FROM refs
    WHERE deadline BETWEEN %(start)s AND LEAST(%(end)s::date, %(today)s::date - 1)
      AND NOT (started_on IS NULL AND ended_on IS NOT NULL AND ended_on <= deadline)
    GROUP BY GROUPING SETS ((programme), ())
"""  # noqa: S608 (constant SQL parts joined; values are bound by the driver)


def waiting_sql(context: Context) -> Figures:
    return {
        **_keyed("waiting", _rows(WAITING, context), ("started", "median", "p90")),
        **_keyed("deadlines", _rows(DEADLINES, context), ("with_deadline", "met", "missed")),
    }


def waiting_figures(report: Report) -> Figures:
    return {
        **_read(report.table("waiting"), "waiting", ("started", "median", "p90")),
        **_read(report.table("deadlines"), "deadlines", ("with_deadline", "met", "missed")),
    }


# --- Outflow --------------------------------------------------------------------------------------------------------

OUTFLOW = """
    SELECT CASE WHEN t.outflow_reason IN ('work_full_time', 'work_part_time') THEN 'work'
                WHEN t.outflow_reason IN ('education', 'other_participation') THEN t.outflow_reason
                ELSE 'other' END AS category,
           count(*)
    FROM trajectories_trajectory t
    JOIN clients_client c ON c.id = t.client_id
    WHERE c.organisation_id = %(organisation)s AND c.municipality_id = %(municipality)s
      AND t.ended_on BETWEEN %(start)s AND %(end)s
      AND EXISTS (SELECT 1 FROM groupwork_referral r JOIN trajectories_instrument i ON i.id = r.instrument_id
                  WHERE i.trajectory_id = t.id AND r.started_on IS NOT NULL)
    GROUP BY GROUPING SETS ((1), ())
"""
OUTFLOW_ORDER = ("work", "education", "other_participation", "other")


def outflow_sql(context: Context) -> Figures:
    counts = {category or "total": count for category, count in _rows(OUTFLOW, context)}
    return {f"outflow.{category}": _number(counts.get(category, 0)) for category in (*OUTFLOW_ORDER, "total")}


def outflow_figures(report: Report) -> Figures:
    table = report.table("outflow")
    labelled = [*zip(OUTFLOW_ORDER, table.rows, strict=True), ("total", table.total or [])]
    return {
        f"outflow.{category}": _number(row[1])
        for category, row in labelled
        if row and row[1] is not None and not isinstance(row[1], Suppressed)
    }


# --- Effects --------------------------------------------------------------------------------------------------------

EFFECTS = """
    WITH params AS (
        SELECT COALESCE((SELECT group_window_days FROM measurement_measurementpolicy
                         WHERE organisation_id = %(organisation)s), 42) AS w
    ),
    spans AS (
        SELECT s.group_run_id, g.programme_id, min(s.date) AS first, max(s.date) AS last
        FROM groupwork_session s
        JOIN groupwork_grouprun g ON g.id = s.group_run_id
        JOIN groupwork_programme p ON p.id = g.programme_id
        WHERE NOT s.is_cancelled AND p.organisation_id = %(organisation)s AND g.status IN ('completed', 'cancelled')
        GROUP BY s.group_run_id, g.programme_id
    ),
    runs AS (
        SELECT spans.*, params.w FROM spans, params
        WHERE first BETWEEN %(start)s AND %(end)s AND %(today)s::date >= last + w + 1
    ),
    members AS (
        SELECT pa.id, pa.client_id, runs.*
        FROM groupwork_participation pa
        JOIN runs ON runs.group_run_id = pa.group_run_id
        JOIN clients_client c ON c.id = pa.client_id
        LEFT JOIN groupwork_referral r ON r.id = pa.referral_id
        WHERE c.organisation_id = %(organisation)s AND c.municipality_id = %(municipality)s
          AND (r.started_on IS NOT NULL OR EXISTS (
              SELECT 1 FROM groupwork_attendance a
              WHERE a.participation_id = pa.id AND a.status IN ('present', 'late')))
          AND (pa.left_on IS NULL OR pa.left_on >= runs.first)
    ),
    pairs AS (
        SELECT members.programme_id, members.group_run_id, q.id AS questionnaire_id,
            (SELECT m.id FROM measurement_measurement m
             JOIN trajectories_trajectory t ON t.id = m.trajectory_id
             JOIN measurement_questionnaireversion v ON v.id = m.version_id
             WHERE t.client_id = members.client_id AND v.questionnaire_id = q.id AND m.status = 'completed'
               AND m.taken_on BETWEEN members.first - members.w AND members.first
               AND COALESCE(m.completed_at, m.created_at)
                   < ((members.last + members.w + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
             ORDER BY m.taken_on DESC, m.id DESC LIMIT 1) AS pre,
            (SELECT m.id FROM measurement_measurement m
             JOIN trajectories_trajectory t ON t.id = m.trajectory_id
             JOIN measurement_questionnaireversion v ON v.id = m.version_id
             WHERE t.client_id = members.client_id AND v.questionnaire_id = q.id AND m.status = 'completed'
               AND m.taken_on BETWEEN members.last AND members.last + members.w
               AND COALESCE(m.completed_at, m.created_at)
                   < ((members.last + members.w + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
             ORDER BY m.taken_on, m.id LIMIT 1) AS post
        FROM members
        CROSS JOIN measurement_questionnaire q
        WHERE q.organisation_id = %(organisation)s
    ),
    scores AS (
        SELECT pairs.programme_id, pairs.group_run_id, pairs.questionnaire_id, sc.code,
               before.score AS pre, after.score AS post
        FROM pairs
        JOIN measurement_scalescore before ON before.measurement_id = pairs.pre
        JOIN measurement_scale sc ON sc.id = before.scale_id
        JOIN measurement_scalescore after ON after.measurement_id = pairs.post
        JOIN measurement_scale sc_after ON sc_after.id = after.scale_id AND sc_after.code = sc.code
        WHERE pairs.pre <> pairs.post
    ),
    counted AS (
        SELECT * FROM (
            SELECT scores.*,
                   count(*) OVER (PARTITION BY programme_id, group_run_id, questionnaire_id, code) AS in_run
            FROM scores
        ) AS sized
        WHERE in_run >= 5
    ),
    names AS (
        SELECT DISTINCT ON (v.questionnaire_id, sc.code) v.questionnaire_id, sc.code, q.name AS questionnaire,
               sc.name AS scale
        FROM measurement_scale sc
        JOIN measurement_questionnaireversion v ON v.id = sc.version_id
        JOIN measurement_questionnaire q ON q.id = v.questionnaire_id
        ORDER BY v.questionnaire_id, sc.code, v.number DESC
    )
    SELECT p.name || '.' || names.questionnaire || '.' || names.scale,
           count(DISTINCT counted.group_run_id), count(*), avg(counted.pre), avg(counted.post)
    FROM counted
    JOIN groupwork_programme p ON p.id = counted.programme_id
    JOIN names USING (questionnaire_id, code)
    GROUP BY 1
    HAVING count(*) >= 5
"""
EFFECT_COLUMNS = ("runs", "n", "mean_pre", "mean_post")


def effects_sql(context: Context) -> Figures:
    return _keyed("effects", _rows(EFFECTS, context), EFFECT_COLUMNS)


def effects_figures(report: Report) -> Figures:
    table = report.table("effects")
    keys = [column.key for column in table.columns]
    return {
        f"effects.{row[0]}.{row[1]}.{row[2]}.{column}": _number(row[keys.index(column)])
        for row in table.rows
        for column in EFFECT_COLUMNS
    }


# --- Trainer hours and costs ----------------------------------------------------------------------------------------

HOURS = f"""
    WITH {REFERRALS},
    runs AS (SELECT DISTINCT group_run_id FROM refs WHERE started_on BETWEEN %(start)s AND %(end)s),
    shares AS (
        SELECT pa.group_run_id,
               count(*) FILTER (WHERE c.organisation_id = %(organisation)s
                                  AND c.municipality_id = %(municipality)s)::numeric / count(*) AS share
        FROM groupwork_participation pa
        JOIN clients_client c ON c.id = pa.client_id
        WHERE pa.group_run_id IN (SELECT group_run_id FROM runs)
        GROUP BY pa.group_run_id
    ),
    sessions AS (
        SELECT s.id, s.group_run_id, g.programme_id, extract(epoch FROM s.ends_at - s.starts_at) / 3600 AS training
        FROM groupwork_session s
        JOIN groupwork_grouprun g ON g.id = s.group_run_id
        WHERE s.group_run_id IN (SELECT group_run_id FROM runs) AND NOT s.is_cancelled
    ),
    trainer_sessions AS (
        SELECT sessions.programme_id, shares.share,
               round((sessions.training
                      + (p.prep_hours + p.materials_hours + p.arrangements_hours + p.report_hours)
                        * LEAST(sessions.training / 8, 1)
                      + p.setup_hours + p.clearing_hours
                      + COALESCE(tp.switching_minutes, 0) / 60.0)::numeric, 2) AS hours
        FROM sessions
        JOIN groupwork_grouprun_trainers gt ON gt.grouprun_id = sessions.group_run_id
        LEFT JOIN groupwork_trainerprofile tp ON tp.user_id = gt.user_id
        JOIN groupwork_programme p ON p.id = sessions.programme_id
        JOIN shares ON shares.group_run_id = sessions.group_run_id
    ),
    attributed AS (
        SELECT programme_id, round(sum(hours * share), 2) AS hours FROM trainer_sessions GROUP BY programme_id
    ),
    counts AS (
        SELECT programme_id, count(DISTINCT group_run_id) AS runs, count(*) AS sessions
        FROM sessions GROUP BY programme_id
    ),
    started AS (
        SELECT programme_id, count(*) AS participants FROM refs
        WHERE started_on BETWEEN %(start)s AND %(end)s GROUP BY programme_id
    ),
    rates AS (
        SELECT COALESCE(max(trainer_hourly_rate), 78.00) AS trainer_rate,
               COALESCE(max(consultant_hourly_rate), 78.00) AS consultant_rate,
               COALESCE(max(individual_minutes_per_session), 60) + COALESCE(max(individual_overhead_minutes), 15)
                   AS minutes
        FROM reporting_costassumptions WHERE organisation_id = %(organisation)s
    )
    SELECT p.name, counts.runs, counts.sessions, COALESCE(attributed.hours, 0), started.participants,
           round(COALESCE(attributed.hours, 0) * rates.trainer_rate / started.participants, 2),
           round(p.session_count * rates.minutes / 60.0 * rates.consultant_rate, 2)
    FROM counts
    JOIN groupwork_programme p ON p.id = counts.programme_id
    JOIN started ON started.programme_id = counts.programme_id
    LEFT JOIN attributed ON attributed.programme_id = counts.programme_id
    CROSS JOIN rates
"""  # noqa: S608 (constant SQL parts joined; values are bound by the driver)


def hours_sql(context: Context) -> Figures:
    found: Figures = {}
    for name, runs, sessions, hours, participants, group, individual in _rows(HOURS, context):
        found |= {
            f"hours.{name}.runs": _number(runs),
            f"hours.{name}.sessions": _number(sessions),
            f"hours.{name}.hours": _number(hours),
            f"costs.{name}.participants": _number(participants),
            f"costs.{name}.group": _number(group),
            f"costs.{name}.individual": _number(individual),
        }
    return found


def hours_figures(report: Report) -> Figures:
    return {
        **_read(report.table("hours"), "hours", ("runs", "sessions", "hours"), with_total=False),
        **_read(report.table("costs"), "costs", ("participants", "group", "individual"), with_total=False),
    }


# --- Cases ----------------------------------------------------------------------------------------------------------

SECTIONS = {
    "funnel": (("funnel",), funnel_sql, funnel_figures),
    "attendance": (("attendance",), attendance_sql, attendance_figures),
    "waiting": (("waiting",), waiting_sql, waiting_figures),
    "effects": (("effects",), effects_sql, effects_figures),
    "hours": (("hours", "costs"), hours_sql, hours_figures),
}


def _municipality(context: Context) -> Municipality:
    return Municipality.objects.select_related("organisation").get(pk=context.municipality_id)


def _build_sections(keys: tuple[str, ...]) -> Callable[[Context], Report]:
    def build(context: Context) -> Report:
        return financier_sections(keys, context.organisation_id, _municipality(context), context.period)

    return build


def _whole_sql(context: Context) -> Figures:
    found: Figures = {}
    for _keys, sql, _figures in SECTIONS.values():
        found |= sql(context)
    return found | outflow_sql(context)


def _whole_figures(report: Report) -> Figures:
    found: Figures = {}
    for _keys, _sql, figures in SECTIONS.values():
        found |= figures(report)
    return found | outflow_figures(report)


CASES: list[Case] = [
    Case(
        "financier",
        lambda context: financier_report(context.organisation_id, _municipality(context), context.period),
        _whole_sql,
        _whole_figures,
    ),
    *(
        Case(f"financier.{name}", _build_sections(keys), sql, figures, breakdown=True)
        for name, (keys, sql, figures) in SECTIONS.items()
    ),
]
