"""The research export for policy staff (issue 6 point 7): completed measurements, pseudonymised, in long format.

One row per measurement × scale, and optionally one per measurement × item. No BSN, name, address, birth date or
database id leaves: a client is a pseudonym, the HMAC-SHA256 of its id under a random key made for this one export
and then thrown away. So a client has the same pseudonym in every row of an export, and exports cannot be linked to
each other or back to the database through it. Dates are coarsened: the year of the measurement, and the whole weeks
since the trajectory started (an exact number of days together with the month would give the trajectory's start day
away: two measurements a day apart across a month boundary). Rows come in order of year and measurement, never of
client, so row order links nothing. Small cells: a municipality with fewer than ``MIN_MUNICIPALITY_CLIENTS`` clients in
the export is not named but merged into one "other municipalities" value, and an export of one such municipality is
refused (the form says so).

CSV is written for Dutch Excel: UTF-8 with a byte order mark, ``;`` between fields and a decimal comma. XLSX holds
numbers as numbers (three decimals shown) and a second sheet that explains the columns and the pseudonymisation.
"""

import csv
import datetime
import hashlib
import hmac
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.models import Action
from koers.audit.services import record_client_reads, record_event
from koers.clients.models import Client
from koers.measurement.models import MeasurementAnswer, MeasurementStatus, ScaleScore

CSV, XLSX = "csv", "xlsx"
CHUNK_SIZE = 2000
MIN_MUNICIPALITY_CLIENTS = 5  # fewer clients than this: the municipality is merged into "other municipalities"
PSEUDONYM_LENGTH = 16  # hex digits: 64 bits, no collision in any realistic number of clients
SCORE_FORMAT = "0.000"
CLIENT_READ_REASON = "research export (pseudonymised)"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = (
    "pseudonym",
    "municipality",
    "trajectory",
    "weeks_since_trajectory_start",
    "measurement_year",
    "measurement",
    "moment",
    "phase",
    "respondent",
    "questionnaire",
    "version",
    "row_type",
    "scale_code",
    "item",
    "value",
)


def column_descriptions() -> list[tuple[str, str]]:
    """The explanation sheet: what each column holds, in the reader's language."""
    return [
        ("pseudonym", _("The client, pseudonymised: the same in every row of this export, different in every export.")),
        (
            "municipality",
            _(
                "The client's municipality; municipalities with fewer than %(min)s clients in this export are merged "
                "into one value: %(other)s."
            )
            % {"min": MIN_MUNICIPALITY_CLIENTS, "other": other_municipalities()},
        ),
        ("trajectory", _("The trajectory, pseudonymised the same way as the client.")),
        (
            "weeks_since_trajectory_start",
            _("Whole weeks between the start of the trajectory and the measurement (0 is the first week)."),
        ),
        ("measurement_year", _("Year of the measurement (not the month or the day).")),
        ("measurement", _("Number of the measurement within this export, to group its rows.")),
        ("moment", _("Measurement moment: start, interim, end or extra.")),
        ("phase", _("Phase: baseline, intervention or follow-up.")),
        ("respondent", _("Who filled in the questionnaire: the client or the professional.")),
        ("questionnaire", _("Name of the questionnaire.")),
        ("version", _("Version of the questionnaire; published versions never change.")),
        ("row_type", _("scale: a scale score (mean of its items, reverse-scored items flipped); item: one answer.")),
        ("scale_code", _("Code of the scale (of the item's scale for an item row); stable across versions.")),
        ("item", _("Position of the item in the version (item rows only).")),
        ("value", _("The scale score, or the answer given to the item.")),
    ]


def other_municipalities() -> str:
    return _("other municipalities (fewer than %(min)s clients each)") % {"min": MIN_MUNICIPALITY_CLIENTS}


@dataclass(frozen=True)
class ExportQuery:
    organisation_id: int
    taken_from: datetime.date
    taken_to: datetime.date
    municipality_id: int | None = None
    file_format: str = CSV
    with_items: bool = False


