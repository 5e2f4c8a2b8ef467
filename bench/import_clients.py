"""Time the client import: ``.venv/bin/python bench/import_clients.py [--rows 40000]``.

Generates N valid rows (fictitious BSNs in the 999 block, passing the eleven test) as CSV and XLSX in a temporary
folder, then times on a scratch database: the first CSV import (every row new), the same file again (every row
unchanged), a file in which every row changed, and the XLSX file into a second organisation (every row new).
Each figure is upload (storing the file) plus the import run, as the task worker would do it.

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder. With DATABASE_URL (PostgreSQL) it migrates
that database and works in two organisations of its own, removed again at the end with the temporary folder
(unless --keep).
"""

import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "bsn",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "gemeente",
    "klantmanager",
    "email",
    "telefoon",
    "straat",
    "postcode",
    "woonplaats",
    "taalniveau",
    "beschikbaarheid",
]
FIRST_NAMES = ["Sanne", "Mohamed", "Fatima", "Jan", "Olena", "Kees", "Aylin", "Priya", "Thomas", "Noor"]
LAST_NAMES = ["de Vries", "Jansen", "El Amrani", "Yılmaz", "Bakker", "Kovalenko", "Visser", "Ramdin", "Smit"]
MUNICIPALITIES = [("Benchwaard", "GM9951"), ("Benchmeer", "GM9952"), ("Benchveld", "GM9953")]
LEVELS = ["A1", "A2", "B1", "B2", "moedertaal", "onder A1"]
SLOTS = ["ma-ochtend", "di-middag", "wo-ochtend", "do-avond", "vr-middag"]
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def bsns(count: int) -> list[str]:
    """``count`` fictitious BSNs: '999' and five digits, plus the check digit of the eleven test."""
    found = []
    for number in range(100_000):
        digits = f"999{number:05d}"
        check = sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True)) % 11
        if check < 10:
            found.append(f"{digits}{check}")
            if len(found) == count:
                return found
    raise SystemExit(f"The 999 block holds fewer than {count} valid numbers.")


def rows(count: int, consultants: list[str], seed: int, variant: str = "") -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for index, number in enumerate(bsns(count)):
        municipality = MUNICIPALITIES[index % 3]
        out.append(
            [
                number,
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1960, 2005)}",
                municipality[0] if index % 2 else municipality[1],
                consultants[index % len(consultants)] if index % 10 else "",
                f"client{index}@example.org",
                f"06-{rng.randint(10_000_000, 99_999_999)}",
                f"Benchstraat {index % 300 + 1}{variant}",
                f"{rng.randint(1000, 9999)}{rng.choice('ABCDEGHJ')}{rng.choice('KLMNPRTVWXZ')}",
                municipality[0],
                rng.choice(LEVELS),
                ";".join(rng.sample(SLOTS, rng.randint(0, 3))),
            ]
        )
    return out


def write_csv(path: Path, data: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(data)


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    """As a benefits system would export it: BSN and phone as number cells, dates as date cells."""
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Cliënten")
    sheet.append(HEADER)
    for row in data:
        day, month, year = (int(part) for part in row[3].split("-"))
        sheet.append([int(row[0]), *row[1:3], datetime.datetime(year, month, day), *row[4:]])
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="leave the bench organisations in the database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="koers-bench-import-"))
    if not os.environ.get("DATABASE_URL"):
        os.environ["KOERS_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koers.settings")
    os.environ.setdefault("KOERS_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    from koers.accounts.models import Municipality, Organisation, RoleAssignment, User
    from koers.accounts.roles import Role
    from koers.imports.models import ClientImport, ImportStatus
    from koers.imports.services import create_import, run_import

    call_command("migrate", verbosity=0)
    stamp = f"{os.getpid()}-{int(time.time())}"

    def organisation(name: str) -> tuple[Organisation, User, list[str]]:
        org = Organisation.objects.create(name=f"{name} {stamp}")
        for town, code in MUNICIPALITIES:
            Municipality.objects.create(organisation=org, name=town, cbs_code=code)
        admin = User.objects.create(username=f"bench-admin-{name}-{stamp}".lower(), organisation=org)
        RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR)
        usernames = []
        for n in range(5):
            consultant = User.objects.create(username=f"bench-km{n}-{name}-{stamp}".lower(), organisation=org)
            RoleAssignment.objects.create(user=consultant, role=Role.CONSULTANT)
            usernames.append(consultant.username)
        return org, admin, usernames

    first_org, first_admin, first_consultants = organisation("Bench CSV")
    second_org, second_admin, second_consultants = organisation("Bench XLSX")
    data = rows(args.rows, first_consultants, args.seed)
    write_csv(folder / "clients.csv", data)
    write_csv(folder / "clients-changed.csv", rows(args.rows, first_consultants, args.seed, variant="a"))
    write_xlsx(folder / "clients.xlsx", rows(args.rows, second_consultants, args.seed))

    def timed(label: str, user: User, name: str, file_format: str) -> ClientImport:
        content = (folder / name).read_bytes()
        started = time.perf_counter()
        job = create_import(user, file_name=name, content=content, file_format=file_format)
        run_import(job.pk)
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE, (job.status, job.error_message)
        print(
            f"{label:<32} {seconds:6.1f} s  {job.total_rows / seconds:8,.0f} rows/s   "
            f"new {job.created_count}, changed {job.updated_count}, unchanged {job.unchanged_count}, "
            f"rejected {job.rejected_count}"
        )
        return job

    print(f"database: {connection.vendor}; {args.rows:,} rows; files in {folder}")
    first = timed("CSV, first import (all new)", first_admin, "clients.csv", "csv")
    again = timed("CSV, same file again", first_admin, "clients.csv", "csv")
    changed = timed("CSV, every row changed", first_admin, "clients-changed.csv", "csv")
    xlsx = timed("XLSX, first import (all new)", second_admin, "clients.xlsx", "xlsx")
    assert first.created_count == args.rows
    assert again.unchanged_count == args.rows
    assert changed.updated_count == args.rows
    assert xlsx.created_count == args.rows
    if not args.keep:
        cleanup([first_org, second_org])
        connection.close()
        shutil.rmtree(folder, ignore_errors=True)


def cleanup(organisations: list[Any]) -> None:
    """Remove what the bench wrote, so that a shared scratch database does not grow with every run."""
    from django.db import transaction

    from koers.accounts.models import Municipality, User
    from koers.audit.models import AuditEvent
    from koers.clients.models import Client, ClientTransfer
    from koers.imports.models import ClientImport

    with transaction.atomic():
        users = User.objects.filter(organisation__in=organisations)
        AuditEvent.objects.filter(actor__in=users).delete()
        ClientTransfer.objects.filter(client__organisation__in=organisations).delete()
        Client.objects.filter(organisation__in=organisations).delete()
        ClientImport.objects.filter(organisation__in=organisations).delete()
        Municipality.objects.filter(organisation__in=organisations).delete()
        users.delete()
        for organisation in organisations:
            organisation.delete()


if __name__ == "__main__":
    main()
