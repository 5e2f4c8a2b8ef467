"""The sheet with personal evaluation links for participants without e-mail: one page each, link and QR code.

It can only be made at the moment the links are issued: the raw tokens are never stored.
"""

from dataclasses import dataclass

import segno
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from koers.groupwork.evaluation_services import PrintedLink
from koers.groupwork.models import GroupRun
from koers.pdf import render_pdf


@dataclass(frozen=True)
class LinkSheet:
    name: str
    url: str
    qr_svg: SafeString
    expires_at: object


def qr_svg(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=_("QR code of your link"))
    return mark_safe(svg)  # noqa: S308 - segno's own SVG markup of a URL we built


def links_pdf(run: GroupRun, links: list[PrintedLink], request: HttpRequest | None = None) -> bytes:
    sheets = [
        LinkSheet(
            name=link.participation.client.full_name,
            url=link.url,
            qr_svg=qr_svg(link.url),
            expires_at=timezone.localtime(link.expires_at),
        )
        for link in links
    ]
    context = {"run": run, "programme": run.programme, "organisation": run.programme.organisation, "sheets": sheets}
    return render_pdf("groupwork/evaluation/print/links.html", context, request=request)


def links_filename(run: GroupRun) -> str:
    return f"evaluatielinks-groep-{run.pk}-{timezone.localdate():%Y%m%d}.pdf"
