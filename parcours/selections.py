"""The parcours' selections and computations, shared by the pages, their exports, the PDFs and the worker (none of
which imports a views module): the filtered lists and the written bilan."""

from django.core.exceptions import PermissionDenied

from avenirpro.acces import perimetre
from avenirpro.filtres import filtree, valeurs
from parcours import regles
from parcours.filters import InscriptionFilter, OffreFilter
from parcours.models import Action, Bilan, Inscription, OffreAction


def inscriptions_filtrees(user, params) -> InscriptionFilter:
    """The chef's enrolments with the list's filters (`params`), as a FilterSet (its `.qs` is ordered)."""
    p = perimetre(user)
    if not p.chef:
        raise PermissionDenied
    qs = (
        Inscription.objects.visibles_par(user)
        .filter(etablissement_id__in=p.chef)
        .pour_liste()
        .order_by("jeune__nom", "jeune__prenoms", "pk")
    )
    return InscriptionFilter(params, queryset=qs)


@filtree(InscriptionFilter)
def liste_filtree(user, params):
    """The chef's enrolments with the list's filters (`params`): the page and its exports. Returns (qs, filtre),
    `filtre` being the values the page shows back in its form."""
    filtre = inscriptions_filtrees(user, params)
    return filtre.qs, valeurs(filtre)


@filtree(InscriptionFilter)
def inscriptions(user, params):
    """The rows of the chef's list (its export): `liste_filtree` without the form's values."""
    return inscriptions_filtrees(user, params).qs


def acces_offre(user):
    p = perimetre(user)
    if not (p.chef or p.referent or p.missions_locales):
        raise PermissionDenied


@filtree(OffreFilter)
def offre_filtree(user, params):
    """The local offer `user` sees, with the list's filter (`params`): the page and its exports."""
    acces_offre(user)
    qs = OffreAction.objects.visibles_par(user)
    return OffreFilter(params, queryset=qs).qs.order_by("intitule", "pk")


def contexte_bilan(inscription) -> dict:
    """Everything the written bilan shows (screen and PDF)."""
    fin = regles.fin_reelle(inscription)
    sortie = inscription.date_sortie
    # After an exit, the bilan tells what happened: what starts after the exit did not take place (counted, not
    # listed as «Prévue»), what runs across it stops there, and a status still «prévue» / «en cours» is not true.
    actions_, actions_annulees = [], 0
    for a in inscription.actions.all():
        if sortie and a.date_debut > sortie:
            actions_annulees += 1
            continue
        a.fin_bilan = min(a.date_fin, sortie) if sortie else a.date_fin
        semaines = ((a.fin_bilan - a.date_debut).days + 1) / 7
        a.heures_totales = round(float(a.heures_hebdo or 0) * semaines, 1)
        a.statut_bilan = a.get_statut_display()
        if sortie and a.statut in (Action.Statut.PREVUE, Action.Statut.EN_COURS):
            a.statut_bilan = (
                f"Interrompue par la sortie du {sortie:%d/%m/%Y}" if a.date_fin > sortie else "Statut non renseigné"
            )
        actions_.append(a)
    pfmps, pfmps_annulees = [], 0
    for p in inscription.pfmps.all():
        if sortie and p.date_debut > sortie:
            pfmps_annulees += 1
            continue
        p.fin_bilan = min(p.date_fin, sortie) if sortie else p.date_fin
        p.interrompue = bool(sortie and p.date_fin > sortie)
        pfmps.append(p)
    presences_ = list(inscription.presences.all())
    bilan = Bilan.objects.filter(inscription=inscription).first()
    return {
        "inscription": inscription,
        "bilan": bilan,
        "actions": actions_,
        "actions_annulees": actions_annulees,
        "pfmps": pfmps,
        "pfmps_annulees": pfmps_annulees,
        "jours_pfmp": regles.jours_pfmp(
            inscription, jusqu_au=fin, periodes=[(p.date_debut, p.fin_bilan) for p in pfmps]
        ),
        "jours_pfmp_effectues": regles.jours_pfmp_effectues(presences_),
        "gratification": regles.gratification(inscription, presences_),
        "taux": regles.taux_assiduite(presences_),
        "duree_jours": (fin - inscription.date_entree).days + 1,
        "fin": fin,
    }
