"""Celery tasks of the RGPD app: retention schedule, purge of expired exports, notice of an erasure. The names keep
their historical `avenirpro.tasks.` prefix (beat schedule, queued tasks)."""

from celery import shared_task


@shared_task(name="avenirpro.tasks.appliquer_retention", ignore_result=True)
def appliquer_retention():
    """RGPD retention schedule (settings.RETENTION_*): notices, anonymisations, purge of old logs and history."""
    from rgpd.retention import appliquer_retention as appliquer

    return appliquer()


@shared_task(name="avenirpro.tasks.purger_exports", ignore_result=True)
def purger_exports() -> int:
    from rgpd.retention import purger_exports as purger

    return purger()


@shared_task(name="avenirpro.tasks.notifier_effacement", ignore_result=True)
def notifier_effacement(jeune_uuid: str, auteur_id: int):
    """Tell the direction of the lycée that a file was erased (the erasure itself is synchronous)."""
    from avenirpro.models import Utilisateur
    from avenirpro.notifications import notifier
    from eleves.models import Jeune

    jeune = Jeune.objects.filter(uuid=jeune_uuid).first()
    if jeune is None:
        return 0
    auteur = Utilisateur.objects.filter(pk=auteur_id).first()
    return notifier(
        destinataires=Utilisateur.objects.chefs_de(jeune.etablissement_id),
        cle=f"effacement:{jeune_uuid}",
        sujet="Données d'un jeune effacées à sa demande",
        message=f"Un dossier a été anonymisé par {auteur or 'un membre de la direction'} (droit à l'effacement).",
    )
