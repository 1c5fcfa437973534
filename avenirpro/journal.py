"""The access log: every read of a full file and every export, for the data-protection officer."""

from avenirpro.models import JournalAcces


def journaliser(user, action: str, objet, nombre: int = 1) -> None:
    """Record that `user` read or exported `objet` (a model instance or a description)."""
    JournalAcces.objects.create(
        utilisateur=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        objet=str(objet)[:200],
        objet_uuid=getattr(objet, "uuid", None),
        nombre=nombre,
    )
