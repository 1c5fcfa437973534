"""The rules of a parcours, stated once (docs/regles.md).

`ecarts_parcours(inscription)` lists every rule the parcours breaks in its current state — its own fields, its
actions, PFMP and half-days as stored — with the rule, the field it belongs to and the items in conflict, in French.
Every write path of a parcours calls `controler` after writing, under the row lock of the parcours: a write that
would create a breach is refused (its transaction is rolled back) with these messages next to the field. The
database audit (`manage.py verifier_regles`, run by the daily sweep) calls the same function over every row.

Checked here: R3 (entry between the campaign's first and last entry dates, the stored planned end equal to the
computed limit, no action, PFMP or half-day before the entry or after the limit), R4 (periods in a company at most
two thirds of the parcours, against the planned end), R5 (a parcours «en cours» has a référent — that the référent
is a volunteer teacher of the lycée is checked at designation only, in `Inscription.clean`), R6 (status «sortie» if
and only if an exit date, the exit inside the parcours, answers that agree with each other), R8 (a half-day is tied
to the PFMP whose dates cover it, and to no other).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from parcours import regles


@dataclass(frozen=True)
class Ecart:
    """One breach: the rule, the field of the parcours it belongs to, the message, the item in conflict."""

    regle: str
    champ: str
    message: str
    objet: str = ""

    @property
    def cle(self) -> tuple[str, str, str]:
        return (self.regle, self.champ, self.objet)


def _d(jour: datetime.date) -> str:
    return f"{jour:%d/%m/%Y}"


def _periode(libelle: str, debut: datetime.date, fin: datetime.date) -> str:
    return f"{libelle} du {_d(debut)} au {_d(fin)}"


ARTICLES_PFMP = {"pfmp": "La PFMP", "stage": "Le stage", "immersion": "L'immersion"}


def pfmp_couvrant(pfmps, jour: datetime.date):
    """R8: the PFMP whose dates cover the day (the earliest, then the first created, when periods overlap)."""
    for p in sorted(pfmps, key=lambda p: (p.date_debut, p.pk or 0)):
        if p.date_debut <= jour <= p.date_fin:
            return p
    return None


# Checks added by other parts of the code (volunteering at enrolment, identifiers, calendars…): each is a function
# `inscription -> list[Ecart]`, registered with `controle_supplementaire`. They run wherever the rules run.
CONTROLES_SUPPLEMENTAIRES: list[Callable] = []


def controle_supplementaire(fonction: Callable) -> Callable:
    CONTROLES_SUPPLEMENTAIRES.append(fonction)
    return fonction


# What such a check reads for a whole batch of the audit at once (`parcours.verification.constats`), so that the
# audit's queries do not grow with the parcours: `inscriptions -> None`, which may leave its reads on each
# inscription for its check (R18: the PFMP that have their signed copy).
PREPARATIONS_DE_LOT: list[Callable] = []


def preparation_de_lot(fonction: Callable) -> Callable:
    PREPARATIONS_DE_LOT.append(fonction)
    return fonction


def ecarts_parcours(inscription, *, campagne=None, actions=None, pfmps=None, presences=None) -> list[Ecart]:
    """Every rule the parcours breaks. `campagne` replaces the parcours' campaign (a campaign change is checked
    before it is saved); the related rows are read from the database unless given (prefetched by the audit)."""
    if campagne is not None:
        inscription.campagne = campagne
    campagne = inscription.campagne
    if actions is None:
        actions = list(inscription.actions.all())
    if pfmps is None:
        pfmps = list(inscription.pfmps.all())
    if presences is None:
        presences = list(inscription.presences.all())
    entree = inscription.date_entree
    limite = regles.date_limite(campagne, entree)
    ecarts: list[Ecart] = []

    # R3: the entry inside the campaign, the planned end on the rule.
    if entree < campagne.date_entree_min:
        ecarts.append(
            Ecart(
                "R3",
                "date_entree",
                f"L'entrée du {_d(entree)} précède la première date d'entrée de la campagne "
                f"({_d(campagne.date_entree_min)}).",
            )
        )
    derniere = campagne.derniere_date_entree
    if entree > derniere:
        ecarts.append(
            Ecart(
                "R3",
                "date_entree",
                f"L'entrée du {_d(entree)} suit la dernière date d'entrée de la campagne ({_d(derniere)}).",
            )
        )
    if limite < entree:
        ecarts.append(
            Ecart(
                "R3",
                "date_entree",
                f"L'entrée du {_d(entree)} tombe après la fin des {campagne.duree_mois} mois "
                f"comptés depuis la rentrée ({_d(limite)}).",
            )
        )
    if inscription.date_fin_prevue != limite:
        ecarts.append(
            Ecart(
                "R3",
                "__all__",
                f"La fin prévisionnelle enregistrée ({_d(inscription.date_fin_prevue)}) ne suit "
                f"pas la règle de la campagne ({_d(limite)}).",
                "date_fin_prevue",
            )
        )

    # R3: nothing before the entry or after the limit.
    elements = [
        *(
            (
                _periode("L'action", a.date_debut, a.date_fin) + f" « {a.intitule} »",
                a.date_debut,
                a.date_fin,
                f"action:{a.pk}",
            )
            for a in actions
        ),
        *(
            (
                _periode(ARTICLES_PFMP.get(p.type, "La PFMP"), p.date_debut, p.date_fin) + f" chez {p.entreprise}",
                p.date_debut,
                p.date_fin,
                f"pfmp:{p.pk}",
            )
            for p in pfmps
        ),
    ]
    for libelle, debut, fin, objet in elements:
        if debut < entree:
            ecarts.append(Ecart("R3", "date_entree", f"{libelle} commencerait avant l'entrée ({_d(entree)}).", objet))
        if fin > limite:
            ecarts.append(
                Ecart(
                    "R3", "date_entree", f"{libelle} finirait après la date limite du parcours ({_d(limite)}).", objet
                )
            )
    hors = sorted({p.date for p in presences if p.date < entree or p.date > limite})
    if hors:
        jours = ", ".join(_d(j) for j in hors[:5]) + (" …" if len(hors) > 5 else "")
        ecarts.append(
            Ecart(
                "R3",
                "date_entree",
                f"Des demi-journées d'assiduité tomberaient hors du parcours (du {_d(entree)} "
                f"au {_d(limite)}) : {jours}.",
                "presences",
            )
        )

    # R4: the periods in a company, against the planned end (after an early exit the sweep flags, never refuses).
    if pfmps:
        periodes = [(p.date_debut, p.date_fin) for p in pfmps]
        jours = regles.compter_jours(periodes, campagne.unite_pfmp, limite)
        plafond = regles.compter_jours([(entree, limite)], campagne.unite_pfmp) * 2 // 3
        if jours > plafond:
            ecarts.append(
                Ecart(
                    "R4",
                    "date_entree",
                    f"Plafond dépassé : les périodes en entreprise représenteraient {jours} j "
                    f"pour {plafond} j autorisés (deux tiers du parcours, jusqu'au {_d(limite)}).",
                    "pfmp",
                )
            )

    # R5: a parcours «en cours» has a référent.
    if inscription.statut == "en_cours" and not inscription.referent_id:
        ecarts.append(
            Ecart("R5", "referent", "Désignez un référent de parcours avant de passer le parcours « en cours ».")
        )

    # R6: the exit.
    sortie = inscription.date_sortie
    if (inscription.statut == "sortie") != (sortie is not None):
        ecarts.append(
            Ecart(
                "R6",
                "statut",
                "Le statut « Sortie » va avec une date de sortie, et une date de sortie avec ce statut.",
            )
        )
    if sortie is not None:
        if sortie > limite:
            ecarts.append(
                Ecart(
                    "R6",
                    "date_sortie",
                    f"La sortie du {_d(sortie)} tombe après la date limite du parcours ({_d(limite)}).",
                )
            )
        if sortie < entree:
            ecarts.append(Ecart("R6", "date_sortie", f"La sortie du {_d(sortie)} précède l'entrée ({_d(entree)})."))
        motif, situation = inscription.motif_sortie, inscription.situation_sortie
        if motif == "solution_avant_terme" and situation in ("sans_solution", "inconnue"):
            ecarts.append(
                Ecart(
                    "R6",
                    "situation_sortie",
                    "Motif « Solution trouvée avant terme » : la situation à la sortie "
                    f"ne peut être « {inscription.get_situation_sortie_display()} ».",
                )
            )
        if motif == "duree_maximale" and sortie < limite:
            ecarts.append(
                Ecart(
                    "R6",
                    "motif_sortie",
                    f"Motif « Durée maximale atteinte » : la sortie du {_d(sortie)} précède "
                    f"la date limite du parcours ({_d(limite)}).",
                )
            )

    # R8: a half-day is tied to the PFMP that covers its date, and to no other.
    mal_liees = sorted(p.date for p in presences if p.pfmp_id != getattr(pfmp_couvrant(pfmps, p.date), "pk", None))
    if mal_liees:
        ecarts.append(
            Ecart(
                "R8",
                "__all__",
                f"{len(mal_liees)} demi-journée(s) rattachée(s) à une autre PFMP que celle qui "
                f"couvre leur date (première : {_d(mal_liees[0])}).",
                "presences",
            )
        )

    for controle in CONTROLES_SUPPLEMENTAIRES:
        ecarts.extend(controle(inscription))
    return ecarts


def controler(inscription, *, avant: list[Ecart] | None = None, champs=(), champ_par_defaut: str = "__all__"):
    """Refuse a write that creates a breach: the parcours is read again as written (inside the transaction, under
    its lock) and every breach not present before the write (`avant`) is raised, each next to its field when the
    form has it (`champs`), else next to `champ_par_defaut`."""
    deja = {e.cle for e in (avant or [])}
    nouveaux = [e for e in ecarts_parcours(inscription) if e.cle not in deja]
    if not nouveaux:
        return
    erreurs: dict[str, list[ValidationError]] = {}
    for e in nouveaux:
        champ = e.champ if e.champ in champs else champ_par_defaut
        erreurs.setdefault(champ, []).append(ValidationError(f"{e.message} ({e.regle})", code=e.regle))
    raise ValidationError(erreurs)