class Pseudonymiser:
    """HMAC-SHA256 under a key that lives only as long as this object: stable within, unlinkable across exports."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._seen: dict[str, str] = {}

    def __call__(self, kind: str, pk: int) -> str:
        message = f"{kind}:{pk}"
        pseudonym = self._seen.get(message)
        if pseudonym is None:
            digest = hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()
            pseudonym = self._seen[message] = digest[:PSEUDONYM_LENGTH]
        return pseudonym


def _measurement_filter(query: ExportQuery, prefix: str) -> Q:
    conditions = {
        f"{prefix}status": MeasurementStatus.COMPLETED,
        f"{prefix}taken_on__range": (query.taken_from, query.taken_to),
        f"{prefix}trajectory__client__organisation_id": query.organisation_id,
    }
    if query.municipality_id is not None:
        conditions[f"{prefix}trajectory__client__municipality_id"] = query.municipality_id
    return Q(**conditions)


def _scores(query: ExportQuery) -> QuerySet[ScaleScore]:
    """The scale scores in the export: the one filter the row count, the read events and the rows all use."""
    return ScaleScore.objects.filter(_measurement_filter(query, "measurement__"))


def _answers(query: ExportQuery) -> QuerySet[MeasurementAnswer]:
    return MeasurementAnswer.objects.filter(_measurement_filter(query, "measurement__"))


def municipality_clients(query: ExportQuery) -> dict[int | None, int]:
    """Per municipality (None: none recorded), the number of clients with a row in the export (one query)."""
    rows = (
        _scores(query)
        .values("measurement__trajectory__client__municipality_id")
        .annotate(clients=Count("measurement__trajectory__client_id", distinct=True))
        .order_by()
    )
    return {row["measurement__trajectory__client__municipality_id"]: row["clients"] for row in rows}


def small_municipalities(query: ExportQuery) -> frozenset[int | None]:
    """The municipalities with too few clients in the export to be named in it."""
    return frozenset(
        municipality_id
        for municipality_id, clients in municipality_clients(query).items()
        if clients < MIN_MUNICIPALITY_CLIENTS
    )


def _common(prefix: str) -> list[str]:
    return [
        f"{prefix}trajectory__client_id",
        f"{prefix}trajectory__client__municipality_id",
        f"{prefix}trajectory__client__municipality__name",
        f"{prefix}trajectory_id",
        f"{prefix}trajectory__started_on",
        f"{prefix}taken_on",
        f"{prefix}id",
        f"{prefix}moment",
        f"{prefix}phase",
        f"{prefix}respondent",
        f"{prefix}version__questionnaire__name",
        f"{prefix}version__number",
    ]


def scale_rows(query: ExportQuery) -> QuerySet[ScaleScore, tuple[Any, ...]]:
    return (
        _scores(query)
        .annotate(year=TruncYear("measurement__taken_on"))
        .values_list(*_common("measurement__"), "scale__code", "score")
        .order_by("year", "measurement_id", "scale__position", "scale_id")
    )


def item_rows(query: ExportQuery) -> QuerySet[MeasurementAnswer, tuple[Any, ...]]:
    return (
        _answers(query)
        .annotate(year=TruncYear("measurement__taken_on"))
        .values_list(*_common("measurement__"), "item__scale__code", "item__position", "value")
        .order_by("year", "measurement_id", "item__position", "item_id")
    )


def count_rows(query: ExportQuery) -> int:
    count = _scores(query).count()
    if query.with_items:
        count += _answers(query).count()
    return count


def exported_clients(query: ExportQuery) -> QuerySet[Client]:
    """The clients with a row in the export (only their key is loaded: for the read events)."""
    scored = _scores(query)
    return Client.objects.filter(pk__in=scored.values("measurement__trajectory__client_id")).only("pk").order_by("pk")


def rows(
    query: ExportQuery, pseudonym: Pseudonymiser, merged: frozenset[int | None] | None = None
) -> Iterator[tuple[Any, ...]]:
    """The export's rows as Python values (Decimal scores, int answers), streamed from the database in chunks.

    ``merged``: the municipalities shown as "other municipalities" (by default those too small in this export).
    """
    numbers: dict[int, int] = {}
    small = small_municipalities(query) if merged is None else merged
    other = other_municipalities()

    def common(values: tuple[Any, ...]) -> tuple[Any, ...]:
        client_id, municipality_id, municipality, trajectory_id, started_on, taken_on, measurement_id, *rest = values
        number = numbers.setdefault(measurement_id, len(numbers) + 1)
        return (
            pseudonym("client", client_id),
            other if municipality_id in small else municipality,
            pseudonym("trajectory", trajectory_id),
            (taken_on - started_on).days // 7,
            taken_on.year,
            number,
            *rest,
        )

    for values in scale_rows(query).iterator(chunk_size=CHUNK_SIZE):
        *head, code, score = values
        yield (*common(tuple(head)), "scale", code, None, score)
    if query.with_items:
        for values in item_rows(query).iterator(chunk_size=CHUNK_SIZE):
            *head, code, position, value = values
            yield (*common(tuple(head)), "item", code, position, value)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return f"{value:.3f}".replace(".", ",")
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(
    query: ExportQuery, pseudonym: Pseudonymiser, merged: frozenset[int | None] | None = None
) -> Iterator[bytes]:
    """The CSV, a line at a time: UTF-8 with a byte order mark, ``;`` separated, decimal comma."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff".encode() + writer.writerow(COLUMNS).encode()
    for row in rows(query, pseudonym, merged):
        yield writer.writerow([_csv_value(value) for value in row]).encode()


