"""The management report against hand-written PostgreSQL for the same figures: the whole report, and each section.

Each SQL function returns every figure of its section as ``{name: value}``; ``figures`` reads the same names from
the built report and leaves out what the report withholds ("x"), so the two agree on the names both give. Names
use what the database holds (team, programme and room names, ISO dates) or fixed keys (the trainer groups and
utilisation bands), never translated labels. Numbers are floats rounded to 6 decimals on both sides.
"""

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import connection

from bench.reports.cases import Case, Context
from koers.reporting.management_report import NO_HOURS, UTILISATION_BANDS, management_report, month_ends
from koers.reporting.report import Report, Suppressed, Table, Value

Figures = dict[str, Any]


def _number(value: Any) -> Any:
    return round(float(value), 6) if isinstance(value, int | float | Decimal) else value


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _params(context: Context) -> dict[str, Any]:
    return {"organisation": context.organisation_id, "start": context.period.start, "end": context.period.end}


# Month ends within the period, the latest 36 (or the period's last day when it holds none), oldest first.
MONTH_ENDS = """
    month_ends AS (
        SELECT day FROM (
            SELECT (month + interval '1 month - 1 day')::date AS day
            FROM generate_series(date_trunc('month', %(start)s::date), %(end)s::date, interval '1 month') AS month
        ) AS ends WHERE day <= %(end)s ORDER BY day DESC LIMIT 36
    ),
    points AS (
        SELECT day FROM month_ends UNION ALL SELECT %(end)s::date WHERE NOT EXISTS (SELECT 1 FROM month_ends)
    )
"""

WORKING_DAYS = """
    SELECT count(*) FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS day
    WHERE extract(isodow FROM day) < 6
"""

# Sessions of the organisation's programmes in the period, not cancelled, of runs not cancelled.
HELD = """
    held AS (
        SELECT s.*, g.programme_id,
               (extract(epoch FROM s.ends_at - s.starts_at) / 60)::int AS minutes
        FROM groupwork_session s
        JOIN groupwork_grouprun g ON g.id = s.group_run_id
        JOIN groupwork_programme p ON p.id = g.programme_id
        WHERE p.organisation_id = %(organisation)s AND s.date BETWEEN %(start)s AND %(end)s
          AND NOT s.is_cancelled AND g.status <> 'cancelled'
    )
"""


# --- Caseload -----------------------------------------------------------------------------------------------------

CASELOAD = """
    WITH caseloads AS (
        SELECT u.id AS consultant_id,
               (SELECT count(*) FROM clients_client c
                WHERE c.consultant_id = u.id AND c.organisation_id = %(organisation)s) AS clients
        FROM accounts_user u
        WHERE u.organisation_id = %(organisation)s AND u.is_active
          AND EXISTS (SELECT 1 FROM accounts_roleassignment r WHERE r.user_id = u.id AND r.role = 'consultant')
    ),
    in_teams AS (
        SELECT t.id AS team_id, t.name AS team, cl.consultant_id, cl.clients
        FROM accounts_team t
        JOIN accounts_user_teams ut ON ut.team_id = t.id
        JOIN caseloads cl ON cl.consultant_id = ut.user_id
        WHERE t.organisation_id = %(organisation)s
    )
    SELECT t.name, count(it.consultant_id), coalesce(sum(it.clients), 0), avg(it.clients), min(it.clients),
           max(it.clients)
    FROM accounts_team t LEFT JOIN in_teams it ON it.team_id = t.id
    WHERE t.organisation_id = %(organisation)s
    GROUP BY t.id, t.name
    UNION ALL
    SELECT NULL, count(*), coalesce(sum(clients), 0), avg(clients), min(clients), max(clients)
    FROM caseloads WHERE consultant_id IN (SELECT consultant_id FROM in_teams)
"""


def caseload_sql(context: Context) -> Figures:
    found: Figures = {}
    for team, consultants, clients, mean, fewest, most in _rows(CASELOAD, _params(context)):
        prefix = f"caseload/{team or 'total'}"
        found[f"{prefix}/consultants"] = consultants
        found[f"{prefix}/clients"] = clients
        if consultants:
            found.update({f"{prefix}/mean": mean, f"{prefix}/min": fewest, f"{prefix}/max": most})
            found[f"{prefix}/spread"] = most - fewest
    return {name: _number(value) for name, value in found.items()}


def caseload_figures(report: Report) -> Figures:
    columns = ["consultants", "clients", "mean", "min", "max", "spread"]
    return _read(report.table("caseload"), lambda label: f"caseload/{label}", columns)


# --- Waiting list -------------------------------------------------------------------------------------------------

