"""Assertions that every page test uses (the role × URL access matrix, the query budget), and readers of the PDFs
that pdf.py makes."""

import re
import zlib
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from koers import pdf as pdf_module
from koers.accounts.models import User


def assert_access_matrix(
    url: str,
    expected: Mapping[str, int],
    users: Mapping[str, User],
    login: Callable[[User], HttpClient],
    *,
    method: str = "get",
) -> None:
    """Every role gets exactly the expected status for ``url``; a mismatch lists all roles that differ."""
    wrong = {}
    for role, status in expected.items():
        response = getattr(login(users[role]), method)(url)
        if response.status_code != status:
            wrong[role] = (status, response.status_code)
    assert not wrong, f"{url}: role → (expected, got): {wrong}"


def count_queries(http: HttpClient, url: str) -> tuple[int, int]:
    """Status and number of database queries of one GET."""
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    return response.status_code, len(queries)


def assert_query_budget(http: HttpClient, url: str, budget: int, grow: Callable[[], object]) -> None:
    """The page stays within ``budget`` queries, and adding data (``grow``) does not add queries."""
    status, before = count_queries(http, url)
    assert status == 200, f"{url} answered {status}"
    grow()
    status, after = count_queries(http, url)
    assert status == 200, f"{url} answered {status} after growing the data"
    assert before <= budget, f"{url}: {before} queries, budget {budget}"
    assert after == before, f"{url}: {before} queries, then {after} after adding data: the count grows with data"


def require_tool(path: str | None, package: str) -> str:
    """A command-line tool a test needs: skip on a laptop without it, fail in CI (KOERS_REQUIRE_BROWSER=1)."""
    import os

    import pytest

    if path is None:
        message = f"{package} is not installed (apt-get install -y {package})"
        if os.environ.get("KOERS_REQUIRE_BROWSER") == "1":
            pytest.fail(message + ", and CI requires every real component")
        pytest.skip(message)
    return path


def captured_pdf_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Captures the HTML that pdf.py hands to WeasyPrint (one string per PDF made), to read the laid-out text back."""
    captured: list[str] = []
    original = pdf_module.HTML

    def spy(*args: Any, **kwargs: Any) -> Any:
        captured.append(kwargs["string"])
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "HTML", spy)
    return captured


def _page_texts(html: str) -> list[list[str]]:
    document = pdf_module.HTML(string=html, url_fetcher=pdf_module.FontFilesOnly()).render()
    pages = []
    for page in document.pages:
        texts, stack = [], [page._page_box]
        while stack:
            box = stack.pop()
            if getattr(box, "text", None):
                texts.append(box.text)
            stack.extend(reversed(getattr(box, "children", [])))
        pages.append(texts)
    return pages


def laid_out_pages(html: str) -> list[str]:
    """The text on each page as WeasyPrint lays it out (no poppler needed)."""
    return [" ".join(texts) for texts in _page_texts(html)]


def laid_out_text(html: str) -> str:
    """All text on the pages as WeasyPrint lays them out (no poppler needed)."""
    return " ".join(text for texts in _page_texts(html) for text in texts)


def inflated_pdf(body: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so that objects inside object streams can be searched."""
    parts = [body]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", body, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
