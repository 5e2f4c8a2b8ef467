"""The Dutch translation is complete, not fuzzy, and keeps every placeholder and HTML tag of the English source.

Dutch is the default interface language, so an untranslated string shows up as English on screen. After
`makemessages` adds strings, these tests fail until someone translates them in locale/nl/LC_MESSAGES/django.po.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

PO_FILE = Path(__file__).resolve().parent.parent / "koers" / "locale" / "nl" / "LC_MESSAGES" / "django.po"

# %(name)s, %(count)d, %s, %d … but not a literal "%%".
PYTHON_FORMAT = re.compile(r"%(?:\([^)]+\))?[-#0+]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
HTML_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"django.po line {self.line}: {self.msgid!r}"

    def append(self, key: str, text: str) -> None:
        """Add text to msgid, msgid_plural, msgctxt, msgstr or msgstr[n]."""
        plural = re.fullmatch(r"msgstr\[(\d+)\]", key)
        if plural or key == "msgstr":
            index = int(plural.group(1)) if plural else 0
            self.msgstr[index] = self.msgstr.get(index, "") + text
        elif key in ("msgid", "msgid_plural", "msgctxt"):
            setattr(self, key, (getattr(self, key) or "") + text)
        else:
            raise ValueError(f"django.po line {self.line}: unknown keyword {key!r}")


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader for what makemessages writes: entries separated by blank lines, with comments,
    flags (#, fuzzy, python-format), msgctxt, msgid, msgid_plural, msgstr and msgstr[n], each string
    possibly continued on following "..." lines. Obsolete entries (#~) are ignored."""
    entries: list[Entry] = []
    entry, key = Entry(line=1), None
    for number, raw in enumerate([*path.read_text(encoding="utf-8").splitlines(), ""], start=1):
        text = raw.strip()
        if not text:  # a blank line ends the entry
            if key is not None:
                entries.append(entry)
            entry, key = Entry(line=number + 1), None
        elif text.startswith("#,"):
            entry.flags.update(flag.strip() for flag in text[2:].split(","))
        elif text.startswith("#"):
            continue
        elif text.startswith('"'):
            if key is None:
                raise ValueError(f"django.po line {number}: string without a keyword")
            entry.append(key, ast.literal_eval(text))
        else:
            key, _, rest = text.partition(" ")
            if key == "msgid":
                entry.line = number
            entry.append(key, ast.literal_eval(rest))
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(p for p in PYTHON_FORMAT.findall(text) if p != "%%")


def tags(text: str) -> list[str]:
    return sorted(HTML_TAG.findall(text))


ENTRIES = parse_po(PO_FILE)
MESSAGES = [entry for entry in ENTRIES if entry.msgid]  # the msgid "" entry is the header


def test_the_po_file_has_messages_and_a_dutch_header() -> None:
    assert len(MESSAGES) > 100, "the parser found too few messages; is django.po complete?"
    header = next(entry for entry in ENTRIES if entry.msgid == "")
    assert "Language: nl\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert "fuzzy" not in header.flags, "a fuzzy header makes compilemessages skip its metadata"


def test_no_message_is_untranslated() -> None:
    missing = []
    for entry in MESSAGES:
        expected = 2 if entry.msgid_plural is not None else 1
        strings = [entry.msgstr.get(i, "") for i in range(expected)]
        if not all(s.strip() for s in strings):
            missing.append(entry.label)
    assert not missing, "untranslated in django.po:\n" + "\n".join(missing)


def test_no_message_is_fuzzy() -> None:
    fuzzy = [entry.label for entry in ENTRIES if "fuzzy" in entry.flags]
    assert not fuzzy, "fuzzy translations are not used at runtime; review them and drop the flag:\n" + "\n".join(fuzzy)


def test_translations_keep_every_placeholder() -> None:
    wrong = []
    for entry in MESSAGES:
        if "python-format" not in entry.flags:
            continue
        sources = {0: entry.msgid, 1: entry.msgid_plural if entry.msgid_plural is not None else entry.msgid}
        for index, translated in entry.msgstr.items():
            source = sources.get(index, sources[1])
            if translated and placeholders(source) != placeholders(translated):
                wrong.append(f"{entry.label} [{index}]: {placeholders(source)} ≠ {placeholders(translated)}")
    assert not wrong, "placeholders differ between English and Dutch:\n" + "\n".join(wrong)


def test_translations_keep_html_tags() -> None:
    wrong = []
    for entry in MESSAGES:
        for index, translated in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if translated and tags(source) != tags(translated):
                wrong.append(f"{entry.label} [{index}]: {tags(source)} ≠ {tags(translated)}")
    assert not wrong, "HTML tags differ between English and Dutch:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("Log in to Koers", "Inloggen bij Koers"),
        ("Consultant", "Klantmanager"),
        ("Low language proficiency", "Beperkte taalvaardigheid"),
    ],
)
def test_django_serves_the_compiled_dutch_catalogue(english: str, dutch: str) -> None:
    mo_file = PO_FILE.with_suffix(".mo")
    assert mo_file.exists(), f"{mo_file} is missing: run `cd koers && ../manage.py compilemessages` (./run setup does)"
    with translation.override("nl"):
        assert translation.gettext(english) == dutch


def test_django_picks_the_dutch_plural() -> None:
    with translation.override("nl"):
        assert translation.ngettext("%(counter)s client", "%(counter)s clients", 1) % {"counter": 1} == "1 cliënt"
        assert translation.ngettext("%(counter)s client", "%(counter)s clients", 3) % {"counter": 3} == "3 cliënten"
