"""Set Dutch translations in the nl catalogue: python scripts/po_set.py < pairs.tsv (msgid<TAB>msgstr per line).

For single (non-plural) entries; clears the fuzzy flag and the previous-msgid comments of each entry it sets.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "koers" / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^"(.*)"$', line).group(1) for line in lines).replace('\\"', '"')  # type: ignore[union-attr]


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    pairs = dict(line.rstrip("\n").split("\t", 1) for line in sys.stdin if "\t" in line)
    entries = PO.read_text().split("\n\n")
    done = set()
    for index, entry in enumerate(entries):
        lines = entry.splitlines()
        comments = [line for line in lines if line.startswith("#") and not line.startswith(("#,", "#|"))]
        flags = [line for line in lines if line.startswith("#,")]
        body = [line for line in lines if not line.startswith("#")]
        if not body or not body[0].startswith("msgid ") or any(line.startswith("msgid_plural") for line in body):
            continue
        msgstr_at = next(i for i, line in enumerate(body) if line.startswith("msgstr"))
        msgid_lines = [body[0][len("msgid ") :], *body[1:msgstr_at]]
        msgid = unquote(msgid_lines)
        if msgid not in pairs:
            continue
        kept_flags = [re.sub(r"\bfuzzy,? ?", "", flag).rstrip(", ") for flag in flags]
        kept_flags = [flag for flag in kept_flags if flag.strip() != "#,"]
        entries[index] = "\n".join([*comments, *kept_flags, *body[:msgstr_at], f"msgstr {quote(pairs[msgid])}"])
        done.add(msgid)
    PO.write_text("\n\n".join(entries))
    missing = set(pairs) - done
    if missing:
        sys.exit(f"not found: {sorted(missing)}")


if __name__ == "__main__":
    main()
