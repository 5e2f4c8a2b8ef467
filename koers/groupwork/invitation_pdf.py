"""Invitation and reminder letters for the post: one A4 page per participant, address in the envelope window.

Imported by the view on the first request only: WeasyPrint takes about a second to load.
"""

import datetime

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from koers.groupwork.invitation_selectors import InvitationMessage
from koers.groupwork.models import GroupRun
from koers.pdf import render_pdf


def letters_pdf(run: GroupRun, letters: list[InvitationMessage], *, is_reminder: bool) -> bytes:
    """In the site language, as the e-mails: the client reads it, not the planner."""
    with translation.override(settings.LANGUAGE_CODE):
        title = (
            _("Reminder letters: %(programme)s, start %(date)s")
            if is_reminder
            else _("Invitation letters: %(programme)s, start %(date)s")
        ) % {"programme": run.programme.name, "date": run.start_date.strftime("%d-%m-%Y")}
        return render_pdf(
            "groupwork/invitations/letters.html",
            {"letters": letters, "title": title, "organisation_name": run.programme.organisation.name},
        )


def letters_filename(run: GroupRun, today: datetime.date, *, is_reminder: bool) -> str:
    """E.g. uitnodigingsbrieven-12-20261123.pdf: the run and the date, never a name."""
    kind = _("reminder letters") if is_reminder else _("invitation letters")
    return f"{slugify(kind)}-{run.pk}-{today:%Y%m%d}.pdf"
