"""Administration screens (DSFR, not the Django admin): organisations, coverage, accounts, teams, invitations,
access log. Who may do what is decided in avenirpro.acces; out of scope → 404, missing right → 403."""

from __future__ import annotations

import datetime

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from administration import invitations
from administration.forms import (
    AccepterInvitationForm,
    CouvertureForm,
    EtablissementForm,
    InvitationForm,
    MissionLocaleForm,
    StructureForm,
)
from administration.selections import (
    _exiger,
    _invitations_visibles,
    comptes_filtres,
    equipe_geree,
    etablissements_filtres,
    invitations_envoyees,
    journal_filtre,
    missions_locales_liste,
    structures_filtrees,
)
from avenirpro import acces
from avenirpro.models import (
    Affectation,
    Couverture,
    Etablissement,
    MissionLocale,
    Structure,
    Utilisateur,
)

PAR_PAGE = 50


def _page(request, qs):
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def _admin_qs(request, qs):
    """Records only administrators reach: for anybody else the record does not exist (404)."""
    return qs if acces.peut_administrer(request.user) else qs.none()


def accueil(request):
    p = acces.perimetre(request.user)
    _exiger(p.admin or acces.peut_inviter(request.user))
    return render(request, "administration/accueil.html", {"titre": "Administration", "p": p})


# --- Organisations ------------------------------------------------------------------------------------------


def etablissements(request):
    form, qs = etablissements_filtres(request.user, request.GET)
    page, query = _page(request, qs)
    return render(
        request,
        "administration/etablissements.html",
        {"titre": "Lycées", "page": page, "query": query, "form": form},
    )


def _formulaire(request, form, *, titre, retour, objet=None, message="Enregistré."):
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, message)
        return redirect(retour)
    return render(
        request,
        "administration/formulaire.html",
        {"titre": titre, "form": form, "retour": retour, "objet": objet},
    )


def etablissement_creer(request):
    _exiger(acces.peut_administrer(request.user))
    form = EtablissementForm(request.POST or None)
    return _formulaire(
        request, form, titre="Nouveau lycée", retour=reverse("administration:etablissements"), message="Lycée créé."
    )


def etablissement_modifier(request, uuid):
    etab = get_object_or_404(_admin_qs(request, Etablissement.objects.all()), uuid=uuid)
    form = EtablissementForm(request.POST or None, instance=etab)
    return _formulaire(
        request, form, titre=f"Lycée {etab}", retour=reverse("administration:etablissements"), objet=etab
    )


def missions_locales(request):
    page, query = _page(request, missions_locales_liste(request.user))
    return render(request, "administration/missions_locales.html", {"titre": "Missions locales", "page": page})


def mission_locale_creer(request):
    _exiger(acces.peut_administrer(request.user))
    form = MissionLocaleForm(request.POST or None)
    return _formulaire(
        request,
        form,
        titre="Nouvelle mission locale",
        retour=reverse("administration:missions_locales"),
        message="Mission locale créée.",
    )


def mission_locale(request, uuid):
    """Details, edit form and coverage (lycées covered, with dates)."""
    ml = get_object_or_404(_admin_qs(request, MissionLocale.objects.all()), uuid=uuid)
    form = MissionLocaleForm(request.POST or None, instance=ml)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Mission locale enregistrée.")
        return redirect("administration:mission_locale", uuid=ml.uuid)
    return _page_mission_locale(request, ml, form, CouvertureForm(mission_locale=ml))


def _page_mission_locale(request, ml, form, form_couverture):
    couvertures = ml.couvertures.select_related("etablissement").order_by("etablissement__nom", "-date_debut")
    return render(
        request,
        "administration/mission_locale.html",
        {
            "titre": str(ml),
            "ml": ml,
            "form": form,
            "form_couverture": form_couverture,
            "couvertures": couvertures,
            "aujourdhui": timezone.localdate(),
        },
    )


@require_POST
def couverture_ajouter(request, uuid):
    ml = get_object_or_404(_admin_qs(request, MissionLocale.objects.all()), uuid=uuid)
    form = CouvertureForm(request.POST, mission_locale=ml)
    if form.is_valid():
        form.save()
        messages.success(request, "Couverture enregistrée.")
        return redirect("administration:mission_locale", uuid=ml.uuid)
    return _page_mission_locale(request, ml, MissionLocaleForm(instance=ml), form)


