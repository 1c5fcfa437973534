"""Celery tasks of the repérage: large imports run here, the page polls the import record."""

from celery import shared_task

from eleves.models import ImportEleves
from eleves.services import analyser_import, ecrire_import


def _marquer_echec(pk: int, exc: Exception) -> None:
    ImportEleves.objects.filter(pk=pk).update(
        statut=ImportEleves.Statut.ECHEC, progression=100, message=f"Erreur inattendue : {type(exc).__name__}."
    )


@shared_task(name="eleves.tasks.analyser_import", ignore_result=True)
def analyser_import_tache(import_id: int) -> None:
    imp = ImportEleves.objects.select_related("etablissement", "campagne").filter(pk=import_id).first()
    if imp is None or imp.statut not in (ImportEleves.Statut.EN_ATTENTE, ImportEleves.Statut.ANALYSE):
        return
    try:
        analyser_import(imp)
    except Exception as exc:
        _marquer_echec(import_id, exc)
        raise


@shared_task(name="eleves.tasks.ecrire_import", ignore_result=True)
def ecrire_import_tache(import_id: int) -> None:
    imp = ImportEleves.objects.select_related("etablissement", "campagne", "auteur").filter(pk=import_id).first()
    if imp is None or imp.statut != ImportEleves.Statut.ECRITURE:
        return
    try:
        ecrire_import(imp)
    except Exception as exc:
        _marquer_echec(import_id, exc)
        raise
