"""The stage facts this app owns on the young person's rows (ADR 0019): `Jeune.a_parcours` (enrolled, any
campaign, closed or not) and the `eleves.Accompagnant` rows (the référent and the counsellor of its parcours).
Recomputed from the enrolments themselves, so a repeated call converges: after every save or delete of an enrolment
(signals, connected in `apps.py`) and after a bulk `update()` of the fields they read
(`InscriptionQuerySet.update`)."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from eleves.models import Accompagnant, Jeune
from parcours.models import CHAMPS_DE_VISIBILITE, Inscription


def rafraichir(jeune_ids: Iterable[int | None]) -> int:
    """Recompute the facts of these young people (three queries whatever their number)."""
    ids = sorted({i for i in jeune_ids if i is not None})
    if not ids:
        return 0
    n = Jeune.objects.filter(pk__in=ids).update(a_parcours=Exists(Inscription.objects.filter(jeune_id=OuterRef("pk"))))
    voulus: dict[tuple[int, int], dict] = {}
    for jeune_id, referent_id, conseiller_id, statut in Inscription.objects.filter(jeune_id__in=ids).values_list(
        "jeune_id", "referent_id", "conseiller_id", "statut"
    ):
        for uid, role in ((referent_id, "referent"), (conseiller_id, "conseiller")):
            if uid is None:
                continue
            ligne = voulus.setdefault((jeune_id, uid), {"referent": False, "conseiller": False, "ouvert": False})
            ligne[role] = True
            ligne["ouvert"] |= statut != Inscription.Statut.SORTIE
    Accompagnant.objects.filter(jeune_id__in=ids).delete()
    if voulus:
        Accompagnant.objects.bulk_create(
            [Accompagnant(jeune_id=j, utilisateur_id=u, **faits) for (j, u), faits in voulus.items()]
        )
    return n


def _sur_ecriture(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    champs = kwargs.get("update_fields")
    if champs is not None and CHAMPS_DE_VISIBILITE.isdisjoint(champs):
        return  # a save of other fields (version, dates…) changes no fact
    rafraichir([instance.jeune_id])


def brancher() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_sur_ecriture, sender=Inscription, dispatch_uid="visibilite:save:parcours.Inscription")
    post_delete.connect(_sur_ecriture, sender=Inscription, dispatch_uid="visibilite:delete:parcours.Inscription")
