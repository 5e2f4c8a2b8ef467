from pathlib import PurePath
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from koers.imports.models import FileFormat
from koers.imports.reading import is_xlsx_archive, sniff_format
from koers.imports.services import max_bytes

EXTENSIONS = {".csv": FileFormat.CSV, ".xlsx": FileFormat.XLSX}
SNIFF_BYTES = 64 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File from the benefits system"),
        widget=forms.FileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A CSV or Excel (.xlsx) file of at most %(size)s.") % {
            "size": filesizeformat(max_bytes())
        }

    def clean_file(self) -> UploadedFile:
        """Checked by extension and by content, so a renamed file is refused before anything is stored."""
        upload: UploadedFile = self.cleaned_data["file"]
        extension = PurePath(upload.name or "").suffix.lower()
        if extension == ".xls":
            raise forms.ValidationError(
                _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or as CSV and try again.")
            )
        expected = EXTENSIONS.get(extension)
        if expected is None:
            raise forms.ValidationError(_("Choose a CSV file (.csv) or an Excel file (.xlsx)."))
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s. Split it into smaller files.")
                % {"size": filesizeformat(max_bytes())}
            )
        content = upload.read()
        found = sniff_format(content[:SNIFF_BYTES])
        if found == FileFormat.XLSX and not is_xlsx_archive(content):
            found = None
        if found != expected:
            raise forms.ValidationError(
                _(
                    "The content of this file does not match its extension (%(extension)s). "
                    "Export it again as CSV or .xlsx."
                )
                % {"extension": extension}
            )
        self.content = content
        self.file_format = expected
        return upload
