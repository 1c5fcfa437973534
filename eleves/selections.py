"""The repérage's selections, shared by the pages, their exports and the mail merge (none imports a views module)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from avenirpro.acces import etablissements_geres, perimetre
from avenirpro.filtres import filtree, valeurs
from avenirpro.models import Campagne, Etablissement
from eleves import extensions
from eleves.filters import ReperageFilter, SuiviFilter
from eleves.models import Jeune, Reperage


def etablissements_du_chef(user):
    etabs = etablissements_geres(user)
    if not etabs.exists():
        raise PermissionDenied
    return etabs


def _campagne(params):
    campagnes = list(Campagne.objects.all())
    choisie = params.get("campagne")
    campagne = next((c for c in campagnes if str(c.session) == choisie), None) or (campagnes[0] if campagnes else None)
    return campagne, campagnes


@filtree(ReperageFilter)
def liste_filtree(user, params):
    """The worklist as `user` sees it with the filters of `params`: the page, its exports and the mail merge."""
    lycees = sorted(perimetre(user).chef)  # the chef's lycées as a literal id list: no query, no subquery
    if not lycees:
        raise PermissionDenied
    campagne, campagnes = _campagne(params)
    qs = (
        Reperage.objects.visibles_par(user)
        .pour_liste()
        .filter(jeune__etablissement_id__in=lycees, campagne=campagne)
        .order_by("jeune__nom", "jeune__prenoms", "pk")
    )
    return ReperageFilter(params, queryset=qs), campagne, campagnes


@filtree(SuiviFilter)
def suivis_filtres(user, params):
    """The young people a counsellor follows or may follow (as `q_jeunes_visibles` says: those of the covered lycées
    from the invitation on, and those of their own parcours), filtered by lycée and name; each row with its
    latest parcours and invitation, read in the same query (the subqueries of the apps above:
    `eleves.extensions.COLONNES_SUIVIS`)."""
    p = perimetre(user)
    if not p.missions_locales:
        raise PermissionDenied
    lycees = list(
        Etablissement.objects.filter(Q(pk__in=p.couverts) | Q(inscriptions__conseiller_id=user.pk))
        .distinct()
        .order_by("nom")
        .values_list("uuid", "nom")
    )
    filtre = SuiviFilter(params, queryset=Jeune.objects.visibles_par(user).select_related("etablissement"))
    qs = filtre.qs
    lycee, q = valeurs(filtre)["etablissement"], valeurs(filtre)["q"]
    for colonnes in extensions.COLONNES_SUIVIS:
        qs = colonnes.annoter(qs)
    qs = qs.order_by("nom", "prenoms", "pk")
    return qs, lycees, lycee, q
