"""Devenir after the exit, the hand-over sheet and the young person's own pages (issue 19)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from avenirpro.journal import journaliser
from avenirpro.limites import limite_jeton_public
from avenirpro.pdf import rendre_pdf, reponse_pdf
from devenir import services
from devenir.acces import peut_suivre_devenir
from devenir.forms import ConsentementForm, ReponseForm
from devenir.models import LienJeune, PointDevenir
from parcours import regles
from parcours.models import Inscription

ENTETES_PRIVES = {
    "Cache-Control": "private, no-store",
    # The token is in the URL: never sent to another site. Not «no-referrer»: the browser would then send
    # «Origin: null» with the form, which the CSRF check rightly refuses.
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
}


def _inscription(request, uuid) -> Inscription:
    return get_object_or_404(Inscription.objects.visibles_par(request.user).pour_liste(), uuid=uuid)


def _suivie(request, uuid) -> Inscription:
    inscription = _inscription(request, uuid)
    if not peut_suivre_devenir(request.user, inscription):
        raise Http404
    return inscription


def _reponse_form_initial(point):
    if point.repondu_le is None:
        return {}
    return {
        "situation": point.situation,
        "situation_depuis": point.situation_depuis,
        "recontact": {True: "oui", False: "non"}.get(point.recontact),
    }


def parcours(request, uuid, *, jeton_espace: str | None = None, status: int = 200):
    """The devenir of one parcours: consent, the points at 3 and 6 months with the answers, the personal link."""
    inscription = _inscription(request, uuid)
    suivre = peut_suivre_devenir(request.user, inscription)
    c = services.consentement(inscription)
    points = services.points_du_parcours(inscription)
    for p in points:
        p.form = ReponseForm(initial=_reponse_form_initial(p), prefix=f"p{p.jalon_mois}") if suivre else None
    espace = services.espace_actif(inscription)
    return render(
        request,
        "devenir/parcours.html",
        {
            "inscription": inscription,
            "titre": f"Devenir de {inscription.jeune}",
            "consentement": c,
            "form_consentement": ConsentementForm(
                initial={
                    "courriel_jeune": c.courriel if c else inscription.jeune.email,
                    "accord_devenir": c.accord_devenir if c else False,
                    "accord_liaison": c.accord_liaison if c else False,
                }
            )
            if suivre
            else None,
            "points": points,
            "jalons": services.jalons(inscription.campagne),
            "suivre": suivre,
            "espace": espace,
            "fin_espace": services.fin_espace(inscription),
            "jeton_espace": jeton_espace,
            "url_espace": services.url_absolue(reverse("devenir:espace", kwargs={"jeton": jeton_espace}))
            if jeton_espace
            else None,
        },
        status=status,
    )


@require_POST
def consentement(request, uuid):
    inscription = _suivie(request, uuid)
    form = ConsentementForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        services.enregistrer_consentement(
            inscription=inscription,
            user=request.user,
            courriel=d["courriel_jeune"],
            accord_devenir=d["accord_devenir"],
            accord_liaison=d["accord_liaison"],
        )
        messages.success(request, "Accord du jeune enregistré.")
    else:
        for erreurs in form.errors.values():
            for e in erreurs:
                messages.error(request, e)
    return redirect("devenir:parcours", uuid=inscription.uuid)


@require_POST
def point(request, uuid, jalon):
    inscription = _suivie(request, uuid)
    p = get_object_or_404(PointDevenir, inscription=inscription, jalon_mois=jalon)
    form = ReponseForm(request.POST, prefix=f"p{jalon}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.saisir_point(
                point=p,
                user=request.user,
                situation=d["situation"],
                depuis=d["situation_depuis"],
                recontact=d["recontact"] == "oui",
            )
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        else:
            messages.success(request, f"Situation à {jalon} mois enregistrée.")
    else:
        for erreurs in form.errors.values():
            for e in erreurs:
                messages.error(request, e)
    return redirect("devenir:parcours", uuid=inscription.uuid)


@require_POST
def espace_lien(request, uuid):
    """Create (shown once) or revoke the young person's personal link (R16)."""
    inscription = _suivie(request, uuid)
    if request.POST.get("revoquer"):
        services.revoquer_espace(inscription=inscription)
        messages.success(request, "Lien personnel du jeune révoqué : il ne mène plus à rien.")
        return redirect("devenir:parcours", uuid=inscription.uuid)
    if timezone.now() > services.fin_espace(inscription):
        messages.error(request, "Le parcours et la période de suivi du devenir sont terminés : plus de lien possible.")
        return redirect("devenir:parcours", uuid=inscription.uuid)
    jeton = services.creer_espace(inscription=inscription, user=request.user)
    messages.success(request, "Nouveau lien personnel créé : copiez-le maintenant, il ne sera plus affiché.")
    return parcours(request, uuid, jeton_espace=jeton)


