"""The access log: every read of a full file and every export, for the data-protection officer.

The log is append-only: no screen nor admin changes or deletes a row, and on PostgreSQL a trigger (migration
`avenirpro 0008`) refuses UPDATE and DELETE unless the transaction opened `purge_autorisee()` — which only the
retention schedule does (its purge of old rows, the anonymisation of an erased young person's entries), ADR 0009.
"""

from contextlib import contextmanager

from django.db import connection, transaction

from avenirpro.models import JournalAcces

PARAMETRE_PURGE = "avenirpro.purge"


def journaliser(user, action: str, objet, nombre: int = 1) -> None:
    """Record that `user` read or exported `objet` (a model instance or a description)."""
    JournalAcces.objects.create(
        utilisateur=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        objet=str(objet)[:200],
        objet_uuid=getattr(objet, "uuid", None),
        nombre=nombre,
    )


@contextmanager
def purge_autorisee():
    """Within this block (one transaction), the retention schedule may update or delete log rows. The setting is
    transaction-local and switched off again on leaving the block: nothing else of an enclosing transaction gets it."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as curseur:
            curseur.execute("SELECT set_config(%s, 'on', true)", [PARAMETRE_PURGE])
        yield
        # On an error the savepoint's rollback undoes the setting too.
        with connection.cursor() as curseur:
            curseur.execute("SELECT set_config(%s, '', true)", [PARAMETRE_PURGE])
