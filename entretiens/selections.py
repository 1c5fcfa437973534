"""The meetings' selections, shared by the pages and their exports (which import no views module)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404

from avenirpro.acces import perimetre, peut_saisir_entretien
from avenirpro.filtres import filtree
from eleves.models import Jeune
from entretiens.filters import ReunionFilter
from entretiens.models import Entretien, Invitation, Reunion


def exiger_acces_page(user):
    """The meetings page is the menu entry «Réunions et entretiens»: the lycée's direction, the covering
    counsellors, psy-EN and MLDS coordinators."""
    p = perimetre(user)
    if not (p.chef or p.couverts or p.psy_mlds):
        raise PermissionDenied


def reunion(user, uuid):
    return get_object_or_404(
        Reunion.objects.visibles_par(user).select_related("etablissement", "mission_locale", "campagne"), uuid=uuid
    )


def invitations(user, reunion):
    visibles = Jeune.objects.visibles_par(user).values("pk")
    return (
        reunion.invitations.filter(jeune__in=visibles).select_related("jeune").order_by("jeune__nom", "jeune__prenoms")
    )


def reunions_filtrees(user, params=None) -> ReunionFilter:
    """The meetings `user` sees, with the page's filters (`params`), as a FilterSet."""
    exiger_acces_page(user)
    return ReunionFilter(params or {}, queryset=Reunion.objects.visibles_par(user))


@filtree(ReunionFilter)
def reunions_visibles(user, params=None):
    """The meetings of the page «Réunions et entretiens» (and of its exports), with their attendance counts; every
    campaign, or the one chosen by `?campagne=<session>`."""
    return avec_presences(reunions_filtrees(user, params).qs)


def avec_presences(qs):
    return (
        qs.select_related("etablissement", "mission_locale")
        .annotate(
            nb_invites=Count("invitations"),
            nb_presents=Count("invitations", filter=Q(invitations__presence=Invitation.Presence.PRESENT)),
        )
        .order_by("-debut", "pk")
    )


def invitations_de_la_reunion(user, params=None, *, uuid):
    """The young people invited to a meeting, as its page lists them (the meeting out of scope: 404)."""
    return invitations(user, reunion(user, uuid)).order_by("jeune__nom", "jeune__prenoms", "pk")


# --- The young person's file in eleves (eleves.extensions, registered by EntretiensConfig.ready) ------------------


def contexte_dossier(user, jeune) -> dict:
    """The interviews of the young person's page, read through the interviews' own visibility rule."""
    return {"entretiens": Entretien.objects.du_jeune(user, jeune), "peut_saisir": peut_saisir_entretien(user, jeune)}


def annoter_suivis(qs):
    """The counsellor's list: each young person's latest invitation to an information meeting (one subquery)."""
    invitation = Invitation.objects.filter(jeune=OuterRef("pk")).order_by("-reunion__debut", "-pk")
    return qs.annotate(
        reunion_debut=Subquery(invitation.values("reunion__debut")[:1]),
        reunion_presence=Subquery(invitation.values("presence")[:1]),
    )


def preparer_suivis(lignes, user) -> None:
    presences = dict(Invitation.Presence.choices)
    for j in lignes:
        j.libelle_presence = presences.get(j.reunion_presence, "")
