"""Collective meeting (step 3), individual interviews and slots (step 4). Reads through visibles_par, writes through
the avenirpro.acces predicates; a record out of scope answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from avenirpro.acces import (
    perimetre,
    peut_inscrire,
    peut_organiser_reunion,
    peut_saisir_entretien,
    peut_voir_sections_sensibles,
)
from avenirpro.filtres import valeurs
from avenirpro.journal import journaliser
from avenirpro.models import Campagne, Etablissement
from avenirpro.pdf import rendre_pdf, reponse_pdf
from eleves.models import Jeune, Reperage
from entretiens import selections, services
from entretiens.filters import InvitationFilter
from entretiens.forms import (
    CreneauForm,
    EntretienForm,
    FiltreInvitationForm,
    ReservationForm,
    ReunionForm,
    libelle_personne,
    nom_et_roles,
)
from entretiens.models import CreneauEntretien, Entretien, Invitation

PAR_PAGE = 20


def _etablissements_organisables(user):
    p = perimetre(user)
    ids = [pk for pk in p.chef | p.couverts]
    return Etablissement.objects.filter(pk__in=ids).order_by("nom")


_exiger_acces_page = selections.exiger_acces_page
_reunion = selections.reunion
_invitations = selections.invitations


def _reunion_modifiable(user, uuid):
    reunion = _reunion(user, uuid)
    if not peut_organiser_reunion(user, reunion.etablissement):
        raise Http404  # a record URL refuses with 404, even to who may read it (ADR 0002)
    return reunion


# --- Meetings --------------------------------------------------------------------------------------------------


def reunions(request):
    filtre = selections.reunions_filtrees(request.user, request.GET)
    page = Paginator(selections.avec_presences(filtre.qs), PAR_PAGE).get_page(request.GET.get("page"))
    creneaux = (
        CreneauEntretien.objects.visibles_par(request.user)
        .filter(debut__gte=timezone.now())
        .select_related("etablissement", "propose_par", "entretien__jeune")
        .order_by("debut")[:30]
    )
    organisables = _etablissements_organisables(request.user).exists()
    return render(
        request,
        "entretiens/reunions.html",
        {
            "titre": "Réunions et entretiens",
            "page": page,
            "creneaux": creneaux,
            "a_venir": Entretien.objects.a_venir_pour(request.user)[:30],
            "recents": Entretien.objects.visibles_par(request.user)
            .filter(statut=Entretien.Statut.REALISE)
            .select_related("jeune", "jeune__etablissement")
            .order_by("-date")[:20],
            "peut_organiser": organisables,
            "campagnes": list(Campagne.objects.order_by("-session")),
            "session_choisie": valeurs(filtre)["campagne"],
        },
    )


def reunion_creer(request):
    etablissements = _etablissements_organisables(request.user)
    if not etablissements.exists():
        raise PermissionDenied
    form = ReunionForm(request.POST or None, etablissements=etablissements)
    if request.method == "POST" and form.is_valid():
        if not peut_organiser_reunion(request.user, form.cleaned_data["etablissement"]):
            raise PermissionDenied
        reunion = form.save(commit=False)
        reunion.campagne = Campagne.courante()
        reunion.cree_par = request.user
        if reunion.campagne is None:
            form.add_error(None, "Aucune campagne n'est ouverte : l'administrateur doit en créer une.")
        else:
            reunion.save()
            messages.success(request, "La réunion d'information collective est créée.")
            if reunion.mission_locale and services.envoyer_invitation_mission_locale(reunion=reunion):
                messages.info(request, f"L'invitation (agenda .ics) a été envoyée à la {reunion.mission_locale.nom}.")
            return redirect("entretiens:reunion_detail", uuid=reunion.uuid)
    return render(request, "entretiens/reunion_form.html", {"titre": "Nouvelle réunion d'information", "form": form})


def reunion_modifier(request, uuid):
    reunion = _reunion_modifiable(request.user, uuid)
    ancien_debut = reunion.debut
    etablissements = Etablissement.objects.filter(pk=reunion.etablissement_id)
    form = ReunionForm(request.POST or None, instance=reunion, etablissements=etablissements)
    if request.method == "POST" and form.is_valid():
        reunion = form.save(commit=False)
        if services.modifier_reunion(reunion=reunion, ancien_debut=ancien_debut):
            messages.info(request, "La date a changé : les rappels partiront de nouveau 48 h avant.")
            if reunion.mission_locale and services.envoyer_invitation_mission_locale(reunion=reunion):
                messages.info(request, f"La nouvelle date a été envoyée à la {reunion.mission_locale.nom}.")
        messages.success(request, "La réunion est modifiée.")
        return redirect("entretiens:reunion_detail", uuid=reunion.uuid)
    return render(
        request,
        "entretiens/reunion_form.html",
        {"titre": "Modifier la réunion d'information", "form": form, "reunion": reunion},
    )


def reunion_detail(request, uuid):
    reunion = _reunion(request.user, uuid)
    invitations = list(_invitations(request.user, reunion))
    compte = {v: 0 for v in Invitation.Presence.values}
    for inv in invitations:
        compte[inv.presence] += 1
    return render(
        request,
        "entretiens/reunion_detail.html",
        {
            "titre": str(reunion),
            "reunion": reunion,
            "invitations": invitations,
            "compte": [(label, compte[v]) for v, label in Invitation.Presence.choices],
            "places_restantes": None if reunion.capacite is None else max(reunion.capacite - len(invitations), 0),
            "peut_modifier": peut_organiser_reunion(request.user, reunion.etablissement),
            # A counsellor of the invited mission locale is not offered to send the invitation to themselves.
            "inviter_ml": bool(reunion.mission_locale_id)
            and reunion.mission_locale_id not in perimetre(request.user).missions_locales,
        },
    )


def _candidats(user, reunion, statut):
    # One filter() call: the status is the one of this campaign's repérage (same join), not of another campaign.
    criteres = {"etablissement_id": reunion.etablissement_id, "reperages__campagne_id": reunion.campagne_id}
    if statut:
        criteres["reperages__statut_contact"] = statut
    return (
        Jeune.objects.visibles_par(user)
        .filter(**criteres)
        .exclude(invitations__reunion=reunion)
        .annotate(statut_contact=F("reperages__statut_contact"))
        .order_by("nom", "prenoms")
    )


def reunion_inviter(request, uuid):
    reunion = _reunion_modifiable(request.user, uuid)
    filtre = FiltreInvitationForm(request.GET or {"statut": Reperage.StatutContact.A_CONTACTER})
    statut = filtre.cleaned_data["statut"] if filtre.is_valid() else Reperage.StatutContact.A_CONTACTER
    candidats = _candidats(request.user, reunion, statut)
    selection = set()
    if request.method == "POST":
        if request.POST.get("tous"):
            choisis = list(candidats)
        else:
            selection = set(request.POST.getlist("jeunes"))
            choisis = [j for j in candidats if str(j.uuid) in selection]
        if not choisis:
            messages.error(request, "Sélectionnez au moins un jeune à inviter.")
        else:
            try:
                nb, courriels = services.inviter_jeunes(reunion=reunion, jeunes=choisis, par=request.user)
            except ValidationError as e:
                messages.error(request, " ".join(e.messages))
            else:
                messages.success(
                    request, f"{nb} jeune(s) invité(s) ; {courriels} invitation(s) envoyée(s) par courriel."
                )
                return redirect("entretiens:reunion_detail", uuid=reunion.uuid)
    libelles = dict(Reperage.StatutContact.choices)
    candidats = list(candidats)
    for j in candidats:
        j.statut_contact_libelle = libelles.get(j.statut_contact, "")
    # The status filter never hides candidates silently: those of the other statuses are counted, with a link.
    autres = []
    if statut:
        par_statut = dict(
            _candidats(request.user, reunion, "").order_by().values_list("statut_contact").annotate(n=Count("pk"))
        )
        autres = [
            {"statut": v, "libelle": libelle, "nombre": par_statut[v]}
            for v, libelle in Reperage.StatutContact.choices
            if v != statut and par_statut.get(v)
        ]
    return render(
        request,
        "entretiens/reunion_inviter.html",
        {
            "titre": "Inviter des jeunes",
            "reunion": reunion,
            "filtre": filtre,
            "statut": statut,
            "candidats": candidats,
            "autres": autres,
            "statut_libelle": libelles.get(statut, ""),
            "autres_total": sum(a["nombre"] for a in autres),
            "selection": selection,
            "places_restantes": services.places_restantes(reunion),
        },
    )


def reunion_presences(request, uuid):
    """Attendance at the meeting. Each row carries the value it was drawn with (`origine-…`): only changed rows are
    written, and a row changed since by someone else refuses the save (nothing overwritten)."""
    reunion = _reunion_modifiable(request.user, uuid)
    invitations = list(_invitations(request.user, reunion))
    erreurs = {}
    valeurs = {inv.uuid: inv.presence for inv in invitations}
    origines = dict(valeurs)
    if request.method == "POST":
        choisies, origines_postees = {}, {}
        for inv in invitations:
            v = request.POST.get(f"presence-{inv.uuid}", "")
            valeurs[inv.uuid] = v
            if f"origine-{inv.uuid}" in request.POST:
                origines_postees[inv.pk] = request.POST[f"origine-{inv.uuid}"]
                origines[inv.uuid] = origines_postees[inv.pk]
            if v not in Invitation.Presence.values:
                erreurs[inv.uuid] = "Choisissez une valeur de présence."
            else:
                choisies[inv.pk] = v
        if not erreurs:
            try:
                nb = services.enregistrer_presences(reunion=reunion, presences=choisies, origines=origines_postees)
            except services.ConflitDePresences as e:
                messages.error(request, " ".join(e.messages))
                for inv in e.invitations:
                    valeurs[inv.uuid] = origines[inv.uuid] = inv.presence
                # Rows without conflict: the user's choice stays on screen, to be sent again against today's value.
                actuelles = dict(
                    reunion.invitations.filter(pk__in=[i.pk for i in invitations]).values_list("uuid", "presence")
                )
                origines.update(actuelles)
            except ValidationError as e:
                messages.error(request, " ".join(e.messages) + " Rien n'a été enregistré.")
            else:
                if nb:
                    messages.success(request, f"Présences enregistrées ({nb} modification(s)).")
                else:
                    messages.info(request, "Aucune modification : les présences étaient déjà enregistrées.")
                return redirect("entretiens:reunion_detail", uuid=reunion.uuid)
        else:
            messages.error(request, "Certaines lignes sont incomplètes : rien n'a été enregistré.")
    lignes = [(inv, valeurs[inv.uuid], erreurs.get(inv.uuid), origines[inv.uuid]) for inv in invitations]
    return render(
        request,
        "entretiens/reunion_presences.html",
        {
            "titre": "Présences à la réunion",
            "reunion": reunion,
            "lignes": lignes,
            "choix": Invitation.Presence.choices,
        },
    )


@require_POST
def reunion_inviter_ml(request, uuid):
    reunion = _reunion_modifiable(request.user, uuid)
    if not reunion.mission_locale:
        messages.error(request, "Aucune mission locale n'est associée à cette réunion.")
    elif services.envoyer_invitation_mission_locale(reunion=reunion):
        messages.success(request, f"L'invitation a été envoyée à la {reunion.mission_locale.nom}.")
    else:
        messages.error(request, "L'invitation n'a pas pu être envoyée : vérifiez l'adresse de la mission locale.")
    return redirect("entretiens:reunion_detail", uuid=reunion.uuid)


def reunion_emargement(request, uuid):
    reunion = _reunion(request.user, uuid)
    invitations = list(_invitations(request.user, reunion))
    journaliser(request.user, "pdf", reunion, nombre=len(invitations))
    contenu = rendre_pdf(
        "entretiens/pdf/emargement.html",
        {"reunion": reunion, "invitations": invitations, "lignes_libres": range(3), "lignes_intervenants": range(3)},
        request,
    )
    return reponse_pdf(contenu, f"emargement-{timezone.localtime(reunion.debut):%Y-%m-%d}.pdf")


def reunion_courriers(request, uuid):
    reunion = _reunion_modifiable(request.user, uuid)
    # Every letter, or the letter of one young person (no e-mail address): `?invitation=<uuid>`.
    invitations = list(InvitationFilter(request.GET, queryset=_invitations(request.user, reunion)).qs)
    if not invitations:
        messages.error(request, "Aucun jeune n'est encore invité.")
        return redirect("entretiens:reunion_detail", uuid=reunion.uuid)
    journaliser(request.user, "pdf", f"Courriers d'invitation – {reunion}", nombre=len(invitations))
    contenu = rendre_pdf("entretiens/pdf/courriers.html", {"reunion": reunion, "invitations": invitations}, request)
    return reponse_pdf(contenu, f"invitations-{timezone.localtime(reunion.debut):%Y-%m-%d}.pdf")


# --- Slots -----------------------------------------------------------------------------------------------------


def creneau_creer(request):
    etablissements = _etablissements_organisables(request.user)
    if not etablissements.exists():
        raise PermissionDenied
    form = CreneauForm(request.POST or None, etablissements=etablissements)
    if request.method == "POST" and form.is_valid():
        if not peut_organiser_reunion(request.user, form.cleaned_data["etablissement"]):
            raise PermissionDenied
        creneau = form.save(commit=False)
        creneau.propose_par = request.user
        creneau.save()
        messages.success(request, "Le créneau d'entretien est proposé.")
        return redirect("entretiens:reunions")
    return render(request, "entretiens/creneau_form.html", {"titre": "Proposer un créneau d'entretien", "form": form})


def creneau_reserver(request, uuid):
    creneau = get_object_or_404(
        CreneauEntretien.objects.visibles_par(request.user).select_related("etablissement", "propose_par"), uuid=uuid
    )
    if not creneau.libre:
        messages.error(request, "Ce créneau est déjà réservé.")
        return redirect("entretiens:reunions")
    jeunes = Jeune.objects.visibles_par(request.user).filter(etablissement_id=creneau.etablissement_id)
    form = ReservationForm(request.POST or None, jeunes=jeunes)
    if request.method == "POST" and form.is_valid():
        jeune = form.cleaned_data["jeune"]
        if not peut_saisir_entretien(request.user, jeune):
            form.add_error("jeune", "Vous ne pouvez pas planifier d'entretien pour ce jeune.")
        else:
            try:
                entretien = services.reserver_creneau(
                    creneau=creneau, jeune=jeune, type_entretien=form.cleaned_data["type"], par=request.user
                )
            except ValidationError as e:
                form.add_error(None, " ".join(e.messages))
            else:
                messages.success(request, f"Entretien planifié pour {jeune}.")
                return redirect("entretiens:entretien_detail", uuid=entretien.uuid)
    return render(
        request,
        "entretiens/creneau_reserver.html",
        {"titre": "Réserver un créneau", "creneau": creneau, "form": form},
    )


# --- Interviews ------------------------------------------------------------------------------------------------


def _form_entretien(request, jeune, instance):
    return EntretienForm(
        request.POST or None,
        instance=instance,
        jeune=jeune,
        voir_sensibles=peut_voir_sections_sensibles(request.user, jeune),
        peut_verifier_france_travail=bool(perimetre(request.user).missions_locales),
        initial=None
        if instance.pk
        else {
            "jour": timezone.localdate(),
            "heure": timezone.localtime().time().replace(second=0, microsecond=0),
            "participants": [request.user.pk],
        },
    )


def _enregistrer(request, form, nouveau: bool):
    """The sheet saved by `services.enregistrer_entretien`; its refusals are shown on the form (None returned)."""
    try:
        entretien = services.enregistrer_entretien(
            entretien=form.save(commit=False),
            par=request.user,
            participants=form.cleaned_data["participants"] if "participants" in form.fields else None,
        )
    except ValidationError as e:
        _erreurs_dans_form(form, e)
        return None
    messages.success(request, "L'entretien est enregistré." if nouveau else "L'entretien est modifié.")
    return redirect("entretiens:entretien_detail", uuid=entretien.uuid)


def _erreurs_dans_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for champ, liste in exc.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, exc)


def entretien_creer(request, jeune_uuid):
    jeune = get_object_or_404(
        Jeune.objects.visibles_par(request.user).select_related("etablissement"), uuid=jeune_uuid
    )
    if not peut_saisir_entretien(request.user, jeune):
        raise Http404  # a record URL refuses with 404 (ADR 0002)
    instance = Entretien(jeune=jeune, auteur=request.user, campagne=Campagne.courante())
    form = _form_entretien(request, jeune, instance)
    if request.method == "POST" and form.is_valid():
        if (reponse := _enregistrer(request, form, nouveau=True)) is not None:
            return reponse
    return render(
        request,
        "entretiens/entretien_form.html",
        {"titre": "Nouvel entretien", "form": form, "jeune": jeune, "entretien": None},
    )


def _entretien(request, uuid):
    return get_object_or_404(Entretien.objects.visibles_par(request.user).avec_details(), uuid=uuid)


def entretien_modifier(request, uuid):
    entretien = _entretien(request, uuid)
    if not peut_saisir_entretien(request.user, entretien.jeune):
        raise Http404  # a record URL refuses with 404 (ADR 0002)
    form = _form_entretien(request, entretien.jeune, entretien)
    if request.method == "POST" and form.is_valid():
        if (reponse := _enregistrer(request, form, nouveau=False)) is not None:
            return reponse
    return render(
        request,
        "entretiens/entretien_form.html",
        {"titre": "Modifier l'entretien", "form": form, "jeune": entretien.jeune, "entretien": entretien},
    )


def _participants(entretien):
    return [dict(zip(("nom", "role"), nom_et_roles(u), strict=True)) for u in entretien.participants.all()]


def entretien_detail(request, uuid):
    entretien = _entretien(request, uuid)
    jeune = entretien.jeune
    journaliser(request.user, "lecture", entretien)
    url_inscrire = ""
    if entretien.decision == Entretien.Decision.ENTREE_CONFIRMEE and peut_inscrire(request.user, jeune):
        try:
            url_inscrire = reverse("parcours:inscrire", kwargs={"jeune_uuid": jeune.uuid})
        except NoReverseMatch:  # the enrolment screen is built in the parcours app
            url_inscrire = ""
    return render(
        request,
        "entretiens/entretien_detail.html",
        {
            "titre": str(entretien),
            "entretien": entretien,
            "jeune": jeune,
            "participants": [libelle_personne(u) for u in entretien.participants.all()],
            "voir_sensibles": peut_voir_sections_sensibles(request.user, jeune),
            "peut_modifier": peut_saisir_entretien(request.user, jeune),
            "decision_confirmee": entretien.decision == Entretien.Decision.ENTREE_CONFIRMEE,
            "url_inscrire": url_inscrire,
        },
    )


def entretien_pdf(request, uuid):
    entretien = _entretien(request, uuid)
    journaliser(request.user, "pdf", entretien)
    contenu = rendre_pdf(
        "entretiens/pdf/fiche_entretien.html",
        {
            "entretien": entretien,
            "participants": _participants(entretien),
            "freins": entretien.get_freins_display(),
            "voir_sensibles": peut_voir_sections_sensibles(request.user, entretien.jeune),
        },
        request,
    )
    return reponse_pdf(contenu, f"entretien-{timezone.localtime(entretien.date):%Y-%m-%d}.pdf")