def write_xlsx(
    query: ExportQuery, pseudonym: Pseudonymiser, out: IO[bytes], merged: frozenset[int | None] | None = None
) -> None:
    """The workbook in write-only mode (rows go to disk as they come): the data, then the explanation."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Measurements"))
    bold = Font(bold=True)
    sheet.freeze_panes = "A2"

    def header(values: tuple[str, ...] | list[str]) -> list[WriteOnlyCell]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = bold
            cells.append(cell)
        return cells

    sheet.append(header(COLUMNS))
    value_column = COLUMNS.index("value")
    for row in rows(query, pseudonym, merged):
        values: list[Any] = list(row)
        if isinstance(row[value_column], Decimal):
            score = WriteOnlyCell(sheet, value=row[value_column])
            score.number_format = SCORE_FORMAT
            values[value_column] = score
        sheet.append(values)

    explanation = workbook.create_sheet(_("Explanation"))
    explanation.column_dimensions["A"].width = 30
    explanation.column_dimensions["B"].width = 100
    explanation.append(header([_("Column"), _("Meaning")]))
    for name, meaning in column_descriptions():
        explanation.append([name, meaning])
    explanation.append([])
    for line in about_lines(query):
        explanation.append([line])
    workbook.save(out)


def about_lines(query: ExportQuery) -> list[str]:
    return [
        _("Completed measurements taken from %(start)s to %(end)s.")
        % {"start": f"{query.taken_from:%d-%m-%Y}", "end": f"{query.taken_to:%d-%m-%Y}"},
        _(
            "Pseudonymised: no BSN, name, address, date of birth or database number. The pseudonyms are an "
            "HMAC-SHA256 under a random key made for this export and then thrown away: the same client has the same "
            "pseudonym within this export, and a different one in every other export."
        ),
        _(
            "Dates are coarsened to the year of the measurement and the number of whole weeks since the trajectory "
            "start."
        ),
        _("Municipalities with fewer than %(min)s clients in this export are not named: their rows say %(other)s.")
        % {"min": MIN_MUNICIPALITY_CLIENTS, "other": other_municipalities()},
        _("Scale scores have three decimals; a score belongs to the version of the questionnaire in its row."),
    ]


def filename(query: ExportQuery) -> str:
    return f"onderzoeksexport-metingen-{timezone.localdate():%Y%m%d}.{query.file_format}"


@dataclass(frozen=True)
class Export:
    """What the view sends: the CSV as chunks, or the XLSX as a file, with the number of rows logged."""

    file_name: str
    content_type: str
    row_count: int
    chunks: Iterator[bytes] | None = None
    file: IO[bytes] | None = None


def start_export(user: Any, query: ExportQuery) -> Export:
    """Log the export (one event with the row count, a read event per exported client), then produce it.

    The count and the rows use the same filters (``_scores``/``_answers``); the municipalities merged are decided
    here, once, so the file merges exactly those the log was written for.
    """
    with transaction.atomic():
        row_count = count_rows(query)
        merged = small_municipalities(query)
        record_client_reads(user, list(exported_clients(query)), reason=CLIENT_READ_REASON)
        record_event(
            user,
            Action.EXPORT,
            object_type="measurement.measurement",
            reason=f"research export (pseudonymised): {row_count} rows",
        )
    pseudonym = Pseudonymiser()
    name = filename(query)
    if query.file_format == XLSX:
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
        write_xlsx(query, pseudonym, out, merged)
        out.seek(0)
        return Export(name, XLSX_CONTENT_TYPE, row_count, file=out)
    return Export(name, CSV_CONTENT_TYPE, row_count, chunks=csv_chunks(query, pseudonym, merged))
