"""A deleted signed copy (on its own, with its PFMP or parcours, by erasure or retention) takes its file with it,
once the deletion is committed."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from documents.models import PieceSignee


@receiver(post_delete, sender=PieceSignee, dispatch_uid="documents_fichier_supprime")
def fichier_supprime(sender, instance, **kwargs):
    from documents.services import supprimer_fichier_apres_commit

    supprimer_fichier_apres_commit(instance.chemin)