WAITING = f"""
    WITH {MONTH_ENDS},
    counts AS (
        SELECT p.name AS programme, e.day, count(r.id) AS waiting
        FROM points e
        CROSS JOIN groupwork_programme p
        LEFT JOIN groupwork_referral r
          ON r.programme_id = p.id AND r.referred_on <= e.day
         AND (r.placed_on IS NULL OR r.placed_on > e.day) AND (r.ended_on IS NULL OR r.ended_on > e.day)
        WHERE p.organisation_id = %(organisation)s
        GROUP BY p.id, p.name, e.day
    )
    SELECT programme, day, waiting FROM counts
    WHERE programme IN (SELECT programme FROM counts GROUP BY programme HAVING max(waiting) > 0)
"""  # noqa: S608 - constant fragments; values are bound by the driver

MEDIAN = f"""
    WITH {MONTH_ENDS}
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (SELECT max(day) FROM points) - r.referred_on), count(*)
    FROM groupwork_referral r
    JOIN groupwork_programme p ON p.id = r.programme_id
    WHERE p.organisation_id = %(organisation)s AND r.referred_on <= (SELECT max(day) FROM points)
      AND (r.placed_on IS NULL OR r.placed_on > (SELECT max(day) FROM points))
      AND (r.ended_on IS NULL OR r.ended_on > (SELECT max(day) FROM points))
"""  # noqa: S608 - constant fragments; values are bound by the driver


def waiting_sql(context: Context) -> Figures:
    found: Figures = {}
    totals: dict[str, int] = {}
    for programme, day, waiting in _rows(WAITING, _params(context)):
        found[f"waiting/{day.isoformat()}/{programme}"] = waiting
        totals[day.isoformat()] = totals.get(day.isoformat(), 0) + waiting
    found.update({f"waiting/{day}/total": waiting for day, waiting in totals.items()})
    [(median, waiting_at_last)] = _rows(MEDIAN, _params(context))
    found["waiting/median/waiting"] = waiting_at_last
    if waiting_at_last:
        found["waiting/median/days"] = median
    return {name: _number(value) for name, value in found.items()}


def waiting_figures(report: Report) -> Figures:
    table = report.table("waiting")
    days = [day.isoformat() for day in month_ends(report.period)]
    found: Figures = {}
    for day, row in zip(days, table.rows, strict=True):
        for column, value in zip(table.columns[1:], row[1:], strict=True):
            name = "total" if column.key == "total" else column.label
            _put(found, f"waiting/{day}/{name}", value)
    [[_day, waiting, days_waiting]] = report.table("waiting_median").rows
    _put(found, "waiting/median/waiting", waiting)
    _put(found, "waiting/median/days", days_waiting)
    return found


# --- Rooms --------------------------------------------------------------------------------------------------------

ROOMS = f"""
    WITH {HELD},
    per_room AS (
        SELECT room_id, count(*) AS sessions, sum(minutes) AS minutes,
               count(*) FILTER (WHERE attendance_recorded_at IS NOT NULL) AS recorded
        FROM held GROUP BY room_id
    ),
    present AS (
        SELECT h.room_id, count(*) AS present
        FROM held h JOIN groupwork_attendance a ON a.session_id = h.id
        WHERE h.attendance_recorded_at IS NOT NULL AND a.status IN ('present', 'late')
        GROUP BY h.room_id
    ),
    available AS (
        SELECT ({WORKING_DAYS}) * coalesce(
            (SELECT room_hours_per_day FROM reporting_costassumptions WHERE organisation_id = %(organisation)s), 8
        ) AS hours
    )
    SELECT rm.name || ' (' || rm.location || ')', coalesce(pr.sessions, 0), round(coalesce(pr.minutes, 0) / 60.0, 2),
           coalesce(pr.minutes, 0), available.hours, coalesce(pr.recorded, 0) * rm.capacity, coalesce(pp.present, 0)
    FROM groupwork_room rm
    CROSS JOIN available
    LEFT JOIN per_room pr ON pr.room_id = rm.id
    LEFT JOIN present pp ON pp.room_id = rm.id
    WHERE rm.organisation_id = %(organisation)s AND (rm.is_active OR pr.sessions IS NOT NULL)
"""  # noqa: S608 - constant fragments; values are bound by the driver


