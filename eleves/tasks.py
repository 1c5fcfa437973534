"""Celery tasks of the repérage: large imports run here, the page polls the import record."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from eleves.models import ImportEleves
from eleves.services import analyser_import, ecrire_import

# A time limit on every import task (ADR 0011): the soft one records a French failure, the hard one kills.
LIMITES = {"soft_time_limit": settings.IMPORT_DUREE_MAX_DOUCE, "time_limit": settings.IMPORT_DUREE_MAX}


def _marquer_echec(pk: int, exc: Exception) -> None:
    if isinstance(exc, SoftTimeLimitExceeded):
        message = (
            f"Import interrompu : le fichier n'a pas pu être traité en {settings.IMPORT_DUREE_MAX_DOUCE // 60} "
            "minutes. Rien n'a été enregistré ; vérifiez le fichier (une seule feuille, 50 000 lignes au plus)."
        )
    else:
        message = f"Erreur inattendue : {type(exc).__name__}."
    ImportEleves.objects.filter(pk=pk).update(statut=ImportEleves.Statut.ECHEC, progression=100, message=message)


@shared_task(name="eleves.tasks.analyser_import", ignore_result=True, **LIMITES)
def analyser_import_tache(import_id: int) -> None:
    imp = ImportEleves.objects.select_related("etablissement", "campagne").filter(pk=import_id).first()
    if imp is None or imp.statut not in (ImportEleves.Statut.EN_ATTENTE, ImportEleves.Statut.ANALYSE):
        return
    try:
        analyser_import(imp)
    except Exception as exc:
        _marquer_echec(import_id, exc)
        raise


@shared_task(name="eleves.tasks.ecrire_import", ignore_result=True, **LIMITES)
def ecrire_import_tache(import_id: int) -> None:
    imp = ImportEleves.objects.select_related("etablissement", "campagne", "auteur").filter(pk=import_id).first()
    if imp is None or imp.statut != ImportEleves.Statut.ECRITURE:
        return
    try:
        ecrire_import(imp)
    except Exception as exc:
        _marquer_echec(import_id, exc)
        raise
