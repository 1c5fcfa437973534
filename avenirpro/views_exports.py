"""The page of a background export (progress, then the download link) and the download. Its requester's only:
anybody else gets 404 (avenirpro.acces.q_exports_visibles)."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling

from avenirpro.exports import reponse_fichier, verifier_droits
from avenirpro.journal import journaliser
from avenirpro.models import ExportFichier, JournalAcces


@require_GET
def detail(request, uuid):
    """The full page, or (htmx polling every two seconds) its progress fragment; polling stops once it is over."""
    fichier = get_object_or_404(ExportFichier.objects.visibles_par(request.user).sans_contenu(), uuid=uuid)
    contexte = {"titre": f"Export : {fichier.libelle}", "fichier": fichier}
    if not request.htmx:
        return render(request, "exports/detail.html", contexte)
    reponse = render(request, "exports/_etat.html", contexte)
    if not fichier.suivi_en_direct:
        reponse.status_code = HttpResponseStopPolling.status_code
    return reponse


@require_GET
def telecharger(request, uuid):
    """The file, once its rights are checked again: the list's own selection is run for the requester as they are
    now (its access rule raises PermissionDenied or Http404 as the list page does). A user who lost the role that
    allowed the export loses its file at once, as they lose the list."""
    fichier = get_object_or_404(
        ExportFichier.objects.visibles_par(request.user).sans_contenu().filter(statut=ExportFichier.Statut.TERMINE),
        uuid=uuid,
    )
    verifier_droits(fichier, request.user)
    fichier = ExportFichier.objects.get(pk=fichier.pk)
    libelle = f"{fichier.libelle} ({fichier.format.upper()})"
    journaliser(request.user, JournalAcces.Action.EXPORT, libelle, fichier.nombre_lignes or 0)
    return reponse_fichier(fichier)