def fiche_liaison(request, uuid):
    """The hand-over sheet to the public employment service (R17): only with the young person's consent."""
    inscription = _suivie(request, uuid)
    c = services.consentement(inscription)
    if c is None or not c.accord_liaison:
        messages.error(
            request,
            "Fiche de liaison impossible : le jeune n'a pas donné son accord à sa transmission. "
            "Recueillez-le d'abord (ci-dessous).",
        )
        return redirect("devenir:parcours", uuid=inscription.uuid)
    from parcours.selections import contexte_bilan

    inscription = Inscription.objects.pour_detail().get(pk=inscription.pk)
    journaliser(request.user, "pdf", inscription)
    contexte = contexte_bilan(inscription)
    contexte.update(
        consentement=c,
        points=[p for p in services.points_du_parcours(inscription) if p.repondu_le],
        edite_le=timezone.localtime(),
        edite_par=request.user,
    )
    pdf = rendre_pdf("devenir/pdf/fiche_liaison.html", contexte)
    from django.utils.text import slugify

    return reponse_pdf(pdf, f"fiche-de-liaison-{slugify(inscription.jeune.nom)}.pdf")


# --- Anonymous pages: the token is the only credential --------------------------------------------------------------


def _prive(reponse):
    for k, v in ENTETES_PRIVES.items():
        reponse[k] = v
    return reponse


@login_not_required
@limite_jeton_public
def reponse(request, jeton):
    """R15: the three questions, by the one-time link sent at a milestone; nothing of the parcours is shown."""
    lien = services.lien_valide(jeton, LienJeune.Usage.DEVENIR)
    if lien is None:
        raise Http404
    form = ReponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.repondre(
                jeton=jeton, situation=d["situation"], depuis=d["situation_depuis"], recontact=d["recontact"] == "oui"
            )
        except LienJeune.DoesNotExist as e:
            raise Http404 from e
        except ValidationError as e:
            for champ, erreurs in e.message_dict.items():
                form.add_error(champ if champ in form.fields else None, erreurs)
        else:
            return _prive(render(request, "devenir/merci.html", {"titre": "Merci pour votre réponse"}))
    return _prive(
        render(
            request,
            "devenir/reponse.html",
            {
                "titre": "Où en êtes-vous ?",
                "form": form,
                "prenom": lien.inscription.jeune.prenoms,
                "jalon": lien.point.jalon_mois,
            },
        )
    )


def _rendez_vous(inscription, maintenant):
    """The young person's next appointments: their own interviews and the meetings they are invited to."""
    from entretiens.models import Entretien, Invitation

    rdv = [
        {"quand": e.date, "quoi": e.get_type_display(), "lieu": e.lieu}
        for e in Entretien.objects.filter(
            jeune_id=inscription.jeune_id, date__gte=maintenant, statut=Entretien.Statut.PLANIFIE
        ).order_by("date")[:10]
    ]
    rdv += [
        {"quand": i.reunion.debut, "quoi": "Réunion d'information collective", "lieu": i.reunion.lieu}
        for i in Invitation.objects.filter(jeune_id=inscription.jeune_id, reunion__debut__gte=maintenant)
        .select_related("reunion")
        .order_by("reunion__debut")[:10]
    ]
    return sorted(rdv, key=lambda r: r["quand"])[:10]


def _documents(pfmps):
    """What the young person has to sign, among what exists: the PFMP conventions not yet signed."""
    return [
        {
            "libelle": f"Convention de {p.get_type_display()} – {p.entreprise}",
            "signe_le": p.convention_signee_le,
            "debut": p.date_debut,
        }
        for p in pfmps
    ]


