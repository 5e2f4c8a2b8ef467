"""Reads of imports, scoped to what the user may see."""

from typing import Any

from django.db.models import QuerySet

from koers.access.scoping import scope
from koers.imports.models import ClientImport, ImportRejection


def visible_imports(user: Any) -> QuerySet[ClientImport]:
    return scope(ClientImport.objects.all(), user).select_related("uploaded_by")


def rejections(client_import: ClientImport) -> QuerySet[ImportRejection]:
    return ImportRejection.objects.filter(client_import=client_import).order_by("row_number", "id")
