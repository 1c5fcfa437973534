"""The parcours' selections and computations, shared by the pages, their exports, the PDFs and the worker (none of
which imports a views module): the filtered lists and the written bilan; the parcours' part of the young person's
file in eleves (`eleves.extensions`)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse

from avenirpro.acces import perimetre
from avenirpro.filtres import filtree, valeurs
from parcours import regles, services
from parcours.filters import InscriptionFilter, OffreFilter
from parcours.models import Action, Bilan, Creneau, Inscription, OffreAction, Presence


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


def grille_presences(inscription, lundi) -> list[dict]:
    """The rows of the week grid of one parcours (Monday to Friday, morning and afternoon): the saved value of each
    half-day (also kept as the value the cell was drawn with, ADR 0016), where the young person is expected, the
    public holidays and the days outside the parcours."""
    jours = [lundi + datetime.timedelta(days=i) for i in range(5)]
    pfmps = list(inscription.pfmps.all())
    existantes = {(p.date, p.periode): p for p in inscription.presences.filter(date__in=jours)}
    creneaux = list(Creneau.objects.filter(action__inscription=inscription).select_related("action"))
    attendues = regles.demi_journees_attendues(inscription, creneaux, pfmps, jours[0], jours[-1])

    def lieu(jour, periode, pf):
        """Where the young person is expected: the PFMP, else the places of the timetable's slots."""
        if pf:
            return f"PFMP – {pf.entreprise}"
        lieux = {
            c.action.lieu or c.action.get_type_lieu_display()
            for c in creneaux
            if c.jour == jour.weekday()
            and c.action.date_debut <= jour <= c.action.date_fin
            and regles.periode_de_l_heure(c.heure_debut) == periode
        }
        return ", ".join(sorted(lieux)) or "Lycée / mission locale"

    lignes = []
    for jour in jours:
        for periode, libelle in Presence.Periode.choices:
            cle = f"{jour:%Y%m%d}_{periode}"
            p = existantes.get((jour, periode))
            pf = services.pfmp_du_jour(pfmps, jour)
            lignes.append(
                {
                    "cle": cle,
                    "date": jour,
                    "periode": periode,
                    "libelle": libelle,
                    "statut": p.statut if p else "",
                    "motif": p.motif if p else "",
                    "origine_statut": p.statut if p else "",
                    "origine_motif": p.motif if p else "",
                    "lieu": lieu(jour, periode, pf),
                    "attendue": (jour, periode) in attendues,
                    "ferie": regles.jour_ferie(jour, inscription.etablissement.departement),
                    "dans": inscription.date_entree <= jour <= regles.fin_reelle(inscription),
                }
            )
    return lignes


def grille_edt(inscription, lundi):
    """The week's timetable: slots of the actions running that day, PFMP days, holidays (R7)."""
    from parcours import regles, services
    from parcours.models import Creneau

    zone = inscription.etablissement.zone_vacances
    creneaux = list(
        Creneau.objects.filter(action__inscription=inscription).select_related("action").order_by("heure_debut")
    )
    pfmps = list(inscription.pfmps.all())
    jours = []
    for i in range(6):
        jour = lundi + datetime.timedelta(days=i)
        ferie = regles.jour_ferie(jour, inscription.etablissement.departement)
        vacances = regles.vacances_scolaires(jour, zone)
        dans = inscription.date_entree <= jour <= inscription.date_limite
        items = [c for c in creneaux if c.jour == i and c.action.date_debut <= jour <= c.action.date_fin and dans]
        jours.append(
            {
                "date": jour,
                "ferie": ferie,
                "vacances": vacances,
                "creneaux": items,
                "pfmp": services.pfmp_du_jour(pfmps, jour) if dans else None,
                "hors_parcours": not dans,
            }
        )
    return jours


# --- The young person's file in eleves (eleves.extensions, registered by ParcoursConfig.ready) --------------------


def contexte_dossier(user, jeune) -> dict:
    """The parcours of the young person's page (read through the parcours' own visibility rule) and the link to the
    enrolment screen."""
    return {
        "url_inscrire": reverse("parcours:inscrire", kwargs={"jeune_uuid": jeune.uuid}),
        "inscriptions": list(Inscription.objects.visibles_par(user).filter(jeune=jeune).select_related("campagne")),
    }


def annoter_suivis(qs):
    """The counsellor's list: each young person's latest parcours, its status and its counsellor (one subquery)."""
    derniere = Inscription.objects.filter(jeune=OuterRef("pk")).order_by("-date_entree", "-pk")
    return qs.annotate(
        parcours_uuid=Subquery(derniere.values("uuid")[:1]),
        parcours_statut=Subquery(derniere.values("statut")[:1]),
        parcours_conseiller=Subquery(derniere.values("conseiller_id")[:1]),
    )


def preparer_suivis(lignes, user) -> None:
    statuts = dict(Inscription.Statut.choices)
    for j in lignes:
        j.libelle_parcours = statuts.get(j.parcours_statut, "")
        j.mon_parcours = j.parcours_conseiller == user.pk


def parcours_des_resultats(user) -> Prefetch:
    """The header's search: the parcours of each young person found, those the user may see, latest first."""
    inscriptions = Inscription.objects.visibles_par(user).select_related("campagne").order_by("-campagne__session")
    return Prefetch("inscriptions", queryset=inscriptions)


def preparer_resultat(jeune) -> None:
    jeune.parcours = [(i, reverse("parcours:detail", args=[i.uuid])) for i in jeune.inscriptions.all()]