@login_not_required
@limite_jeton_public
def espace(request, jeton):
    """R16: the young person's own page: only their parcours, read only, no account."""
    from avenirpro.parametres import date_parametre
    from parcours.selections import grille_edt

    lien = services.lien_valide(jeton, LienJeune.Usage.ESPACE)
    if lien is None:
        raise Http404
    inscription = (
        Inscription.objects.select_related("jeune", "campagne", "etablissement", "referent", "conseiller")
        .prefetch_related("pfmps")
        .get(pk=lien.inscription_id)
    )
    aujourdhui = timezone.localdate()
    semaine = date_parametre(request.GET, "semaine") or aujourdhui
    lundi = regles.lundi(semaine)
    pfmps = list(inscription.pfmps.all())
    maintenant = timezone.now()
    return _prive(
        render(
            request,
            "devenir/espace.html",
            {
                "titre": "Mon parcours AvenirPro+",
                "inscription": inscription,
                "jours": grille_edt(inscription, lundi),
                "lundi": lundi,
                "precedente": lundi - datetime.timedelta(days=7),
                "suivante": lundi + datetime.timedelta(days=7),
                "jeton": jeton,
                "url_ics": services.url_absolue(reverse("parcours:ics", kwargs={"jeton": inscription.jeton_ics}))
                if inscription.jeton_ics
                else None,
                "rendez_vous": _rendez_vous(inscription, maintenant),
                "pfmps": pfmps,
                "documents": _documents(pfmps),
                "fin_lien": services.fin_espace(inscription),
            },
        )
    )


# --- «Situation à 6 mois» in pilotage ------------------------------------------------------------------------------


def statistiques(request):
    """R14 + R12: the situation at the last devenir point, by lycée (or above), MEF or typology, masked."""
    from django.core.exceptions import PermissionDenied

    from avenirpro.campagnes import campagne_choisie
    from avenirpro.models import Etablissement
    from avenirpro.parametres import entier_parametre
    from avenirpro.secret_statistique import MASQUE, SEUIL, libelle_noeud
    from devenir import statistiques as stats
    from devenir.models import Situation
    from tableaux.selections import portees
    from tableaux.statistiques import DIMENSIONS

    choix = portees(request.user)
    if not choix:
        raise PermissionDenied
    index = entier_parametre(request.GET, "portee", maximum=len(choix) - 1)
    portee = choix[index]
    dimension = request.GET.get("par") or portee["dimension"]
    if dimension not in DIMENSIONS:
        dimension = portee["dimension"]
    ventilation = request.GET.get("ventilation", "ensemble")
    if ventilation not in stats.SEGMENTS:
        ventilation = "ensemble"
    campagne, campagnes = campagne_choisie(request.GET)
    t = stats.tableau(campagne)
    lycees = set(Etablissement.objects.filter(**portee["portee"]).values_list("pk", flat=True))
    noms = {pk: ligne.get("libelle", "") for pk, ligne in t.lignes.items()}
    groupes = [(libelle_noeud(n, noms), m) for n, m in t.groupes(lycees, dimension)]
    groupes.sort(key=lambda g: g[0])
    groupes.append(("Total", frozenset(pk for pk in lycees if pk in t.lignes)))
    lignes = []
    for libelle, membres in groupes:
        valeurs, masquees = t.cellules(membres)
        for seg in stats.SEGMENTS[ventilation]:
            cellules = []
            for sit in stats.SITUATIONS:
                col = f"{seg}|{sit}"
                cellules.append(MASQUE if col in masquees else valeurs[col])
            lignes.append({"libelle": libelle, "segment": stats.libelle_segment(seg), "cellules": cellules})
    return render(
        request,
        "devenir/statistiques.html",
        {
            "titre": "Situation à 6 mois",
            "campagne": campagne,
            "campagnes": campagnes,
            "choix": [{"libelle": c["libelle"], "index": i} for i, c in enumerate(choix)],
            "index": index,
            "dimension": dimension,
            "dimensions": [(cle, lib) for cle, (lib, _) in DIMENSIONS.items()],
            "libelle_dimension": DIMENSIONS[dimension][0],
            "ventilation": ventilation,
            "ventilations": [("ensemble", "Ensemble"), ("mef", "Par MEF"), ("typologie", "Par typologie")],
            "colonnes": [*Situation.labels, "Répondants"],
            "lignes": lignes,
            "seuil": SEUIL,
            "masque": MASQUE,
            "jalon": campagne.devenir_second_point_mois if campagne else 6,
        },
    )
