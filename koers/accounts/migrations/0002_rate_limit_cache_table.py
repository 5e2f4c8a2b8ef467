"""The database cache table that holds the rate-limit counters (koers.ratelimits), created with the schema.

A migration rather than a step after ``migrate``: every way Koers's database is made (the demo, production, the
benchmarks, a restored backup) then has it, and a forgotten ``createcachetable`` cannot break the login page.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("DatabaseCache"):
            schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(cache['LOCATION'])}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
