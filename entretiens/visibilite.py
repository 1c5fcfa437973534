"""The stage facts this app owns on the young person's rows (ADR 0019): `Jeune.a_invitation` (invited to a
meeting) and `Jeune.a_entretien` (interviewed). Recomputed from the rows themselves, so a repeated or concurrent call
converges: after every save or delete of an invitation or an interview (signals, connected in `apps.py`) and by the
bulk writes that bypass signals (`services.inviter`)."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from eleves.models import Jeune
from entretiens.models import Entretien, Invitation


def rafraichir(jeune_ids: Iterable[int | None]) -> int:
    """Recompute the facts of these young people (one UPDATE); returns how many rows were written."""
    ids = sorted({i for i in jeune_ids if i is not None})
    if not ids:
        return 0
    return Jeune.objects.filter(pk__in=ids).update(
        a_invitation=Exists(Invitation.objects.filter(jeune_id=OuterRef("pk"))),
        a_entretien=Exists(Entretien.objects.filter(jeune_id=OuterRef("pk"))),
    )


def _sur_creation(sender, instance, created, **kwargs):
    # Only a new row changes the facts: an invitation or an interview never moves to another young person.
    if created and not kwargs.get("raw"):
        rafraichir([instance.jeune_id])


def _sur_suppression(sender, instance, **kwargs):
    rafraichir([instance.jeune_id])


def brancher() -> None:
    from django.db.models.signals import post_delete, post_save

    for modele in (Invitation, Entretien):
        label = modele._meta.label
        post_save.connect(_sur_creation, sender=modele, dispatch_uid=f"visibilite:save:{label}")
        post_delete.connect(_sur_suppression, sender=modele, dispatch_uid=f"visibilite:delete:{label}")
