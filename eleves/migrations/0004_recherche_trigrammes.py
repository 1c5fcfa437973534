"""Search box: trigram index on the normalised name column (PostgreSQL only; SQLite keeps the plain b-tree)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "eleves_jeune_recherche_trgm"


def creer_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON eleves_jeune USING gin (recherche gin_trgm_ops)")


def supprimer_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("eleves", "0003_jeune_echelon_bourse_champs_saisis_main")]

    operations = [
        # CREATE EXTENSION does nothing outside PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(creer_index, supprimer_index, elidable=False),
    ]
