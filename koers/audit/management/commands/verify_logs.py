from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.audit.chain import seal_all, verify
from koers.audit.models import Action
from koers.audit.services import record_event


class Command(BaseCommand):
    help = (
        "Seal new rows of the audit trail and the processing log into their hash chains, then check both chains. "
        "Run it daily. On a broken chain it writes a security audit event and exits with status 1."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        seal_all()
        broken = []
        for report in verify():
            if report.first_broken is None:
                self.stdout.write(
                    ngettext(
                        "%(table)s: intact, %(count)d row checked.",
                        "%(table)s: intact, %(count)d rows checked.",
                        report.sealed,
                    )
                    % {"table": report.table, "count": report.sealed}
                )
                continue
            broken.append(report)
            self.stdout.write(
                _("%(table)s: broken at chain position %(seq)d.") % {"table": report.table, "seq": report.first_broken}
            )
            record_event(
                None,
                Action.INTEGRITY,
                object_type=report.table,
                object_id=str(report.first_broken),
                reason=f"hash chain broken at position {report.first_broken}",
            )
        if broken:
            raise CommandError(_("A log has been changed or rows are missing; see above."))
