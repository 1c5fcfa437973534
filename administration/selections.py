"""The administration lists' selections (their access rule and their FilterSet), shared by the pages
(administration.views) and their exports (administration.exports), which import no views module."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from administration.filters import CompteFilter, EtablissementFilter, JournalFilter, StructureFilter
from avenirpro import acces
from avenirpro.filtres import filtree
from avenirpro.models import (
    Affectation,
    Etablissement,
    InvitationCompte,
    JournalAcces,
    MissionLocale,
    Structure,
    Utilisateur,
)


def _exiger(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


@filtree(EtablissementFilter)
def etablissements_filtres(user, params):
    """(form, lycées): the list with its search, for the page and its exports (as do the functions below)."""
    _exiger(acces.peut_administrer(user))
    filtre = EtablissementFilter(params or None, queryset=Etablissement.objects.order_by("nom", "pk"))
    return filtre.form, filtre.qs


def missions_locales_liste(user, params=None):
    _exiger(acces.peut_administrer(user))
    jour = timezone.localdate()
    return MissionLocale.objects.annotate(
        nb_lycees=Count(
            "couvertures",
            filter=Q(couvertures__date_debut__lte=jour)
            & (Q(couvertures__date_fin__isnull=True) | Q(couvertures__date_fin__gte=jour)),
        )
    ).order_by("nom", "pk")


@filtree(StructureFilter)
def structures_filtrees(user, params):
    _exiger(acces.peut_administrer(user))
    filtre = StructureFilter(params or None, queryset=Structure.objects.order_by("nom", "pk"))
    return filtre.form, filtre.qs


def _affectations_actives():
    return Prefetch(
        "affectations",
        queryset=Affectation.objects.actives().select_related("etablissement", "mission_locale"),
        to_attr="roles_actifs",
    )


@filtree(CompteFilter)
def comptes_filtres(user, params):
    _exiger(acces.peut_administrer(user))
    filtre = CompteFilter(params or None, queryset=Utilisateur.objects.order_by("last_name", "first_name", "email"))
    return filtre.form, filtre.qs.prefetch_related(_affectations_actives())


def equipe_geree(user, params=None):
    """The roles a chef (their lycées), a mission locale director (their counsellors) or the administrator manage."""
    _exiger(acces.peut_inviter(user))
    return (
        Affectation.objects.actives()
        .filter(acces.q_affectations_gerees(user))
        .select_related("utilisateur", "etablissement", "mission_locale")
        .order_by("etablissement__nom", "mission_locale__nom", "utilisateur__last_name", "utilisateur__email", "pk")
    )


def _invitations_visibles(user):
    p = acces.perimetre(user)
    qs = InvitationCompte.objects.all()
    if p.admin:
        return qs
    return qs.filter(
        Q(cree_par=user)
        | Q(etablissement_id__in=p.chef, role__in=acces.ROLES_DU_LYCEE)
        | Q(mission_locale_id__in=p.missions_locales_responsable)
    )


def invitations_envoyees(user, params=None):
    _exiger(acces.peut_inviter(user))
    return (
        _invitations_visibles(user)
        .select_related("etablissement", "mission_locale", "cree_par")
        .order_by("-cree_le", "pk")
    )


@filtree(JournalFilter)
def journal_filtre(user, params):
    """Who read or exported which file (JournalAcces), with filters. Purge is the reliability job's work."""
    _exiger(acces.peut_voir_journal(user))
    filtre = JournalFilter(
        params or None, queryset=JournalAcces.objects.select_related("utilisateur").order_by("-date", "-pk")
    )
    return filtre.form, filtre.qs
