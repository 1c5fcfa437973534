"""Rights of the young people (RGPD): access (export of everything held) and erasure, by the chef d'établissement."""

from django import forms
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from dsfr.forms import DsfrBaseForm

from avenirpro.acces import peut_modifier_jeune
from avenirpro.journal import journaliser
from avenirpro.models import JournalAcces
from avenirpro.taches import envoyer
from eleves.models import Jeune
from rgpd import tasks
from rgpd.retention import anonymiser_jeune, archive_du_jeune, enregistrements_du_jeune


def _jeune_gere(request, jeune_uuid):
    """Out of scope, or in scope without the right to act → 404: a record URL never reveals more (ADR 0002)."""
    jeune = get_object_or_404(
        Jeune.objects.visibles_par(request.user).select_related("etablissement"), uuid=jeune_uuid
    )
    if not peut_modifier_jeune(request.user, jeune):
        raise Http404
    return jeune


def export(request, jeune_uuid):
    """Right of access (art. 15): a ZIP of everything held on the young person, journalised."""
    jeune = _jeune_gere(request, jeune_uuid)
    contenu = archive_du_jeune(jeune, request.user)
    journaliser(request.user, JournalAcces.Action.EXPORT, jeune)
    reponse = HttpResponse(contenu, content_type="application/zip")
    reponse["Content-Disposition"] = f'attachment; filename="donnees-jeune-{jeune.uuid}.zip"'
    reponse["Cache-Control"] = "no-store"
    return reponse


class ConfirmationEffacementForm(DsfrBaseForm):
    confirmation = forms.BooleanField(
        label="Je confirme l'effacement : l'identité, les coordonnées, les notes et l'historique de ce jeune "
        "seront définitivement supprimés.",
        required=True,
        error_messages={"required": "Cochez la case pour confirmer l'effacement."},
    )


def effacer(request, jeune_uuid):
    """Right to erasure (art. 17): a confirmation page, then the file is anonymised for good."""
    jeune = _jeune_gere(request, jeune_uuid)
    if request.method == "POST":
        form = ConfirmationEffacementForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                anonymiser_jeune(jeune)
                journaliser(request.user, JournalAcces.Action.EFFACEMENT, jeune)
                envoyer(tasks.notifier_effacement, str(jeune.uuid), request.user.pk)
            from django.contrib import messages

            messages.success(request, "Les données personnelles du jeune ont été effacées.")
            return redirect("accueil")
    else:
        form = ConfirmationEffacementForm()
    resume = [(m._meta.verbose_name_plural, len(lignes)) for m, lignes in enregistrements_du_jeune(jeune) if lignes]
    return render(
        request,
        "rgpd/effacer.html",
        {"titre": "Effacer les données d'un jeune", "jeune": jeune, "form": form, "resume": resume},
    )
