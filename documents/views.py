"""Screens of the documents of a parcours: generate the PDFs, upload the signed copies, list and download them.

Reads through `visibles_par` (the parcours' access rules), uploads through `peut_modifier_parcours`; out of scope:
404. A signed copy is only ever served by `telecharger` (journaled, no-store), never by a public URL."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from avenirpro.acces import peut_modifier_parcours
from avenirpro.journal import journaliser
from avenirpro.models import JournalAcces
from avenirpro.pdf import rendre_pdf, reponse_pdf
from documents import services
from documents.forms import DepotForm
from documents.models import PieceSignee
from parcours.models import PFMP, Inscription


def _inscription(request, uuid) -> Inscription:
    return get_object_or_404(Inscription.objects.visibles_par(request.user).pour_liste(), uuid=uuid)


def _pfmp(request, pfmp_uuid) -> PFMP:
    inscriptions = Inscription.objects.visibles_par(request.user)
    return get_object_or_404(
        PFMP.objects.filter(inscription__in=inscriptions).select_related(
            "inscription__jeune", "inscription__campagne", "inscription__etablissement", "inscription__referent"
        ),
        uuid=pfmp_uuid,
    )


def parcours(request, uuid):
    """The documents of one parcours: per PFMP, the convention (or what it still lacks), the attestation and their
    signed copies; the fiche d'engagement; the upload form."""
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    if request.method == "POST" and not ecrire:
        raise Http404
    pfmps = list(inscription.pfmps.all())
    form = DepotForm(request.POST or None, request.FILES or None, pfmps=pfmps)
    if request.method == "POST" and form.is_valid():
        try:
            piece = services.deposer_piece(
                inscription=inscription,
                type=form.cleaned_data["type"],
                pfmp=form.cleaned_data["pfmp_objet"],
                fichier=form.cleaned_data["fichier"],
                user=request.user,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for champ, liste in e.error_dict.items():
                    form.add_error(champ if champ in form.fields else None, liste)
            else:
                form.add_error("fichier", e)
        else:
            messages.success(request, f"{piece.get_type_display()} déposée.")
            return redirect("documents:parcours", uuid=inscription.uuid)
    pieces = list(inscription.pieces_signees.select_related("depose_par", "pfmp"))
    presences = list(inscription.presences.filter(pfmp__isnull=False))
    for p in pfmps:
        p.inscription = inscription
        p.manquants = services.elements_manquants_convention(p)
        p.pieces = [x for x in pieces if x.pfmp_id == p.pk]
        p.convention_deposee = any(x.type == PieceSignee.Type.CONVENTION for x in p.pieces)
        p.attestation = services.contexte_attestation(p, presences)
    return render(
        request,
        "documents/parcours.html",
        {
            "inscription": inscription,
            "titre": f"Documents du parcours de {inscription.jeune}",
            "pfmps": pfmps,
            "engagements": [x for x in pieces if x.type == PieceSignee.Type.ENGAGEMENT],
            "form": form,
            "ecrire": ecrire,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def convention(request, pfmp_uuid):
    """The PFMP convention, generated from the PFMP's data; refused (with the list of what is missing) while
    a required item is missing."""
    pfmp = _pfmp(request, pfmp_uuid)
    manquants = services.elements_manquants_convention(pfmp)
    if manquants:
        return render(
            request,
            "documents/manquants.html",
            {"titre": "Convention incomplète", "pfmp": pfmp, "inscription": pfmp.inscription, "manquants": manquants},
            status=409,
        )
    journaliser(request.user, JournalAcces.Action.PDF, pfmp.inscription.jeune)
    pdf = rendre_pdf("documents/pdf/convention.html", services.contexte_convention(pfmp))
    return reponse_pdf(pdf, f"convention-pfmp-{pfmp.date_debut:%Y-%m-%d}.pdf")


@require_GET
def attestation(request, pfmp_uuid):
    pfmp = _pfmp(request, pfmp_uuid)
    journaliser(request.user, JournalAcces.Action.PDF, pfmp.inscription.jeune)
    pdf = rendre_pdf("documents/pdf/attestation.html", services.contexte_attestation(pfmp))
    return reponse_pdf(pdf, f"attestation-pfmp-{pfmp.date_debut:%Y-%m-%d}.pdf")


@require_GET
def engagement(request, uuid):
    inscription = _inscription(request, uuid)
    journaliser(request.user, JournalAcces.Action.PDF, inscription.jeune)
    pdf = rendre_pdf("documents/pdf/engagement.html", services.contexte_engagement(inscription))
    return reponse_pdf(pdf, "fiche-engagement.pdf")


@require_GET
def telecharger(request, uuid):
    """A signed copy, to whoever may read the parcours (404 otherwise), journaled, never cached."""
    piece = get_object_or_404(PieceSignee.objects.visibles_par(request.user).select_related("jeune"), uuid=uuid)
    services.journaliser_telechargement(request.user, piece)
    reponse = FileResponse(
        services.stockage().open(piece.chemin, "rb"),
        as_attachment=True,
        filename=piece.nom_telechargement,
        content_type=piece.type_contenu,
    )
    reponse["Cache-Control"] = "no-store"
    reponse["X-Content-Type-Options"] = "nosniff"
    return reponse
