"""Render a print template to a tagged A4 PDF (PDF/UA-1) with WeasyPrint.

Print templates are dedicated: no forms, ``hyphens: manual`` and the font set on ``html`` so that the page-number
boxes in the margins use it too. The fonts are the self-hosted Noto files from the static folder; WeasyPrint reads
only those files and nothing else, so text in a dossier can never make it fetch a URL.
"""

import re
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from fontTools.ttLib import TTFont
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Each file its own family: WeasyPrint 70 draws wrong glyphs when two files share a family split by unicode-range
# (an "Ł" came out as "Â"), so the latin-ext files are a fallback family in print.css instead.
FONT_FILES = (
    ("Noto Sans", "normal", "nlds/fonts/noto-sans-latin-wght-normal.woff2"),
    ("Noto Sans Ext", "normal", "nlds/fonts/noto-sans-latin-ext-wght-normal.woff2"),
    ("Noto Sans", "italic", "nlds/fonts/noto-sans-latin-wght-italic.woff2"),
    ("Noto Serif", "normal", "nlds/fonts/noto-serif-latin-wght-normal.woff2"),
    ("Noto Serif Ext", "normal", "nlds/fonts/noto-serif-latin-ext-wght-normal.woff2"),
)
SAFE_FILENAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,80}\.pdf")


@cache
def _font_paths() -> tuple[tuple[str, str, Path], ...]:
    found = []
    for family, style, static_path in FONT_FILES:
        located = finders.find(static_path)
        if not isinstance(located, str):
            raise FileNotFoundError(f"static file {static_path} not found")
        found.append((family, style, Path(located).resolve()))
    return tuple(found)


def font_faces() -> SafeString:
    """``@font-face`` rules pointing at the font files on disk.

    No ``font-weight`` range: WeasyPrint rejects it, and instantiates the variable fonts at the weight asked for.
    """
    rules = [
        f'@font-face {{ font-family: "{family}"; font-style: {style}; src: url("{path.as_uri()}"); }}'
        for family, style, path in _font_paths()
    ]
    return mark_safe("\n".join(rules))  # noqa: S308 - built from constants and file paths, no user input


@cache
def _truetype(path: Path) -> bytes:
    """The font unpacked from WOFF2 once per process: unpacking it on every render took half the render time."""
    font = TTFont(path)
    font.flavor = None
    unpacked = BytesIO()
    font.save(unpacked)
    return unpacked.getvalue()


class FontFilesOnly(URLFetcher):
    """Serves the known font files and refuses every other URL (no network, no other files)."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        allowed = {path.as_uri(): path for _family, _style, path in _font_paths()}
        path = allowed.get(url)
        if path is None:
            raise ValueError(f"PDF rendering may not fetch {url[:80]}")
        return URLFetcherResponse(url, _truetype(path), {"Content-Type": "font/ttf"})


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The template rendered with the print fonts, as a tagged PDF."""
    html = render_to_string(template_name, {**context, "font_faces": font_faces()}, request=request)
    base_url = _font_paths()[0][2].parent.as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=FontFilesOnly())
    return document.write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """A download. No client name in ``filename``: it ends up in download folders, mail and proxy logs."""
    if not SAFE_FILENAME.fullmatch(filename):
        raise ValueError(f"unsafe file name {filename!r}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
