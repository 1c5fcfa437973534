"""Screens of the parcours (steps 5–8). Reads through `visibles_par`, writes through `avenirpro.acces` predicates;
outside the user's scope: 404."""

import datetime
import uuid as uuidlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from avenirpro.acces import (
    perimetre,
    peut_cloturer,
    peut_faire_l_appel,
    peut_inscrire,
    peut_modifier_parcours,
    peut_rouvrir,
    q_parcours_modifiables,
)
from avenirpro.exports import reponse_csv
from avenirpro.journal import journaliser
from avenirpro.limites import limite_jeton_public
from avenirpro.models import Campagne, Etablissement
from avenirpro.parametres import date_parametre
from avenirpro.pdf import rendre_pdf, reponse_pdf
from eleves.models import Jeune
from parcours import agenda, regles, services
from parcours.filters import GratificationFilter, InscriptionFilter
from parcours.forms import (
    STATUTS_GRILLE,
    ActionForm,
    BilanForm,
    CreneauForm,
    CreneauParcoursForm,
    DeplacerCreneauForm,
    FiltreAppelForm,
    GrillePresences,
    ImportOffreForm,
    InscriptionForm,
    OffreForm,
    PFMPForm,
    PointSuiviForm,
    ReouvertureForm,
    formulaire_sortie,
    lire_offre_csv,
)
from parcours.models import PFMP, Action, Bilan, Creneau, Inscription, OffreAction, Presence
from parcours.selections import (
    acces_offre,
    contexte_bilan,
    grille_edt,
    grille_presences,
    liste_filtree,
    offre_filtree,
)

# --- helpers ------------------------------------------------------------------------------------------------


def _inscription(request, uuid) -> Inscription:
    return get_object_or_404(Inscription.objects.visibles_par(request.user).pour_liste(), uuid=uuid)


def _modifiable(request, uuid) -> Inscription:
    inscription = _inscription(request, uuid)
    if not peut_modifier_parcours(request.user, inscription):
        raise Http404
    return inscription


def _erreurs_dans_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for champ, liste in exc.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, exc)


def _contexte(inscription, **extra):
    return {**extra, "inscription": inscription, "titre": f"Parcours de {inscription.jeune}"}


def _jauge(inscription, pfmps=None):
    periodes = [(p.date_debut, p.date_fin) for p in (pfmps if pfmps is not None else inscription.pfmps.all())]
    jours = regles.jours_pfmp(inscription, periodes=periodes)
    plafond = regles.plafond_pfmp(inscription)
    return {
        "jours": jours,
        "plafond": plafond,
        "libelle": regles.libelle_jauge(jours, plafond),
        "pourcentage": min(100, round(100 * jours / plafond)) if plafond else 0,
        "depasse": jours > plafond,
        # Under way today without a signed convention (R18: «signée» only with its signed copy).
        "sans_convention": sum(
            1
            for p in (pfmps if pfmps is not None else inscription.pfmps.all())
            if p.date_debut <= timezone.localdate() <= p.date_fin and not p.convention_signee_le
        ),
    }


# --- list, enrolment, edit ----------------------------------------------------------------------------------


def liste(request):
    """The chef's enrolments, filtered and paginated."""
    qs, filtre = liste_filtree(request.user, request.GET)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "parcours/liste.html",
        {
            "titre": "Parcours AvenirPro+",
            "page": page,
            "statuts": Inscription.Statut.choices,
            "mefs": Inscription.Mef.choices,
            "alertes_liste": InscriptionFilter.base_filters["alerte"].extra["choices"],
            "filtre": filtre,
            "campagnes": Campagne.objects.order_by("-session"),
            "lycees_chef": Etablissement.objects.filter(pk__in=perimetre(request.user).chef).order_by("nom"),
        },
    )