@require_POST
def couverture_terminer(request, uuid):
    """End a coverage today: the mission locale's counsellors lose the lycée's young people at once."""
    ml = get_object_or_404(_admin_qs(request, MissionLocale.objects.all()), uuid=uuid)
    pk = request.POST.get("couverture", "")
    couverture = get_object_or_404(Couverture.objects.actives(), mission_locale=ml, pk=pk if pk.isdigit() else None)
    hier = timezone.localdate() - datetime.timedelta(days=1)
    if couverture.date_debut > hier:
        couverture.delete()
    else:
        couverture.date_fin = hier
        couverture.save(update_fields=["date_fin"])
    messages.success(request, f"La couverture de {couverture.etablissement} est terminée.")
    return redirect("administration:mission_locale", uuid=ml.uuid)


def structures(request):
    form, qs = structures_filtrees(request.user, request.GET)
    page, query = _page(request, qs)
    return render(
        request,
        "administration/structures.html",
        {"titre": "Structures partenaires", "page": page, "query": query, "form": form},
    )


def structure_creer(request):
    _exiger(acces.peut_administrer(request.user))
    form = StructureForm(request.POST or None)
    return _formulaire(
        request,
        form,
        titre="Nouvelle structure partenaire",
        retour=reverse("administration:structures"),
        message="Structure créée.",
    )


def structure_modifier(request, uuid):
    structure = get_object_or_404(_admin_qs(request, Structure.objects.all()), uuid=uuid)
    form = StructureForm(request.POST or None, instance=structure)
    return _formulaire(request, form, titre=str(structure), retour=reverse("administration:structures"))


# --- Accounts -----------------------------------------------------------------------------------------------


def comptes(request):
    form, qs = comptes_filtres(request.user, request.GET)
    page, query = _page(request, qs)
    return render(
        request, "administration/comptes.html", {"titre": "Comptes", "page": page, "query": query, "form": form}
    )


def compte(request, uuid):
    compte = get_object_or_404(_admin_qs(request, Utilisateur.objects.all()), uuid=uuid)
    affectations = compte.affectations.select_related("etablissement", "mission_locale").order_by("-date_debut")
    return render(
        request,
        "administration/compte.html",
        {
            "titre": str(compte),
            "compte": compte,
            "affectations": affectations,
            "aujourdhui": timezone.localdate(),
            "mfa": Authenticator.objects.filter(user=compte, type=Authenticator.Type.TOTP).exists(),
            "modifiable": acces.peut_modifier_compte(request.user, compte),
        },
    )


@require_POST
def compte_activation(request, uuid):
    """Deactivate (or reactivate) an account: its open sessions are cut on their next request."""
    compte = get_object_or_404(_admin_qs(request, Utilisateur.objects.all()), uuid=uuid)
    _exiger(acces.peut_modifier_compte(request.user, compte))
    compte.is_active = request.POST.get("actif") == "1"
    compte.save(update_fields=["is_active"])
    messages.success(request, f"Compte {'réactivé' if compte.is_active else 'désactivé'} : {compte.email}.")
    return redirect("administration:compte", uuid=compte.uuid)


def equipe(request):
    page, query = _page(request, equipe_geree(request.user))
    return render(request, "administration/equipe.html", {"titre": "Équipe et rôles", "page": page})


@require_POST
def role_retirer(request):
    """Remove one role. Visibility derives from active roles: the person loses the records at once."""
    affectation = get_object_or_404(
        Affectation.objects.actives().filter(acces.q_affectations_gerees(request.user)).select_related("utilisateur"),
        pk=request.POST.get("affectation") if str(request.POST.get("affectation", "")).isdigit() else None,
    )
    if affectation.utilisateur_id == request.user.pk:
        messages.error(request, "Vous ne pouvez pas retirer votre propre rôle.")
    else:
        invitations.retirer_role(affectation)
        messages.success(request, f"Rôle retiré : {affectation.get_role_display()} de {affectation.utilisateur}.")
    if request.POST.get("retour") == "compte" and acces.peut_administrer(request.user):
        return redirect("administration:compte", uuid=affectation.utilisateur.uuid)
    return redirect("administration:equipe")


# --- Invitations --------------------------------------------------------------------------------------------