def rooms_sql(context: Context) -> Figures:
    found: Figures = {}
    total: dict[str, Any] = {"sessions": 0, "minutes": 0, "available": Decimal(0), "seats": 0, "present": 0}
    for room, sessions, hours, minutes, available, seats, present in _rows(ROOMS, _params(context)):
        found[f"rooms/{room}/sessions"] = sessions
        found[f"rooms/{room}/hours_booked"] = hours
        found[f"rooms/{room}/hours_available"] = available
        found[f"rooms/{room}/occupancy"] = hours / available
        if present >= 5:
            found[f"rooms/{room}/seat_fill"] = present / seats
        for key, value in zip(total, (sessions, minutes, available, seats, present), strict=True):
            total[key] += value
    hours_booked = round(Decimal(total["minutes"]) / 60, 2)
    found["rooms/total/sessions"] = total["sessions"]
    found["rooms/total/hours_booked"] = hours_booked
    found["rooms/total/hours_available"] = total["available"]
    found["rooms/total/occupancy"] = hours_booked / total["available"] if total["available"] else None
    if total["present"] >= 5:
        found["rooms/total/seat_fill"] = total["present"] / total["seats"]
    return {name: _number(value) for name, value in found.items() if value is not None}


def rooms_figures(report: Report) -> Figures:
    columns = ["sessions", "hours_booked", "hours_available", "occupancy", "seat_fill"]
    return _read(report.table("rooms"), lambda label: f"rooms/{label}", columns)


# --- Trainers -----------------------------------------------------------------------------------------------------

# Per trainer: the time model per session, rounded to the cent as timemodel.session_hours does (half to even), the
# hours available, and the utilisation band (a bound belongs to the band above, 100 % to the band below); then the
# trainers, sessions and hours per band.
TRAINERS = f"""
    WITH {HELD},
    per_session AS (
        SELECT gt.user_id AS trainer_id,
               h.minutes / 60.0
               + (p.prep_hours + p.materials_hours + p.arrangements_hours + p.report_hours)
                 * least(h.minutes / 60.0 / 8, 1)
               + p.setup_hours + p.clearing_hours
               + coalesce(tp.switching_minutes, 0) / 60.0 AS hours
        FROM held h
        JOIN groupwork_grouprun_trainers gt ON gt.grouprun_id = h.group_run_id
        JOIN groupwork_programme p ON p.id = h.programme_id
        LEFT JOIN groupwork_trainerprofile tp ON tp.user_id = gt.user_id
    ),
    planned AS (
        SELECT trainer_id, count(*) AS sessions,
               sum(CASE WHEN hours * 100 - floor(hours * 100) = 0.5
                        THEN (floor(hours * 100) + (floor(hours * 100)::bigint %% 2)) / 100
                        ELSE round(hours, 2) END) AS hours
        FROM per_session GROUP BY trainer_id
    ),
    trainers AS (
        SELECT coalesce(pl.sessions, 0) AS sessions, coalesce(pl.hours, 0) AS hours,
               coalesce(round(tp.hours_per_week * ({WORKING_DAYS}) / 5.0, 1), 0) AS available
        FROM accounts_user u
        LEFT JOIN planned pl ON pl.trainer_id = u.id
        LEFT JOIN groupwork_trainerprofile tp ON tp.user_id = u.id
        WHERE u.organisation_id = %(organisation)s
          AND ((u.is_active AND EXISTS (
                  SELECT 1 FROM accounts_roleassignment r WHERE r.user_id = u.id AND r.role = 'trainer'))
               OR pl.trainer_id IS NOT NULL)
    )
    SELECT CASE WHEN available = 0 THEN 'no_hours'
                WHEN hours < available * 0.5 THEN 'under_50'
                WHEN hours < available * 0.8 THEN '50_to_80'
                WHEN hours <= available THEN '80_to_100'
                ELSE 'over_100' END AS band,
           count(*), sum(sessions), sum(hours), sum(available)
    FROM trainers GROUP BY 1
"""  # noqa: S608 - constant fragments; values are bound by the driver


def trainers_sql(context: Context) -> Figures:
    per_band = {
        band: (trainers, sessions, hours, available)
        for band, trainers, sessions, hours, available in _rows(TRAINERS, _params(context))
    }
    nothing = (0, 0, Decimal(0), Decimal(0))
    groups: dict[str, list[Any]] = {"with_hours": list(nothing), "without_hours": list(nothing), "total": list(nothing)}
    for band in UTILISATION_BANDS:
        for group in ("without_hours" if band == NO_HOURS else "with_hours", "total"):
            groups[group] = [sum(pair) for pair in zip(groups[group], per_band.get(band, nothing), strict=True)]
    found: Figures = {}
    for group, (trainers, sessions, hours, _available) in groups.items():
        found[f"trainers/{group}/count"] = trainers
        found[f"trainers/{group}/sessions"] = sessions
        found[f"trainers/{group}/hours_planned"] = hours
    pool, pool_hours, pool_available = groups["with_hours"][0], groups["with_hours"][2], groups["with_hours"][3]
    if pool != 1:  # one trainer's hours available and utilisation are withheld
        found["trainers/with_hours/hours_available"] = found["trainers/total/hours_available"] = pool_available
        if pool_available:
            found["trainers/with_hours/utilisation"] = pool_hours / pool_available
    if pool >= 2:  # below two trainers with hours the distribution is left out
        found.update({f"trainers/band/{band}": per_band.get(band, nothing)[0] for band in UTILISATION_BANDS})
        found["trainers/band/total"] = groups["total"][0]
    return {name: _number(value) for name, value in found.items()}


