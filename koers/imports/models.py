"""Client imports from the benefits system: the run, its uploaded file while it is needed, and its rejected rows."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation

# A queued or running import whose heartbeat is older than this was cut off (e.g. a server restart).
STALE_AFTER = datetime.timedelta(minutes=10)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class FileProblem(models.TextChoices):
    """Why a whole file was refused or an import stopped; ``%(detail)s`` is filled from ``error_detail``."""

    UNREADABLE = "unreadable", _("The file could not be read as CSV or Excel (XLSX). Check that it is not damaged.")
    TOO_LARGE = "too_large", _("The spreadsheet is too large once unpacked. Split it into smaller files.")
    NO_HEADER = "no_header", _("The file has no header row with column names.")
    UNKNOWN_COLUMNS = (
        "unknown_columns",
        _(
            "The file has columns Koers does not know: %(detail)s. Rename or remove them (see the column layout); "
            "nothing was imported."
        ),
    )
    MISSING_COLUMNS = "missing_columns", _("Required columns are missing: %(detail)s. Nothing was imported.")
    DUPLICATE_COLUMNS = "duplicate_columns", _("These columns appear more than once: %(detail)s. Nothing was imported.")
    TOO_MANY_ROWS = (
        "too_many_rows",
        _("The file has more than %(detail)s rows. Split it into smaller files; nothing was imported."),
    )
    INTERRUPTED = (
        "interrupted",
        _(
            "The import stopped after %(detail)s rows because of an unexpected error. The rows before that point were "
            "imported. Import the same file again to finish: rows already imported come out unchanged."
        ),
    )


class ClientImport(models.Model):
    """One upload of a client file and what processing it did, row by row."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="client_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8, choices=FileFormat.choices)
    file_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("new clients"), default=0)
    updated_count = models.PositiveIntegerField(_("clients changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("clients unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rows rejected"), default=0)
    error_code = models.CharField(_("problem"), max_length=32, choices=FileProblem.choices, blank=True)
    error_detail = models.CharField(_("problem detail"), max_length=500, blank=True)
    # The upload request's trace, so that the audit events written later in the background point back to it.
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="import_org_created")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def is_stale(self) -> bool:
        """Still marked active, but no batch has been written for a long time: the process running it is gone."""
        last_sign = self.heartbeat_at or self.created_at
        return self.is_active and last_sign is not None and timezone.now() - last_sign > STALE_AFTER

    @property
    def percent_done(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def error_message(self) -> str:
        if not self.error_code:
            return ""
        return str(FileProblem(self.error_code).label) % {"detail": self.error_detail}


class ImportFile(models.Model):
    """The uploaded bytes, kept in the database only until the import has run (then the row is deleted).

    A table of its own, so that lists and the progress poll never load the file by accident; in the database (not
    on disk), so that any process, and later a task-queue worker, can run the import.
    """

    client_import = models.OneToOneField(
        ClientImport, on_delete=models.CASCADE, primary_key=True, related_name="upload"
    )
    content = models.BinaryField()

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return f"file of import #{self.client_import_id}"


class RejectionReason(models.TextChoices):
    """Why a row was not imported. Never quotes the cell: the report holds no client data beyond a masked BSN."""

    REQUIRED = "required", _("This required field is empty.")
    BSN_FORMAT = "bsn_format", _("The BSN does not consist of 9 digits.")
    BSN_CHECKSUM = "bsn_checksum", _("The BSN fails the eleven test (elfproef); check for a typing error.")
    BSN_DUPLICATE = (
        "bsn_duplicate",
        _("This BSN appears earlier in the file, in row %(number)s; only that first row is imported."),
    )
    TOO_LONG = "too_long", _("Longer than the %(number)s characters allowed.")
    DATE_FORMAT = "date_format", _("Not a date; use YYYY-MM-DD or DD-MM-YYYY.")
    DATE_RANGE = "date_range", _("The date of birth lies in the future or before 1900.")
    MUNICIPALITY = "municipality", _("No municipality of your organisation has this name or CBS code.")
    CONSULTANT = "consultant", _("No active consultant of your organisation has this username.")
    EMAIL = "email", _("Not a valid e-mail address.")
    PHONE = "phone", _("A phone number may hold only digits, spaces and + - ( ).")
    POSTAL_CODE = "postal_code", _("Not a Dutch postal code such as 1234 AB.")
    LANGUAGE_LEVEL = (
        "language_level",
        _("Unknown language level; use below_a1, A1, A2, B1, B2 or native, or the Dutch names."),
    )
    AVAILABILITY = (
        "availability",
        _(
            "Unknown day part; write for example ma-ochtend;di-middag "
            "(Monday to Friday, morning, afternoon or evening)."
        ),
    )
    EXTRA_VALUES = "extra_values", _("The row has more values than the header has columns.")
    FORMULA = (
        "formula",
        _("Starts with =, +, - or @, which a spreadsheet runs as a formula; remove that character."),
    )


class ImportRejection(models.Model):
    """One reason why one row of an import was not imported; a row can have several."""

    client_import = models.ForeignKey(ClientImport, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField(_("row"))
    masked_bsn = models.CharField(_("BSN (masked)"), max_length=9, blank=True)
    column = models.CharField(_("column"), max_length=100, blank=True)
    code = models.CharField(_("reason"), max_length=32, choices=RejectionReason.choices)
    number = models.PositiveIntegerField(null=True, blank=True, help_text=_("The row or length the reason names."))

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["row_number", "id"]
        indexes = [models.Index(fields=["client_import", "row_number"], name="rejection_import_row")]

    def __str__(self) -> str:
        return f"#{self.client_import_id} row {self.row_number}: {self.code}"

    @property
    def reason(self) -> str:
        return str(RejectionReason(self.code).label) % {"number": self.number}