def inviter(request):
    _exiger(acces.peut_inviter(request.user))
    form = InvitationForm(request.POST or None, par=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            invitation = invitations.inviter(
                par=request.user,
                lien_base=f"{request.scheme}://{request.get_host()}",
                email=d["email"],
                role=d["role"],
                prenom=d.get("prenom", ""),
                nom=d.get("nom", ""),
                etablissement=d.get("etablissement"),
                mission_locale=d.get("mission_locale"),
                fonction=d.get("fonction") or "",
                responsable=d.get("responsable") or False,
                date_volontariat=d.get("date_volontariat"),
                niveau=d.get("niveau") or "",
                perimetre=d.get("perimetre") or "",
            )
        except ValidationError as e:
            for message in e.messages:
                form.add_error(None, message)
        else:
            if Utilisateur.objects.filter(email__iexact=invitation.email).exists():
                messages.success(
                    request,
                    f"Rôle proposé à {invitation.email} (compte existant) : il s'appliquera quand cette personne "
                    "l'aura accepté dans « Mon compte ».",
                )
            else:
                messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("administration:invitations")
    return render(
        request,
        "administration/formulaire.html",
        {"titre": "Inviter une personne", "form": form, "retour": reverse("administration:invitations")},
    )


def invitations_liste(request):
    page, query = _page(request, invitations_envoyees(request.user))
    return render(request, "administration/invitations.html", {"titre": "Invitations", "page": page})


@require_POST
def invitation_annuler(request, uuid):
    invitation = get_object_or_404(_invitations_visibles(request.user).en_attente(), uuid=uuid)
    invitation.annulee_le = timezone.now()
    invitation.save(update_fields=["annulee_le"])
    messages.success(request, f"Invitation de {invitation.email} annulée.")
    return redirect("administration:invitations")


@login_not_required
@never_cache
def invitation(request, jeton):
    """Public page behind the e-mailed link: choose a password, land logged in, then MFA is offered."""
    inv = invitations.trouver(jeton)
    if inv is None:
        return render(request, "administration/invitation_invalide.html", {"titre": "Invitation"}, status=404)
    form = AccepterInvitationForm(request.POST or None, invitation=inv)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = invitations.accepter(
                    jeton=jeton,
                    mot_de_passe=form.cleaned_data["password1"],
                    prenom=form.cleaned_data["prenom"],
                    nom=form.cleaned_data["nom"],
                )
        except invitations.InvitationInvalide as e:
            form.add_error(None, str(e))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # The password was just typed: allauth may enrol MFA without asking for it again.
            record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
            messages.success(request, "Votre compte est créé. Protégez-le par une double authentification.")
            return redirect("administration:mon_compte")
    return render(request, "administration/invitation.html", {"titre": "Créer votre compte", "form": form, "inv": inv})


# --- Own account and access log -----------------------------------------------------------------------------


def mon_compte(request):
    """Every user: their roles, their double authentication, and how many records they can reach."""
    from eleves.models import Jeune

    p = acces.perimetre(request.user)
    affectations = (
        Affectation.objects.actives()
        .filter(utilisateur=request.user)
        .select_related("etablissement", "mission_locale")
    )
    jeunes = Jeune.objects.visibles_par(request.user).select_related("etablissement").order_by("nom", "prenoms")
    return render(
        request,
        "administration/mon_compte.html",
        {
            "titre": "Mon compte",
            "affectations": affectations,
            "mfa": Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists(),
            "mfa_obligatoire": bool(p.admin or p.pilotage),
            "jeunes": jeunes[:PAR_PAGE],
            "nb_jeunes": jeunes.count(),
            "roles_proposes": invitations.roles_proposes(request.user)
            .select_related("etablissement", "mission_locale", "cree_par")
            .order_by("cree_le"),
        },
    )


@require_POST
def role_repondre(request, uuid):
    """The account accepts or declines a role proposed to it (ADR 0009). Only its addressee reaches it (404)."""
    get_object_or_404(invitations.roles_proposes(request.user), uuid=uuid)
    accepte = request.POST.get("reponse") == "accepter"
    try:
        affectation = invitations.repondre(user=request.user, invitation_uuid=uuid, accepte=accepte)
    except invitations.InvitationInvalide as e:
        messages.error(request, str(e))
    else:
        if affectation is not None:
            messages.success(request, f"Rôle accepté : {affectation}.")
        else:
            messages.success(request, "Rôle refusé.")
    return redirect("administration:mon_compte")


def journal(request):
    form, qs = journal_filtre(request.user, request.GET)
    page, query = _page(request, qs)
    return render(
        request,
        "administration/journal.html",
        {"titre": "Journal des accès", "page": page, "query": query, "form": form},
    )


# --- Campagnes (avenirpro/campagnes.py) ------------------------------------------------------------------------


def campagnes(request):
    _exiger(acces.peut_administrer(request.user))
    from avenirpro.models import Campagne

    return render(
        request,
        "administration/campagnes.html",
        {"titre": "Campagnes", "campagnes": Campagne.objects.order_by("-session")},
    )


def _prochaine_campagne():
    """Initial values of the next campaign: the last one's settings, one year on."""
    from avenirpro.models import Campagne

    derniere = Campagne.courante()
    if derniere is None:
        return {}
    plus_un = lambda d: d.replace(year=d.year + 1)  # noqa: E731
    return {
        "nom": f"Session {derniere.session + 1} – rentrée {derniere.session + 1}",
        "session": derniere.session + 1,
        "date_rentree": plus_un(derniere.date_rentree),
        "date_entree_min": plus_un(derniere.date_entree_min),
        **{
            champ: getattr(derniere, champ)
            for champ in (
                "mode_duree",
                "duree_mois",
                "unite_pfmp",
                "taux_gratification_niveau3",
                "taux_gratification_niveau4",
                "jours_sans_point_suivi",
                "jours_sans_contact",
                "seuil_absences_semaine",
            )
        },
    }


def campagne_creer(request):
    _exiger(acces.peut_administrer(request.user))
    from avenirpro.models import Campagne

    return _formulaire_campagne(request, Campagne(), titre="Nouvelle campagne", initial=_prochaine_campagne())


def campagne_modifier(request, uuid):
    from avenirpro.models import Campagne

    campagne = get_object_or_404(_admin_qs(request, Campagne.objects.all()), uuid=uuid)
    return _formulaire_campagne(request, campagne, titre=f"Campagne « {campagne} »")


def _formulaire_campagne(request, campagne, *, titre, initial=None):
    """Two steps: «Voir l'effet» shows the parcours whose end date would change; «Confirmer» saves."""
    from administration.forms import CampagneForm
    from parcours.campagnes import enregistrer_campagne, parcours_touches

    form = CampagneForm(request.POST or None, instance=campagne, initial=initial)
    apercu = None
    if request.method == "POST" and form.is_valid():
        modifiee = form.instance
        try:
            if "confirmer" in request.POST:
                touches = enregistrer_campagne(campagne=modifiee)
                n = len(touches)
                messages.success(
                    request,
                    f"Campagne enregistrée. {n} parcours dont la date de fin change."
                    if n
                    else "Campagne enregistrée. Aucun parcours existant n'est touché.",
                )
                return redirect("administration:campagnes")
            modifiee.full_clean()
            apercu = parcours_touches(modifiee)
            # The effect shown before saving includes the parcours the new settings would put out of the rules.
            from parcours.services import ecarts_campagne, message_ecarts_campagne

            ecarts = ecarts_campagne(modifiee)
            if ecarts:
                form.add_error(None, message_ecarts_campagne(ecarts))
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "administration/campagne.html",
        {"titre": titre, "form": form, "apercu": apercu, "campagne": campagne},
    )


# --- Ressources (avenirpro/ressources.py) -------------------------------------------------------------------------


def ressource_creer(request):
    _exiger(acces.peut_administrer(request.user))
    from administration.forms import RessourceForm

    form = RessourceForm(request.POST or None)
    return _formulaire(
        request, form, titre="Nouvelle ressource", retour=reverse("ressources"), message="Ressource ajoutée."
    )


def ressource_modifier(request, uuid):
    from administration.forms import RessourceForm
    from avenirpro.models import Ressource

    ressource = get_object_or_404(_admin_qs(request, Ressource.objects.all()), uuid=uuid)
    form = RessourceForm(request.POST or None, instance=ressource)
    return _formulaire(
        request,
        form,
        titre=f"Ressource « {ressource} »",
        retour=reverse("ressources"),
        message="Ressource enregistrée.",
    )
