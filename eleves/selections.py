"""The repérage's selections, shared by the pages, their exports and the mail merge (none imports a views module)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q

from avenirpro.acces import etablissements_geres, perimetre
from avenirpro.campagnes import campagne_choisie
from avenirpro.filtres import filtree, valeurs
from avenirpro.models import Etablissement
from avenirpro.sql import compilee
from eleves import extensions
from eleves.filters import ReperageFilter, SuiviFilter, sans_texte_libre, valeurs_soumises
from eleves.models import Jeune, Reperage


def etablissements_du_chef(user):
    etabs = etablissements_geres(user)
    if not etabs.exists():
        raise PermissionDenied
    return etabs


@filtree(ReperageFilter)
def liste_filtree(user, params):
    """The worklist as `user` sees it with the filters of `params`: the page, its exports and the mail merge."""
    if not perimetre(user).chef:
        raise PermissionDenied
    campagne, campagnes = campagne_choisie(params)
    return _filtre_de_liste(user, params, campagne), campagne, campagnes


def _filtre_de_liste(user, params, campagne) -> ReperageFilter:
    lycees = sorted(perimetre(user).chef)  # the chef's lycées as a literal id list: no query, no subquery
    qs = (
        Reperage.objects.visibles_par(user)
        .pour_liste()
        .filter(jeune__etablissement_id__in=lycees, campagne=campagne)
        .order_by("jeune__nom", "jeune__prenoms", "pk")
    )
    return ReperageFilter(params, queryset=qs)


# What a row of the worklist reads (`eleves.views.LIGNE_LISTE`, `Reperage.reinscription_a_proposer`): not the young
# person's other columns (address, guardian, the JSON of the hand-corrected fields), neither read nor decoded.
# The columns shown through their choice's label (`eleves.views._preparer_lignes`).
LIBELLES_LISTE = ("diplome", "resultat", "typologie", "statut_contact")
COLONNES_LISTE = ("specialite", "division", "reinscription_proposee_le", *LIBELLES_LISTE)
COLONNES_JEUNE_LISTE = ("uuid", "nom", "prenoms")


class ListeCompilee:
    """The worklist's page as `liste_filtree` filters it, for the page: its two statements (the counts, the rows of
    a page) built and compiled once per process (`avenirpro.sql.compilee`) for the user's perimeter (which holds the
    user's id), the campaign and the submitted values of the filters, then run with no filter set nor queryset
    built — building them cost more than running them. With a name or a division typed, they are compiled for the
    request and not kept. The exports and the mail merge keep `liste_filtree`.

    Sliced by `Paginator` (`liste[debut:fin]`): the rows as `Reperage` objects with their young person, holding the
    columns of `COLONNES_LISTE` and `COLONNES_JEUNE_LISTE` only (the others deferred, as `.only()` makes them)."""

    def __init__(self, user, params, campagne, *, par_page: int):
        if not perimetre(user).chef:
            raise PermissionDenied
        self.user, self.params, self.campagne, self.par_page = user, params, campagne, par_page
        valeurs = valeurs_soumises(params)
        self.cle = ("liste", perimetre(user), getattr(campagne, "pk", None), valeurs)
        # A name or a division typed: compiled for this request only, never kept (`eleves.filters.TEXTES_LIBRES`).
        self.garder = sans_texte_libre(valeurs)

    def _filtre(self) -> ReperageFilter:
        return _filtre_de_liste(self.user, self.params, self.campagne)

    def comptes(self) -> tuple[int, int]:
        """(rows shown, rows hidden by the default: those with a known solution), as `ReperageFilter.comptes`."""
        requete = compilee((*self.cle, "comptes"), lambda: self._filtre().requete_des_comptes(), garder=self.garder)
        lignes = requete.lignes()
        return lignes[0] if lignes else (0, 0)

    def __getitem__(self, tranche: slice) -> list[Reperage]:
        # A page's rows from `debut`: always `par_page` of them asked (the paginator asks fewer on the last page, as
        # many as it counted), so that a page keeps its statement as the count changes.
        debut = tranche.start or 0
        fin = debut + self.par_page
        colonnes = _dans_l_ordre_du_modele(Reperage, ("id", "jeune_id", "campagne_id", *COLONNES_LISTE))
        propres_du_jeune = _dans_l_ordre_du_modele(Jeune, ("id", *COLONNES_JEUNE_LISTE))
        jeune = tuple(f"jeune__{c}" for c in propres_du_jeune if c != "id")
        rang_jeune = colonnes.index("jeune_id")
        requete = compilee(
            (*self.cle, "page", debut, fin),
            lambda: self._filtre().qs.values_list(*colonnes, *jeune)[debut:fin],
            garder=self.garder,
        )
        n = len(colonnes)
        rangees = []
        for ligne in requete.lignes():
            reperage = Reperage.from_db(connection.alias, colonnes, ligne[:n])
            # The young person's id is its model's first field, then its columns read, in their model's order.
            reperage.jeune = Jeune.from_db(connection.alias, propres_du_jeune, (ligne[rang_jeune], *ligne[n:]))
            rangees.append(reperage)
        return rangees


def _dans_l_ordre_du_modele(modele, colonnes) -> tuple[str, ...]:
    """`colonnes` (attnames) in the order of the model's fields: `Model.from_db` reads a partial row in that order."""
    return tuple(f.attname for f in modele._meta.concrete_fields if f.attname in colonnes)


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