def trainers_figures(report: Report) -> Figures:
    summary = report.table("trainers")
    keys = [column.key for column in summary.columns]
    found: Figures = {}
    rows = [*zip(("with_hours", "without_hours"), summary.rows, strict=True), ("total", summary.total or [])]
    for group, row in rows:
        for key in ("count", "sessions", "hours_planned", "hours_available", "utilisation"):
            _put(found, f"trainers/{group}/{key}", row[keys.index(key)])
    if any(table.key == "trainer_bands" for table in report.section("trainers").tables):
        bands = report.table("trainer_bands")
        for band, (_label, trainers) in zip(UTILISATION_BANDS, bands.rows, strict=True):
            _put(found, f"trainers/band/{band}", trainers)
        _put(found, "trainers/band/total", (bands.total or [None, None])[1])
    return found


# --- Principles ---------------------------------------------------------------------------------------------------

PRINCIPLES = f"""
    WITH {MONTH_ENDS}
    SELECT s.month, s.principle, sum(s.passed), sum(s.passed + s.attention + s.failed)
    FROM principles_principlesnapshot s
    WHERE s.organisation_id = %(organisation)s AND s.month IN (SELECT date_trunc('month', day)::date FROM points)
    GROUP BY s.month, s.principle
"""  # noqa: S608 - constant fragments; values are bound by the driver


def principles_sql(context: Context) -> Figures:
    found: Figures = {}
    for month, principle, passed, audited in _rows(PRINCIPLES, _params(context)):
        if principle == 1 and audited >= 5:
            found[f"principles/{month:%Y-%m}/trajectories"] = audited
        if audited >= 5:
            found[f"principles/{month:%Y-%m}/p{principle}"] = passed / audited
    return {name: _number(value) for name, value in found.items()}


def principles_figures(report: Report) -> Figures:
    table = report.table("principles")
    months = [f"{day:%Y-%m}" for day in month_ends(report.period)]
    found: Figures = {}
    for month, row in zip(months, table.rows, strict=True):
        for column, value in zip(table.columns[1:], row[1:], strict=True):
            _put(found, f"principles/{month}/{column.key}", value)
    return found


# --- Reading the report -------------------------------------------------------------------------------------------


def _put(found: Figures, name: str, value: Value) -> None:
    """A figure the report shows: withheld ("x") and empty ("–") cells are left out."""
    if not isinstance(value, Suppressed) and value is not None:
        found[name] = _number(value)


def _read(table: Table, prefix: Callable[[str], str], columns: Iterable[str]) -> Figures:
    keys = [column.key for column in table.columns]
    found: Figures = {}
    rows = [(str(row[0]), row) for row in table.rows]
    rows += [("total", table.total)] if table.total is not None else []
    for label, row in rows:
        for key in columns:
            _put(found, f"{prefix(label)}/{key}", row[keys.index(key)])
    return found


SECTION_CASES = {
    "caseload": (caseload_sql, caseload_figures),
    "waiting": (waiting_sql, waiting_figures),
    "rooms": (rooms_sql, rooms_figures),
    "trainers": (trainers_sql, trainers_figures),
    "principles": (principles_sql, principles_figures),
}


def _section_case(key: str) -> Case:
    sql, figures = SECTION_CASES[key]
    return Case(
        name=f"management: {key}",
        build=lambda context: management_report(context.organisation_id, context.period, sections=[key]),
        sql=sql,
        figures=figures,
        breakdown=True,
    )


def _whole_sql(context: Context) -> Figures:
    return {name: value for sql, _figures in SECTION_CASES.values() for name, value in sql(context).items()}


def _whole_figures(report: Report) -> Figures:
    return {name: value for _sql, figures in SECTION_CASES.values() for name, value in figures(report).items()}


CASES: list[Case] = [
    Case(
        name="management report",
        build=lambda context: management_report(context.organisation_id, context.period),
        sql=_whole_sql,
        figures=_whole_figures,
    ),
    *(_section_case(key) for key in SECTION_CASES),
]