def inscrire(request, jeune_uuid):
    """Step 5: enrol a young person (chef). Pre-filled from the repérage; MEF and end date computed."""
    jeune = get_object_or_404(Jeune.objects.visibles_par(request.user), uuid=jeune_uuid)
    if not peut_inscrire(request.user, jeune):
        raise Http404
    campagne = Campagne.courante()
    reperage = jeune.reperages.filter(campagne=campagne).first()
    deja = Inscription.objects.filter(jeune=jeune, campagne=campagne).first()
    if deja:
        messages.info(request, "Ce jeune est déjà inscrit pour cette campagne.")
        return redirect("parcours:detail", uuid=deja.uuid)
    initial = {"date_entree": max(campagne.date_entree_min, timezone.localdate()), "boursier": jeune.boursier}
    form = InscriptionForm(
        request.POST or None, initial=initial, etablissement_id=jeune.etablissement_id, instance=Inscription()
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            inscription = services.inscrire(
                jeune=jeune,
                campagne=campagne,
                date_entree=d["date_entree"],
                referent=d.get("referent"),
                conseiller=d.get("conseiller"),
                numero_imilo=d.get("numero_imilo", ""),
                boursier=d.get("boursier"),
                statut=d["statut"],
            )
        except ValidationError as e:
            _erreurs_dans_form(form, e)
        else:
            messages.success(request, "Inscription enregistrée.")
            if alerte := regles.avertissement_imilo(inscription):
                messages.warning(request, alerte)
            return redirect("parcours:detail", uuid=inscription.uuid)
    mef = regles.mef_pour_diplome(reperage.diplome) if reperage else ""
    return render(
        request,
        "parcours/inscrire.html",
        {
            "prealables": _prealables_inscription(request, jeune, reperage),
            "titre": f"Inscrire {jeune}",
            "jeune": jeune,
            "reperage": reperage,
            "campagne": campagne,
            "mef": dict(Inscription.Mef.choices).get(mef, ""),
            "form": form,
        },
    )


def _prealables_inscription(request, jeune, reperage) -> list[dict]:
    """What still stands in the way of the enrolment (R9 offer, R1 confirmed wish), each with the link to record it."""
    if reperage is None:
        return []
    from eleves.regles import verifier_offre_reinscription
    from parcours.volontariat import verifier_volontariat

    prealables = []
    ici = request.path
    ok, message = verifier_offre_reinscription(reperage)
    if not ok:
        prealables.append(
            {
                "message": message,
                "lien": reverse("eleves:reinscription", kwargs={"uuid": jeune.uuid}) + f"?suite={ici}",
                "libelle_lien": "Enregistrer la proposition de réinscription",
            }
        )
    ok, message = verifier_volontariat(reperage)
    if not ok:
        prealables.append(
            {
                "message": message,
                "lien": reverse("eleves:engagement", kwargs={"uuid": jeune.uuid}),
                "libelle_lien": "Enregistrer un engagement écrit",
            }
        )
    return prealables


def detail(request, uuid):
    inscription = get_object_or_404(Inscription.objects.visibles_par(request.user).pour_detail(), uuid=uuid)
    journaliser(request.user, "lecture", inscription)
    presences = list(inscription.presences.all())
    pfmps = list(inscription.pfmps.all())
    return render(
        request,
        "parcours/detail.html",
        _contexte(
            inscription,
            jauge=_jauge(inscription, pfmps),
            taux=regles.taux_assiduite(presences),
            gratification=regles.gratification(inscription, presences),
            journal=services.journal(inscription),
            peut_modifier=peut_modifier_parcours(request.user, inscription),
            peut_cloturer=peut_cloturer(request.user, inscription),
        ),
    )


def modifier(request, uuid):
    inscription = _modifiable(request, uuid)
    form = InscriptionForm(
        request.POST or None,
        instance=inscription,
        etablissement_id=inscription.etablissement_id,
        peut_designer=peut_inscrire(request.user, inscription.jeune),
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version", None) or 0
        try:
            inscription = services.modifier_inscription(inscription=inscription, version=version, donnees=d)
        except ValidationError as e:
            _erreurs_dans_form(form, e)
        else:
            messages.success(request, "Parcours mis à jour.")
            if alerte := regles.avertissement_imilo(inscription):
                messages.warning(request, alerte)
            return redirect("parcours:detail", uuid=inscription.uuid)
    return render(request, "parcours/modifier.html", _contexte(inscription, form=form))


# --- actions and timetable ---------------------------------------------------------------------------------


def actions(request, uuid):
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    if request.method == "POST" and not ecrire:
        raise Http404
    offres = OffreAction.objects.visibles_par(request.user)
    form = ActionForm(request.POST or None, offres=offres, instance=Action(inscription=inscription))
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_action(inscription=inscription, action=form.instance)
        except ValidationError as e:
            _erreurs_dans_form(form, e)
        else:
            messages.success(request, "Action ajoutée au parcours.")
            return redirect("parcours:actions", uuid=inscription.uuid)
    liste_actions = inscription.actions.prefetch_related("creneaux")
    return render(
        request, "parcours/actions.html", _contexte(inscription, actions=liste_actions, form=form, ecrire=ecrire)
    )


def action_modifier(request, uuid, action_uuid):
    inscription = _modifiable(request, uuid)
    action = get_object_or_404(Action, inscription=inscription, uuid=action_uuid)
    form = ActionForm(
        request.POST if request.POST.get("formulaire") == "action" else None,
        offres=OffreAction.objects.visibles_par(request.user),
        instance=action,
    )
    creneau_form = CreneauForm(
        request.POST if request.POST.get("formulaire") == "creneau" else None, instance=Creneau(action=action)
    )
    if request.method == "POST":
        if request.POST.get("formulaire") == "action" and form.is_valid():
            try:
                services.enregistrer_action(inscription=inscription, action=form.instance)
            except ValidationError as e:
                _erreurs_dans_form(form, e)
            else:
                messages.success(request, "Action mise à jour.")
                return redirect("parcours:action", uuid=inscription.uuid, action_uuid=action.uuid)
        elif request.POST.get("formulaire") == "creneau" and creneau_form.is_valid():
            alertes = services.enregistrer_creneau(creneau=creneau_form.instance)
            messages.success(request, "Créneau ajouté à l'emploi du temps.")
            if inconnu := regles.calendrier_scolaire_inconnu(
                inscription.etablissement, action.date_debut, action.date_fin
            ):
                messages.warning(request, inconnu)
            if alertes:
                messages.warning(
                    request,
                    "Attention : ce créneau tombe sur des vacances scolaires ou des jours fériés : "
                    + " ; ".join(alertes[:8])
                    + (" …" if len(alertes) > 8 else ""),
                )
            return redirect("parcours:action", uuid=inscription.uuid, action_uuid=action.uuid)
        elif request.POST.get("formulaire") == "supprimer_creneau":
            Creneau.objects.filter(action=action, pk=request.POST.get("creneau")).delete()
            return redirect("parcours:action", uuid=inscription.uuid, action_uuid=action.uuid)
    return render(
        request,
        "parcours/action.html",
        _contexte(inscription, action=action, form=form, creneau_form=creneau_form, creneaux=action.creneaux.all()),
    )


def _semaine(request, inscription):
    """The week asked for in `?semaine=` (bounded: avenirpro.parametres), else the current week within the parcours."""
    jour = date_parametre(request.GET, "semaine") or min(
        max(timezone.localdate(), inscription.date_entree), inscription.date_limite
    )
    return regles.lundi(jour)


def _semaine_avec_creneaux(inscription, creneaux, pfmps, depuis: datetime.date) -> datetime.date | None:
    """The Monday of the first week, from the week of `depuis` on, where the young person is expected (a slot or a
    PFMP, holidays excepted), or None. At most the parcours' few weeks are looked at, without a query."""
    lundi = regles.lundi(max(depuis, inscription.date_entree))
    fin = regles.fin_reelle(inscription)
    while lundi <= fin:
        if regles.demi_journees_attendues(inscription, creneaux, pfmps, lundi, lundi + datetime.timedelta(days=6)):
            return lundi
        lundi += datetime.timedelta(days=7)
    return None


def _pourquoi_vide(inscription, jours, creneaux) -> str:
    """Why a week of the timetable shows nothing, in words."""
    if not creneaux:
        return "Aucun créneau n'est encore prévu dans l'emploi du temps de ce parcours : ajoutez-en ci-dessous."
    if all(j["hors_parcours"] for j in jours):
        return (
            f"Cette semaine est hors des dates du parcours (du {inscription.date_entree:%d/%m/%Y} "
            f"au {regles.fin_reelle(inscription):%d/%m/%Y})."
        )
    conges = sorted({j["vacances"] or j["ferie"] for j in jours if j["vacances"] or j["ferie"]})
    if conges and all(j["vacances"] or j["ferie"] or j["hors_parcours"] for j in jours[:5]):
        return f"Pas de créneau cette semaine : {', '.join(conges)}."
    return "Aucune action du parcours n'a de créneau cette semaine."


def emploi_du_temps(request, uuid):
    """The week's timetable; without `semaine`, the current week if something is planned, else the next week with
    slots (and the reason when a week is empty). Slots are added, moved and removed here too."""
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    actions_ = list(inscription.actions.exclude(statut=Action.Statut.ABANDONNEE).order_by("date_debut", "pk"))
    creneau_form = CreneauParcoursForm(
        request.POST if request.POST.get("formulaire") == "creneau" else None, actions=actions_
    )
    if request.method == "POST":
        if not ecrire:
            raise Http404
        reponse = _ecrire_creneau(request, inscription, creneau_form)
        if reponse is not None:
            return reponse
    creneaux = list(
        Creneau.objects.filter(action__inscription=inscription)
        .select_related("action")
        .order_by("jour", "heure_debut")
    )
    pfmps = list(inscription.pfmps.all())
    info = ""
    if request.GET.get("semaine"):
        lundi = _semaine(request, inscription)
    else:
        lundi = _semaine(request, inscription)
        prochaine = _semaine_avec_creneaux(inscription, creneaux, pfmps, lundi)
        if prochaine is not None and prochaine != lundi:
            info = (
                f"Rien n'est prévu la semaine du {lundi:%d/%m/%Y} : voici la prochaine semaine avec des créneaux "
                f"(du {prochaine:%d/%m/%Y})."
            )
            lundi = prochaine
    jours = grille_edt(inscription, lundi)
    vide = "" if any(j["creneaux"] or j["pfmp"] for j in jours) else _pourquoi_vide(inscription, jours, creneaux)
    ics = ""
    if inscription.jeton_ics:
        ics = request.build_absolute_uri(reverse("parcours:ics", kwargs={"jeton": inscription.jeton_ics}))
    return render(
        request,
        "parcours/emploi_du_temps.html",
        _contexte(
            inscription,
            jours=jours,
            lundi=lundi,
            precedente=lundi - datetime.timedelta(days=7),
            suivante=lundi + datetime.timedelta(days=7),
            ics=ics,
            ecrire=ecrire,
            info=info,
            vide=vide,
            creneaux=creneaux,
            creneau_form=creneau_form,
            jours_semaine=Creneau.Jour.choices,
            calendrier_inconnu=regles.calendrier_scolaire_inconnu(
                inscription.etablissement, lundi, lundi + datetime.timedelta(days=6)
            ),
        ),
    )


def _ecrire_creneau(request, inscription, creneau_form):
    """Add (`creneau`), move (`deplacer`) or remove (`supprimer`) a slot of one of the parcours' actions."""
    retour = reverse("parcours:emploi_du_temps", kwargs={"uuid": inscription.uuid})
    if request.POST.get("semaine"):
        retour += f"?semaine={request.POST['semaine'][:10]}"
    formulaire = request.POST.get("formulaire")
    if formulaire == "creneau":
        if not creneau_form.is_valid():
            return None
        creneau = Creneau(
            action=creneau_form.cleaned_data["action"],
            **{k: creneau_form.cleaned_data[k] for k in ("jour", "heure_debut", "heure_fin")},
        )
        _avertir(request, services.enregistrer_creneau(creneau=creneau), "Créneau ajouté à l'emploi du temps.")
        return redirect(retour)
    creneau = get_object_or_404(
        Creneau.objects.select_related("action"), action__inscription=inscription, pk=request.POST.get("creneau") or 0
    )
    if formulaire == "supprimer":
        creneau.delete()
        messages.success(request, f"Créneau du {creneau} retiré de l'emploi du temps.")
        return redirect(retour)
    if formulaire == "deplacer":
        form = DeplacerCreneauForm(request.POST, instance=creneau, prefix=f"c{creneau.pk}")
        if form.is_valid():
            _avertir(
                request, services.enregistrer_creneau(creneau=form.instance), f"Créneau déplacé : {form.instance}."
            )
        else:
            messages.error(request, "Créneau non déplacé : " + " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(retour)
    raise Http404


def _avertir(request, alertes, succes):
    messages.success(request, succes)
    if alertes:
        messages.warning(
            request,
            "Attention : ce créneau tombe sur des vacances scolaires ou des jours fériés : "
            + " ; ".join(alertes[:8])
            + (" …" if len(alertes) > 8 else ""),
        )


def emploi_du_temps_pdf(request, uuid):

    inscription = _inscription(request, uuid)
    lundi = _semaine(request, inscription)
    journaliser(request.user, "pdf", inscription)
    pdf = rendre_pdf(
        "parcours/pdf/emploi_du_temps.html",
        _contexte(inscription, jours=grille_edt(inscription, lundi), lundi=lundi),
    )
    return reponse_pdf(pdf, f"emploi-du-temps-{lundi:%Y-%m-%d}.pdf")


@require_POST
def jeton_ics(request, uuid):
    """Create (or replace) or revoke the secret calendar link of a young person."""
    inscription = _modifiable(request, uuid)
    nouveau = None if request.POST.get("revoquer") else uuidlib.uuid4()
    Inscription.objects.filter(pk=inscription.pk).update(jeton_ics=nouveau)
    messages.success(request, "Lien d'agenda révoqué." if nouveau is None else "Nouveau lien d'agenda créé.")
    url = reverse("parcours:emploi_du_temps", kwargs={"uuid": inscription.uuid})
    semaine = date_parametre(request.POST, "semaine")
    return redirect(f"{url}?semaine={semaine:%Y-%m-%d}" if semaine else url)


@login_not_required
@limite_jeton_public
def ics(request, jeton):
    """The young person's timetable as an iCalendar feed; the secret link is the only credential (revocable)."""
    inscription = get_object_or_404(Inscription.objects.select_related("etablissement", "campagne"), jeton_ics=jeton)
    reponse = HttpResponse(agenda.ics_emploi_du_temps(inscription), content_type="text/calendar; charset=utf-8")
    reponse["Cache-Control"] = "private, no-store"
    return reponse


# --- PFMP ----------------------------------------------------------------------------------------------------


def _avertir_periode(request, inscription, pfmp):
    """R7: a PFMP on public holidays or school holidays, or where the school holidays are unknown, is warned about."""
    for alerte in regles.avertissements_periode(
        inscription.etablissement, pfmp.date_debut, pfmp.date_fin, "la période en entreprise"
    ):
        messages.warning(request, alerte)


def pfmp(request, uuid, pfmp_uuid=None):
    """The periods in a company of a parcours: the list with the add form, or (`pfmp_uuid`) the edit form of one
    period. One view, one save path (`services.enregistrer_pfmp`, R4/R7 checks); editing needs the right to write,
    without it the period does not exist (404)."""
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    if (request.method == "POST" or pfmp_uuid is not None) and not ecrire:
        raise Http404
    objet = (
        get_object_or_404(PFMP, inscription=inscription, uuid=pfmp_uuid)
        if pfmp_uuid is not None
        else PFMP(inscription=inscription)
    )
    form = PFMPForm(request.POST or None, instance=objet)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_pfmp(inscription=inscription, pfmp=form.instance)
        except ValidationError as e:
            _erreurs_dans_form(form, e)
        else:
            messages.success(
                request,
                "Période en entreprise ajoutée." if pfmp_uuid is None else "Période en entreprise mise à jour.",
            )
            _avertir_periode(request, inscription, form.instance)
            return redirect("parcours:pfmp", uuid=inscription.uuid)
    pfmps = list(inscription.pfmps.all())
    if pfmp_uuid is not None:
        return render(
            request,
            "parcours/pfmp_modifier.html",
            _contexte(inscription, objet=objet, form=form, jauge=_jauge(inscription, pfmps)),
        )
    return render(
        request,
        "parcours/pfmp.html",
        _contexte(inscription, pfmps=pfmps, jauge=_jauge(inscription, pfmps), form=form, ecrire=ecrire),
    )


# --- attendance ------------------------------------------------------------------------------------------------


def presences(request, uuid):
    """One grid per week: rows = half-days, entered in bulk («tout présent»). Each cell carries the value it was drawn
    with: only changed cells are saved, and a cell changed since by someone else refuses the whole save."""
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    lundi = _semaine(request, inscription)
    lignes = grille_presences(inscription, lundi)
    erreurs, conflit = [], False
    if request.method == "POST":
        if not ecrire:
            raise Http404
        saisies = GrillePresences(request.POST, lignes=lignes).saisies(tout_present="tout_present" in request.POST)
        try:
            resultat = services.enregistrer_appel(
                lignes=[{**s, "inscription": inscription} for s in saisies], user=request.user
            )
        except services.ConflitDeSaisie as e:
            # Nothing saved: the grid shows what is saved now; the user's other changes are kept on screen.
            conflit, erreurs = True, e.messages
            en_conflit = {(d, per) for _i, d, per, _a in e.cellules}
            for li, s in zip(lignes, saisies, strict=True):
                if (li["date"], li["periode"]) not in en_conflit and (s["statut"], s["motif"]) != s.get("origine"):
                    li["statut"], li["motif"] = s["statut"], s["motif"]
        except ValidationError as e:
            erreurs = e.messages
            for li, s in zip(lignes, saisies, strict=True):
                li["statut"], li["motif"] = s["statut"], s["motif"]
                if "origine" in s:
                    li["origine_statut"], li["origine_motif"] = s["origine"]
        else:
            if resultat.modifiees:
                messages.success(
                    request,
                    f"Assiduité de la semaine enregistrée ({resultat.renseignees} demi-journées). "
                    f"{resultat.modifiees} modification(s).",
                )
            else:
                messages.info(
                    request,
                    f"Aucune modification : la semaine est déjà enregistrée ({resultat.renseignees} demi-journées).",
                )
            for alerte in regles.avertissements_absences(inscription.etablissement, saisies):
                messages.warning(request, alerte)
            return redirect(
                f"{reverse('parcours:presences', kwargs={'uuid': inscription.uuid})}?semaine={lundi:%Y-%m-%d}"
            )
    toutes = list(inscription.presences.all())
    semaine = [p for p in toutes if lundi <= p.date < lundi + datetime.timedelta(days=7)]
    return render(
        request,
        "parcours/presences.html",
        _contexte(
            inscription,
            lignes=lignes,
            lundi=lundi,
            precedente=lundi - datetime.timedelta(days=7),
            suivante=lundi + datetime.timedelta(days=7),
            statuts=STATUTS_GRILLE,
            taux_semaine=regles.taux_assiduite(semaine),
            taux_parcours=regles.taux_assiduite(toutes),
            erreurs=erreurs,
            conflit=conflit,
            ecrire=ecrire,
        ),
    )


# --- follow-up, bilan, exit -------------------------------------------------------------------------------------


def points(request, uuid):
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    if request.method == "POST" and not ecrire:
        raise Http404
    form = PointSuiviForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        point = form.save(commit=False)
        point.inscription, point.auteur = inscription, request.user
        point.save()
        messages.success(request, "Point de suivi enregistré.")
        return redirect("parcours:points", uuid=inscription.uuid)
    return render(
        request,
        "parcours/points.html",
        _contexte(inscription, points=inscription.points_suivi.select_related("auteur"), form=form, ecrire=ecrire),
    )


def bilan(request, uuid):
    inscription = _inscription(request, uuid)
    ecrire = peut_modifier_parcours(request.user, inscription)
    cloturer = peut_cloturer(request.user, inscription)
    objet = Bilan.objects.filter(inscription=inscription).first() or Bilan(inscription=inscription)
    form = BilanForm(request.POST or None, instance=objet)
    if request.method == "POST":
        if not ecrire:
            raise Http404
        if form.is_valid():
            b = form.save(commit=False)
            b.redige_par = request.user
            b.save()
            messages.success(request, "Bilan enregistré.")
            return redirect("parcours:bilan", uuid=inscription.uuid)
    sortie = formulaire_sortie(
        inscription=inscription,
        date_sortie=inscription.date_sortie,
        motif_sortie=inscription.motif_sortie,
        situation_sortie=inscription.situation_sortie,
    )
    reouverture = None
    if peut_rouvrir(request.user, inscription):
        reouverture = ReouvertureForm(initial={"version": inscription.version})
    return render(
        request,
        "parcours/bilan.html",
        _contexte(
            inscription,
            **{k: v for k, v in contexte_bilan(inscription).items() if k != "inscription"},
            form=form,
            sortie=sortie,
            reouverture=reouverture,
            ecrire=ecrire,
            cloturer=cloturer,
        ),
    )


def sortie(request, uuid):
    inscription = _inscription(request, uuid)
    if not peut_cloturer(request.user, inscription):
        raise Http404
    form = formulaire_sortie(request.POST or None, inscription=inscription)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                services.cloturer(
                    inscription=inscription,
                    version=d["version"],
                    date_sortie=d["date_sortie"],
                    motif_sortie=d["motif_sortie"],
                    situation_sortie=d["situation_sortie"],
                )
                # The apps above record what their fields of the exit form asked (devenir: the young person's
                # consent).
                from parcours.extensions import APRES_SORTIE

                for suite in APRES_SORTIE:
                    suite(inscription=inscription, user=request.user, donnees=d)
        except ValidationError as e:
            _erreurs_dans_form(form, e)
        else:
            messages.success(request, "Sortie du dispositif enregistrée.")
            return redirect("parcours:bilan", uuid=inscription.uuid)
    return render(request, "parcours/sortie.html", _contexte(inscription, form=form))


def rouvrir(request, uuid):
    """ADR 0012: the chef reopens a closed parcours, with a reason; the exit is cleared and stays in the history."""
    inscription = _inscription(request, uuid)
    if not peut_rouvrir(request.user, inscription):
        raise Http404
    form = ReouvertureForm(request.POST or None, initial={"version": inscription.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.rouvrir(
                inscription=inscription,
                version=form.cleaned_data["version"],
                user=request.user,
                motif=form.cleaned_data["motif"],
            )
        except ValidationError as e:
            _erreurs_dans_form(form, e)
        else:
            messages.success(request, "Parcours rouvert : la sortie a été effacée (elle reste dans l'historique).")
            return redirect("parcours:detail", uuid=inscription.uuid)
    return render(request, "parcours/rouvrir.html", _contexte(inscription, form=form))


@require_POST
def bilan_envoyer(request, uuid):
    inscription = _inscription(request, uuid)
    if not peut_cloturer(request.user, inscription):
        raise Http404
    objet = Bilan.objects.filter(inscription=inscription).first()
    if objet is None:
        messages.error(request, "Rédigez le bilan avant de le transmettre.")
        return redirect("parcours:bilan", uuid=inscription.uuid)
    services.envoyer_bilan(bilan=objet, lien=reverse("parcours:bilan_pdf", kwargs={"uuid": inscription.uuid}))
    messages.success(request, "Bilan transmis au chef d'établissement.")
    return redirect("parcours:bilan", uuid=inscription.uuid)


def bilan_pdf(request, uuid):

    inscription = _inscription(request, uuid)
    journaliser(request.user, "pdf", inscription)
    pdf = rendre_pdf("parcours/pdf/bilan.html", contexte_bilan(inscription))
    return reponse_pdf(pdf, f"bilan-{inscription.jeune.nom}.pdf", telechargement=True)


# --- exports ---------------------------------------------------------------------------------------------------


def _inscriptions_du_chef(request):
    p = perimetre(request.user)
    if not p.chef:
        raise PermissionDenied
    return (
        Inscription.objects.visibles_par(request.user)
        .filter(etablissement_id__in=p.chef, campagne=Campagne.courante())
        .pour_liste()
        .order_by("jeune__nom", "jeune__prenoms")
    )


def export_siecle(request):
    """For SIECLE (ADR 0022): INE, nom, prénoms, the MEF code SIECLE expects (a campaign setting: empty while the
    administrator has not set it, never invented) and its label, entry date, exit date and motif."""
    qs = list(_inscriptions_du_chef(request))
    journaliser(request.user, "export", "Inscriptions à saisir dans SIECLE", len(qs))
    return reponse_csv(
        "a-inscrire-siecle.csv",
        ["INE", "NOM", "PRENOMS", "CODE_MEF", "LIBELLE_MEF", "DATE_ENTREE", "DATE_SORTIE", "MOTIF_SORTIE"],
        (
            [
                i.jeune.ine,
                i.jeune.nom,
                i.jeune.prenoms,
                i.code_mef,
                i.libelle_mef,
                i.date_entree,
                i.date_sortie,
                i.get_motif_sortie_display(),
            ]
            for i in qs
        ),
    )


def export_gratifications(request):
    """R8: PFMP days done and amount per young person, for the payment file. `du` / `au` (jj/mm/aaaa or
    aaaa-mm-jj, bounded by avenirpro.parametres): only the half-days of that period; `lycee` (UAI): one of the
    chef's lycées only (another UAI: 404)."""
    filtre = GratificationFilter(request.GET, queryset=_inscriptions_du_chef(request))
    filtre.form.is_valid()
    uai = (filtre.form.cleaned_data.get("lycee") or "").strip().upper()
    if uai and not Etablissement.objects.filter(uai=uai, pk__in=perimetre(request.user).chef).exists():
        raise Http404
    qs = filtre.qs
    du, au = date_parametre(request.GET, "du"), date_parametre(request.GET, "au")
    presences = Presence.objects.filter(pfmp__isnull=False)
    if du:
        presences = presences.filter(date__gte=du)
    if au:
        presences = presences.filter(date__lte=au)
    qs = list(qs.prefetch_related(Prefetch("presences", queryset=presences)))
    periode = f"du {du:%d/%m/%Y}" if du else ""
    periode += f"{' ' if du else ''}au {au:%d/%m/%Y}" if au else ""
    journaliser(request.user, "export", f"Gratifications PFMP {periode}".strip(), len(qs))
    lignes = []
    for i in qs:
        presences_ = list(i.presences.all())
        jours = regles.jours_pfmp_effectues(presences_)
        if not jours:
            continue
        lignes.append(
            [
                i.etablissement.uai,
                i.jeune.ine,
                i.jeune.nom,
                i.jeune.prenoms,
                i.get_mef_display(),
                str(jours).replace(".", ","),
                str(regles.taux_gratification(i)).replace(".", ","),
                str(regles.gratification(i, presences_)).replace(".", ","),
                du,
                au,
            ]
        )
    nom = "gratifications-pfmp" + (f"-{uai.lower()}" if uai else "") + (f"-du-{du:%Y%m%d}" if du else "")
    nom += f"-au-{au:%Y%m%d}" if au else ""
    return reponse_csv(
        f"{nom}.csv",
        ["UAI", "INE", "NOM", "PRENOMS", "MEF", "JOURS_PFMP", "TAUX_JOUR", "MONTANT", "PERIODE_DU", "PERIODE_AU"],
        lignes,
    )


# --- local offer -----------------------------------------------------------------------------------------------


def _lycees_porteurs(user):
    p = perimetre(user)
    return Etablissement.objects.filter(pk__in=set(p.chef) | set(p.referent) | set(p.couverts))


_acces_offre = acces_offre


def offre(request):
    """The local offer of the user's lycées and of their network/bassin; add an action."""
    _acces_offre(request.user)
    lycees = _lycees_porteurs(request.user)
    form = OffreForm(request.POST or None, lycees=lycees)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action ajoutée à l'offre locale.")
        return redirect("parcours:offre")
    page = Paginator(offre_filtree(request.user, request.GET), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "parcours/offre.html",
        {
            "titre": "Offre locale",
            "page": page,
            "form": form,
            "porteurs": set(lycees.values_list("pk", flat=True)),
        },
    )


def offre_modifier(request, uuid):
    """Edit an action of the offer: by the staff of the lycée that carries it; anyone else gets 404."""
    lycees = _lycees_porteurs(request.user)
    objet = get_object_or_404(OffreAction.objects.filter(etablissement__in=lycees), uuid=uuid)
    form = OffreForm(request.POST or None, instance=objet, lycees=lycees)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Action de l'offre mise à jour.")
        return redirect("parcours:offre")
    return render(request, "parcours/offre_modifier.html", {"titre": "Modifier une action de l'offre", "form": form})


def offre_importer(request):
    _acces_offre(request.user)
    lycees = _lycees_porteurs(request.user)
    form = ImportOffreForm(request.POST or None, request.FILES or None, lycees=lycees)
    erreurs = []
    if request.method == "POST" and form.is_valid():
        lignes, erreurs = lire_offre_csv(form.cleaned_data["fichier"].read())
        if not erreurs:
            with transaction.atomic():
                for ligne in lignes:
                    OffreAction.objects.create(etablissement=form.cleaned_data["etablissement"], **ligne)
            messages.success(request, f"{len(lignes)} action(s) importée(s) dans l'offre locale.")
            return redirect("parcours:offre")
    return render(
        request, "parcours/offre_importer.html", {"titre": "Importer l'offre locale", "form": form, "erreurs": erreurs}
    )


# --- the register («faire l'appel») and the week of all my young people ----------------------------------------


def _jour(request, nom="jour"):
    """The day asked for in the URL, bounded (avenirpro.parametres), else today."""
    return date_parametre(request.GET, nom, defaut=timezone.localdate())


def _lignes_postees(request):
    """The cells of a posted register, as service lines (with the value each showed when drawn). Every parcours named
    must be one whose attendance the user may record, else 404 (nothing is said about the others)."""
    from parcours import appel as registre

    cellules = {}
    for nom in request.POST:
        if nom.startswith("os_"):
            lue = registre.lire_cle(nom[3:])
            if lue is None:
                raise Http404
            cellules[nom[3:]] = lue
    uuids = {u for u, _j, _p in cellules.values()}
    try:
        modifiables = {
            str(i.uuid): i
            for i in Inscription.objects.visibles_par(request.user)
            .filter(q_parcours_modifiables(request.user), uuid__in=uuids)
            .select_related("jeune")
        }
    except ValidationError:  # not a UUID
        raise Http404 from None
    if set(modifiables) != uuids:
        raise Http404
    tous = "tous_presents" in request.POST
    lignes = []
    for cle, (uuid, jour, periode) in cellules.items():
        statut = request.POST.get(f"s_{cle}", "")
        if statut not in Presence.Statut.values:
            statut = ""
        if tous and not statut and request.POST.get(f"a_{cle}"):
            statut = Presence.Statut.PRESENT
        lignes.append(
            {
                "cle": cle,
                "inscription": modifiables[uuid],
                "date": jour,
                "periode": periode,
                "statut": statut,
                "motif": request.POST.get(f"m_{cle}", "").strip()[:200],
                "origine": (request.POST.get(f"os_{cle}", ""), request.POST.get(f"om_{cle}", "")),
            }
        )
    return lignes


def appel(request):
    """The register of a day: the young people expected (at a workshop of the offer, a half-day), one tap per
    half-day, «tous présents» for the unmarked, all or nothing, a stale register refused."""
    from parcours import appel as registre

    if not peut_faire_l_appel(request.user):
        raise PermissionDenied
    jour = _jour(request)
    offres = list(OffreAction.objects.visibles_par(request.user).order_by("intitule"))
    offre, periode, tous = FiltreAppelForm(request.GET, offres=offres).valeurs()
    saisies, erreurs = None, []
    if request.method == "POST":
        lignes_postees = _lignes_postees(request)
        try:
            resultat = services.enregistrer_appel(lignes=lignes_postees, user=request.user)
        except services.ConflitDeSaisie as e:
            erreurs = e.messages
            en_conflit = {registre.cle_cellule(i, d, per) for i, d, per, _a in e.cellules}
            saisies = {
                li["cle"]: (li["statut"], li["motif"])
                for li in lignes_postees
                if li["cle"] not in en_conflit and (li["statut"], li["motif"]) != li["origine"]
            }
        except ValidationError as e:
            erreurs = e.messages
            saisies = {li["cle"]: (li["statut"], li["motif"]) for li in lignes_postees}
        else:
            if resultat.modifiees:
                messages.success(
                    request,
                    f"Appel enregistré : {resultat.modifiees} demi-journée(s) modifiée(s), "
                    f"{resultat.renseignees} renseignée(s) sur {len(lignes_postees)}.",
                )
            else:
                messages.info(request, "Aucune modification : l'appel était déjà enregistré.")
            return redirect(request.get_full_path())
    lignes = registre.registre(request.user, jour, offre=offre, periode=periode, tous=tous, saisies=saisies)
    a_saisir = sum(1 for li in lignes for c in li.cellules if c.attendue and not c.origine[0])
    return render(
        request,
        "parcours/appel.html",
        {
            "titre": "Faire l'appel",
            "jour": jour,
            "veille": jour - datetime.timedelta(days=1),
            "lendemain": jour + datetime.timedelta(days=1),
            "lundi": regles.lundi(jour),
            "offres": offres,
            "offre": offre,
            "periode": periode,
            "periodes": Presence.Periode.choices,
            "tous": tous,
            "lignes": lignes,
            "choix": registre.CHOIX,
            "a_saisir": a_saisir,
            "erreurs": erreurs,
            # The page's notice: the national list (each row carries its own lycée's holidays).
            "ferie": regles.jour_ferie(jour),
        },
    )


def appel_semaine(request):
    """The week of every young person whose attendance the user records: what is saved, what is expected and not
    yet saved; each day opens its register."""
    from parcours import appel as registre

    if not peut_faire_l_appel(request.user):
        raise PermissionDenied
    lundi = regles.lundi(_jour(request, "semaine"))
    lignes, jours = registre.semaine(request.user, lundi)
    a_saisir = sum(1 for li in lignes for c in li.cellules if c.attendue and not c.statut)
    return render(
        request,
        "parcours/appel_semaine.html",
        {
            "titre": "Assiduité de la semaine",
            "lundi": lundi,
            "jours": jours,
            "precedente": lundi - datetime.timedelta(days=7),
            "suivante": lundi + datetime.timedelta(days=7),
            "lignes": lignes,
            "a_saisir": a_saisir,
            "legende": [(v, registre.ABREGES[v], lab) for v, lab in Presence.Statut.choices],
        },
    )


# --- Calendrier des événements locaux (parcours/evenements.py) ---------------------------------------------------


def evenements(request):
    """Upcoming events of the user's lycées and of their network or bassin; publish one."""
    from django.db.models import Count

    from parcours.forms import EvenementForm
    from parcours.models import Evenement

    _acces_offre(request.user)
    form = EvenementForm(request.POST or None, lycees=_lycees_porteurs(request.user))
    if request.method == "POST" and form.is_valid():
        evenement = form.save()
        messages.success(request, "Événement publié dans le calendrier.")
        return redirect("parcours:evenement", uuid=evenement.uuid)
    debut_du_jour = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    a_venir = (
        Evenement.objects.visibles_par(request.user)
        .filter(debut__gte=debut_du_jour)
        .annotate(nb_inscrits=Count("participations"))
        .order_by("debut", "pk")
    )
    page = Paginator(a_venir, 25).get_page(request.GET.get("page"))
    return render(
        request, "parcours/evenements.html", {"titre": "Calendrier des événements", "page": page, "form": form}
    )


def evenement(request, uuid):
    """An event: details, the young people the user follows who are registered (others only counted), register."""
    from parcours import evenements as service
    from parcours.models import Evenement

    objet = get_object_or_404(Evenement.objects.visibles_par(request.user), uuid=uuid)
    p = perimetre(request.user)
    if not (p.chef or p.referent or p.missions_locales):
        raise Http404
    inscriptibles = list(service.jeunes_inscriptibles(request.user))
    if request.method == "POST":
        choisis = [j for j in inscriptibles if str(j.uuid) in set(request.POST.getlist("jeunes"))]
        if len(choisis) != len(set(request.POST.getlist("jeunes"))):
            raise Http404  # a young person this user does not follow: as if it did not exist
        n = service.inscrire(user=request.user, evenement=objet, jeunes=choisis)
        messages.success(request, f"{n} jeune{'s' if n > 1 else ''} inscrit{'s' if n > 1 else ''} à l'événement.")
        return redirect("parcours:evenement", uuid=objet.uuid)
    participations = list(objet.participations.select_related("jeune").order_by("jeune__nom", "jeune__prenoms"))
    visibles = set(
        Jeune.objects.visibles_par(request.user)
        .filter(pk__in=[x.jeune_id for x in participations])
        .values_list("pk", flat=True)
    )
    deja = {x.jeune_id for x in participations}
    return render(
        request,
        "parcours/evenement.html",
        {
            "titre": str(objet),
            "evenement": objet,
            "mes_inscrits": [x.jeune for x in participations if x.jeune_id in visibles],
            "autres_inscrits": sum(1 for x in participations if x.jeune_id not in visibles),
            "inscriptibles": [j for j in inscriptibles if j.pk not in deja],
        },
    )
