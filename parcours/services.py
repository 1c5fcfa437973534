"""Workflows of the parcours. Every path (views, imports, demo, jobs) goes through these functions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from avenirpro import cache_ecrans
from avenirpro.models import Utilisateur
from parcours import regles
from parcours.conformite import controler, ecarts_parcours, pfmp_couvrant
from parcours.models import PFMP, Action, Bilan, Inscription, Presence

CHAMPS_INSCRIPTION = ("date_entree", "referent", "conseiller", "numero_imilo", "statut")
CHAMPS_SORTIE = ("date_sortie", "motif_sortie", "situation_sortie")
CHAMPS_PERIODE = ("date_debut", "date_fin")


class ConflitDeVersion(ValidationError):
    """Someone else saved the parcours since the form was opened."""

    def __init__(self):
        super().__init__(
            "Ce parcours a été modifié par quelqu'un d'autre depuis l'ouverture du formulaire. "
            "Vos saisies sont conservées ci-dessous : vérifiez la fiche à jour puis enregistrez de nouveau.",
            code="conflit_version",
        )


def _verrouiller(inscription: Inscription, version: int | None = None) -> Inscription:
    """Row lock on the parcours for the rest of the transaction; refuses a stale version."""
    verrou = Inscription.objects.select_for_update().select_related("campagne", "jeune").get(pk=inscription.pk)
    if version is not None and int(version) != verrou.version:
        raise ConflitDeVersion()
    return verrou


def _incrementer_version(inscription: Inscription) -> None:
    Inscription.objects.filter(pk=inscription.pk).update(version=F("version") + 1)
    inscription.version += 1
    cache_ecrans.perimer([inscription.etablissement_id])


@transaction.atomic
def inscrire(
    *,
    jeune,
    campagne,
    date_entree: datetime.date,
    referent=None,
    conseiller=None,
    numero_imilo: str = "",
    boursier: bool | None = None,
    statut: str = Inscription.Statut.EN_PREPARATION,
) -> Inscription:
    """Step 5: enrolment. The MEF comes from the diploma of origin (R2), the end date from the campaign (R3).
    A parcours is enrolled «en préparation», or directly «en cours» (the transition `demarrer` in the same step)."""
    if statut not in (Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS):
        raise ValidationError({"statut": "Un parcours s'inscrit « en préparation » ou « en cours »."})
    reperage = jeune.reperages.filter(campagne=campagne).first()
    if reperage is None:
        raise ValidationError(
            "Ce jeune n'a pas de repérage pour la campagne : le diplôme d'origine, qui fixe le MEF, est inconnu."
        )
    if Inscription.objects.filter(jeune=jeune, campagne=campagne).exists():
        raise ValidationError("Ce jeune est déjà inscrit pour cette campagne.")
    # R1 (no known solution) and R9 (a re-enrolment to re-sit is offered first): decided by the repérage.
    from eleves.services import peut_entrer_avenirpro

    admissible, motif = peut_entrer_avenirpro(reperage)
    if not admissible:
        raise ValidationError(motif, code="r9_reinscription")
    # R1: a confirmed wish (interview «entrée confirmée» or written commitment), not undone by a later refusal.
    from parcours.volontariat import verifier_volontariat

    volontaire, motif = verifier_volontariat(reperage)
    if not volontaire:
        raise ValidationError(motif, code="r1_volontariat")
    inscription = Inscription(
        jeune=jeune,
        campagne=campagne,
        etablissement_id=jeune.etablissement_id,
        mef=regles.mef_pour_diplome(reperage.diplome),
        date_entree=date_entree,
        referent=referent,
        conseiller=conseiller,
        numero_imilo=numero_imilo or "",
        statut=statut,
    )
    inscription.date_fin_prevue = regles.date_limite(campagne, date_entree)
    inscription.full_clean(exclude=["mef", "date_fin_prevue"])
    inscription.save()
    controler(inscription, champs=CHAMPS_INSCRIPTION, champ_par_defaut="date_entree")
    if boursier is not None and jeune.boursier != boursier:
        jeune.boursier = boursier
        jeune.save(update_fields=["boursier", "modifie_le"])
    return inscription


@transaction.atomic
def modifier_inscription(*, inscription: Inscription, version: int, donnees: dict) -> Inscription:
    """Edit a parcours; refuses a stale version (concurrent edit) and keeps MEF and end date computed. The status is
    not a free field: the only change of status allowed here is the transition «en préparation» → «en cours»
    (`demarrer`'s checks); the others have their own functions. Every rule of the parcours is checked again after
    the edit (a new entry date must keep its actions, PFMP and half-days inside the parcours)."""
    verrou = _verrouiller(inscription, version)
    avant = ecarts_parcours(verrou)
    boursier = donnees.pop("boursier", None)
    statut_avant = verrou.statut
    statut = donnees.pop("statut", None) or verrou.statut
    if statut != verrou.statut and (verrou.statut, statut) != (Inscription.Statut.EN_PREPARATION, "en_cours"):
        raise ValidationError(
            {
                "statut": f"Le parcours ne passe pas de « {verrou.get_statut_display()} » à "
                f"« {Inscription.Statut(statut).label} » par ce formulaire."
            }
        )
    for champ, valeur in donnees.items():
        setattr(verrou, champ, valeur)
    verrou.statut = statut
    verrou.date_fin_prevue = regles.date_limite(verrou, verrou.date_entree)
    verrou.full_clean(exclude=["mef", "date_fin_prevue"])
    verrou.version += 1
    if statut != statut_avant:
        verrou._change_reason = "Passage « en cours »"
    verrou.save()
    controler(verrou, avant=avant, champs=CHAMPS_INSCRIPTION, champ_par_defaut="date_entree")
    if boursier is not None and verrou.jeune.boursier != boursier:
        verrou.jeune.boursier = boursier
        verrou.jeune.save(update_fields=["boursier", "modifie_le"])
    return verrou


@transaction.atomic
def enregistrer_action(*, inscription: Inscription, action: Action) -> Action:
    """Add or edit an action of the parcours; never after the parcours' limit (R3, in Action.clean)."""
    verrou = _verrouiller(inscription)
    avant = ecarts_parcours(verrou)
    action.inscription = verrou
    action.full_clean()
    action.save()
    controler(verrou, avant=avant, champs=CHAMPS_PERIODE)
    _incrementer_version(verrou)
    return action


@transaction.atomic
def supprimer_action(*, action: Action) -> None:
    verrou = _verrouiller(action.inscription)
    action.delete()
    _incrementer_version(verrou)


@transaction.atomic
def enregistrer_creneau(*, creneau) -> list[str]:
    """Save a timetable slot; returns the warnings of R7 (slots falling on school or public holidays). A slot
    repeats between its action's dates, which stay inside the parcours (R3)."""
    verrou = _verrouiller(creneau.action.inscription)
    avant = ecarts_parcours(verrou)
    creneau.full_clean()
    creneau.save()
    controler(verrou, avant=avant)
    return avertissements_creneau(creneau)


def avertissements_creneau(creneau) -> list[str]:
    zone = creneau.action.inscription.etablissement.zone_vacances
    alertes = []
    for jour in creneau.dates():
        nom = regles.jour_ferie(
            jour, creneau.action.inscription.etablissement.departement
        ) or regles.vacances_scolaires(jour, zone)
        if nom:
            alertes.append(f"{jour:%d/%m/%Y} : {nom}")
    return alertes


def _verifier_plafond(verrou: Inscription, pfmp: PFMP) -> None:
    autres = [(p.date_debut, p.date_fin) for p in verrou.pfmps.exclude(pk=pfmp.pk)]
    periodes = [*autres, (pfmp.date_debut, pfmp.date_fin)]
    jours = regles.jours_pfmp(verrou, periodes=periodes)
    plafond = regles.plafond_pfmp(verrou)
    if jours > plafond:
        raise ValidationError(
            f"Plafond dépassé : les périodes en entreprise représenteraient {jours} j pour {plafond} j autorisés "
            "(deux tiers du parcours).",
            code="plafond_pfmp",
        )


@transaction.atomic
def enregistrer_pfmp(*, inscription: Inscription, pfmp: PFMP) -> PFMP:
    """Add or edit a PFMP / stage / immersion. R3 (dates) and R4 (two-thirds cap, checked against the planned end)
    under a row lock on the parcours, so that two simultaneous adds cannot both pass. The half-days are tied again
    to the PFMP that covers them (R8)."""
    verrou = _verrouiller(inscription)
    avant = ecarts_parcours(verrou)
    pfmp.inscription = verrou
    pfmp.full_clean()
    _verifier_plafond(verrou, pfmp)
    pfmp.save()
    _apres_changement_pfmp(verrou)
    controler(verrou, avant=avant, champs=CHAMPS_PERIODE)
    _incrementer_version(verrou)
    return pfmp


@transaction.atomic
def supprimer_pfmp(*, pfmp: PFMP) -> None:
    """Delete a period in a company; its half-days are tied to another PFMP covering them, or to none (R8)."""
    verrou = _verrouiller(pfmp.inscription)
    pfmp.delete()
    _apres_changement_pfmp(verrou)
    _incrementer_version(verrou)


def _apres_changement_pfmp(verrou: Inscription) -> None:
    rattacher_presences(verrou)
    if verrou.date_sortie:
        signaler_depassements_pfmp(verrou)


def rattacher_presences(inscription: Inscription) -> int:
    """R8: every half-day of the parcours tied to the PFMP whose dates cover it, and to no other — whatever the
    order in which attendance and PFMP were entered. Returns the number of half-days re-tied."""
    pfmps = list(inscription.pfmps.all())
    changees = []
    for p in inscription.presences.all():
        attendue = pfmp_couvrant(pfmps, p.date)
        if p.pfmp_id != getattr(attendue, "pk", None):
            p.pfmp = attendue
            changees.append(p)
    Presence.objects.bulk_update(changees, ["pfmp"])
    return len(changees)


@transaction.atomic
def signaler_depassements_pfmp(inscription: Inscription) -> bool:
    """R4 after an early exit: the past cannot be refused, so a breach against the real end is flagged on the PFMPs.
    Returns True when the cap is breached."""
    verrou = _verrouiller(inscription)
    fin = regles.fin_reelle(verrou)
    jours = regles.jours_pfmp(verrou, jusqu_au=fin)
    depasse = jours > regles.plafond_pfmp(verrou, fin=fin)
    verrou.pfmps.update(depassement_signale=depasse)
    cache_ecrans.perimer([verrou.etablissement_id])  # bulk write: no model signal
    return depasse


def pfmp_du_jour(pfmps, jour: datetime.date):
    return pfmp_couvrant(pfmps, jour)


VIDE = ("", "")


class ConflitDeSaisie(ValidationError):
    """Half-days changed by someone else (or in another tab) since the grid was drawn: nothing is saved.
    `cellules` lists them as (inscription, date, période, (statut, motif) now saved)."""

    def __init__(self, cellules):
        self.cellules = cellules
        libelles = dict(Presence.Statut.choices)
        details = "; ".join(
            f"{i.jeune} – {d:%d/%m/%Y} {dict(Presence.Periode.choices)[per].lower()} : "
            f"« {libelles.get(actuel[0], 'non saisi')} »"
            for i, d, per, actuel in cellules[:6]
        ) + (" …" if len(cellules) > 6 else "")
        super().__init__(
            f"Enregistrement refusé : {len(cellules)} demi-journée(s) ont été saisies par quelqu'un d'autre (ou dans "
            f"un autre onglet) depuis l'affichage de cette grille ({details}). Rien n'a été enregistré ni effacé : "
            "la grille montre maintenant les valeurs à jour, vérifiez-les puis enregistrez de nouveau.",
            code="conflit_saisie",
        )


@dataclass
class ResultatAppel:
    modifiees: int  # half-days written or cleared
    renseignees: int  # half-days of the submitted lines that hold a status after the save


def _valeur(ligne) -> tuple[str, str]:
    statut = ligne.get("statut") or ""
    motif = (ligne.get("motif") or "").strip()[:200] if statut and statut != Presence.Statut.PRESENT else ""
    return statut, motif


@transaction.atomic
def enregistrer_appel(*, lignes: list[dict], user) -> ResultatAppel:
    """Attendance of several half-days, of one or several parcours, all or nothing.

    Each line: inscription, date, periode, statut ("" clears), motif, and optionally `origine`, the (statut, motif)
    the screen showed when it was drawn. With an origine, only a changed cell is written, and a cell that changed
    since the screen was drawn (by someone else, in another tab, or a page brought back by the browser's back button)
    is a conflict: nothing at all is saved (ConflitDeSaisie). A cell that already holds the new value is left alone.
    Half-days inside a PFMP are tied to it (R8); nothing outside the parcours' dates (R3)."""
    ids = sorted({ligne["inscription"].pk for ligne in lignes})
    # Row locks in a fixed order (two registers of overlapping groups cannot deadlock).
    verrous = {
        i.pk: i
        for i in Inscription.objects.select_for_update()
        .select_related("campagne", "jeune", "etablissement")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    pfmps = {}
    for p in PFMP.objects.filter(inscription_id__in=ids):
        pfmps.setdefault(p.inscription_id, []).append(p)
    actuelles = {
        (p.inscription_id, p.date, p.periode): p
        for p in Presence.objects.filter(inscription_id__in=ids, date__in={li["date"] for li in lignes})
    }
    avant = _ecarts_du_groupe(verrous)
    erreurs, conflits, ecritures = [], [], []
    for ligne in lignes:
        inscription = verrous[ligne["inscription"].pk]
        cle = (inscription.pk, ligne["date"], ligne["periode"])
        p = actuelles.get(cle)
        actuel = (p.statut, p.motif) if p else VIDE
        nouveau = _valeur(ligne)
        if "origine" in ligne:
            origine = tuple(ligne["origine"] or VIDE)
            if nouveau == origine:
                continue  # not changed on the screen: whatever is saved stays
            if actuel not in (origine, nouveau):
                conflits.append((inscription, ligne["date"], ligne["periode"], actuel))
                continue
        if nouveau == actuel:
            continue
        if nouveau[0]:
            quand = f"{inscription.jeune} – {ligne['date']:%d/%m/%Y}"
            if ligne["date"] < inscription.date_entree or ligne["date"] > regles.fin_reelle(inscription):
                erreurs.append(f"{quand} : hors des dates du parcours.")
            if nouveau[0] not in Presence.Statut.values:
                erreurs.append(f"{quand} : statut inconnu.")
            if nouveau[0] == Presence.Statut.ABSENT_JUSTIFIE and not nouveau[1]:
                erreurs.append(f"{quand} : indiquez le motif de l'absence justifiée.")
        ecritures.append((inscription, ligne, p, nouveau))
    if conflits:
        raise ConflitDeSaisie(conflits)
    if erreurs:
        raise ValidationError(erreurs)
    for inscription, ligne, actuelle, (statut, motif) in ecritures:
        if not statut:
            actuelle.delete()
            continue
        valeurs = {
            "statut": statut,
            "motif": motif,
            "pfmp": pfmp_du_jour(pfmps.get(inscription.pk, []), ligne["date"]),
            "saisi_par": user,
        }
        Presence.objects.update_or_create(
            inscription=inscription, date=ligne["date"], periode=ligne["periode"], defaults=valeurs
        )
    # Every rule of each parcours still holds once the half-days are written (R3, R8…), or nothing is saved.
    apres = _ecarts_du_groupe(verrous)
    nouveaux = [e for pk, ecarts in apres.items() for e in ecarts if e.cle not in {x.cle for x in avant[pk]}]
    if nouveaux:
        raise ValidationError([f"{e.message} ({e.regle})" for e in nouveaux])
    renseignees = 0
    ecrites = {(i.pk, li["date"], li["periode"]): v for i, li, _a, v in ecritures}
    for ligne in lignes:
        cle = (ligne["inscription"].pk, ligne["date"], ligne["periode"])
        p = actuelles.get(cle)
        valeur = ecrites.get(cle, (p.statut, p.motif) if p else VIDE)
        renseignees += bool(valeur[0])
    return ResultatAppel(modifiees=len(ecritures), renseignees=renseignees)


def enregistrer_presences(*, inscription: Inscription, lignes: list[dict], user) -> int:
    """Attendance of a week of one parcours in one go (see `enregistrer_appel`); returns the half-days recorded."""
    return enregistrer_appel(lignes=[{**li, "inscription": inscription} for li in lignes], user=user).renseignees


def _ecarts_du_groupe(verrous: dict) -> dict:
    """`ecarts_parcours` of several parcours with their related rows read in three queries (a register of twenty
    young people costs the same as one)."""
    ids = list(verrous)
    lies = {}
    for nom, modele in (("actions", Action), ("pfmps", PFMP), ("presences", Presence)):
        lies[nom] = {pk: [] for pk in ids}
        for objet in modele.objects.filter(inscription_id__in=ids).order_by("pk"):
            lies[nom][objet.inscription_id].append(objet)
    return {pk: ecarts_parcours(i, **{nom: lies[nom][pk] for nom in lies}) for pk, i in verrous.items()}


# --- Transitions of a parcours: en préparation → en cours → à clôturer → sortie (and back, ADR 0012) ----------


class TransitionImpossible(ValidationError):
    pass


def _transition(verrou: Inscription, depuis, vers: str, raison: str) -> None:
    if verrou.statut not in depuis:
        raise TransitionImpossible(
            {
                "statut": f"Le parcours est « {verrou.get_statut_display()} » : il ne peut passer "
                f"« {Inscription.Statut(vers).label} »."
            }
        )
    verrou.statut = vers
    verrou._change_reason = raison[:100]


@transaction.atomic
def demarrer(*, inscription: Inscription, version: int | None = None) -> Inscription:
    """«En préparation» → «en cours»: the référent is designated first (R5)."""
    verrou = _verrouiller(inscription, version)
    avant = ecarts_parcours(verrou)
    _transition(verrou, [Inscription.Statut.EN_PREPARATION], Inscription.Statut.EN_COURS, "Passage « en cours »")
    verrou.full_clean(exclude=["mef", "date_fin_prevue"])
    verrou.version += 1
    verrou.save()
    controler(verrou, avant=avant, champs=CHAMPS_INSCRIPTION)
    return verrou


@transaction.atomic
def passer_a_cloturer(*, inscription: Inscription, aujourdhui: datetime.date) -> Inscription:
    """«En préparation» or «en cours» → «à clôturer» once the limit is reached (the daily sweep does the same for
    many parcours at once, `parcours.balayage.balayer_parcours`)."""
    verrou = _verrouiller(inscription)
    if aujourdhui < verrou.date_limite:
        raise TransitionImpossible(
            {"statut": f"La date limite du parcours ({verrou.date_limite:%d/%m/%Y}) n'est pas atteinte."}
        )
    from parcours.balayage import MOTIF_A_CLOTURER

    _transition(
        verrou,
        [Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS],
        Inscription.Statut.A_CLOTURER,
        MOTIF_A_CLOTURER,
    )
    verrou.version += 1
    verrou.save()
    return verrou


@transaction.atomic
def cloturer(*, inscription: Inscription, version: int, date_sortie, motif_sortie: str, situation_sortie: str):
    """→ «sortie». R6: the exit needs a date inside the parcours, a «motif de sortie» and a «situation à la
    sortie» that agree with each other. After an early exit the PFMP cap is checked against the real end and a
    breach is flagged (R4)."""
    verrou = _verrouiller(inscription, version)
    avant = ecarts_parcours(verrou)
    _transition(
        verrou,
        [Inscription.Statut.EN_PREPARATION, Inscription.Statut.EN_COURS, Inscription.Statut.A_CLOTURER],
        Inscription.Statut.SORTIE,
        "Sortie du dispositif",
    )
    verrou.date_sortie = date_sortie
    verrou.motif_sortie = motif_sortie or ""
    verrou.situation_sortie = situation_sortie or ""
    verrou.full_clean(exclude=["mef", "date_fin_prevue"])
    verrou.version += 1
    verrou.save()
    controler(verrou, avant=avant, champs=CHAMPS_SORTIE, champ_par_defaut="date_sortie")
    signaler_depassements_pfmp(verrou)
    return verrou


@transaction.atomic
def rouvrir(*, inscription: Inscription, version: int, user, motif: str) -> Inscription:
    """«Sortie» → «en cours» (or «en préparation» without a référent), reserved to the chef, with a reason kept in
    the history (ADR 0012). The exit is cleared as a whole — date, motif, situation — so that the parcours is back
    in the sweep and out of the exit statistics; the flags of the PFMP cap are computed again."""
    from avenirpro.acces import peut_rouvrir

    if not peut_rouvrir(user, inscription):
        raise TransitionImpossible("Seul le chef d'établissement peut rouvrir un parcours clôturé.")
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": "Indiquez pourquoi le parcours est rouvert."})
    verrou = _verrouiller(inscription, version)
    avant = ecarts_parcours(verrou)
    vers = Inscription.Statut.EN_COURS if verrou.referent_id else Inscription.Statut.EN_PREPARATION
    _transition(verrou, [Inscription.Statut.SORTIE], vers, f"Réouverture : {motif}")
    verrou.date_sortie = None
    verrou.motif_sortie = ""
    verrou.situation_sortie = ""
    verrou.full_clean(exclude=["mef", "date_fin_prevue"])
    verrou.version += 1
    verrou.save()
    controler(verrou, avant=avant, champ_par_defaut="motif")
    signaler_depassements_pfmp(verrou)
    return verrou


# --- Campaign settings: every parcours of the campaign follows them (R3, R4) -----------------------------------

CHAMPS_CAMPAGNE_REGLES = (
    "date_rentree",
    "date_entree_min",
    "date_entree_max",
    "mode_duree",
    "duree_mois",
    "unite_pfmp",
)


def ecarts_campagne(campagne) -> list[tuple[Inscription, list]]:
    """The parcours of the campaign that new settings (`campagne`, not saved yet) would put out of the rules, with
    their breaches. Breaches a parcours already had with the stored settings are not counted against the change;
    the planned end is always recomputed, so it is never one."""
    from avenirpro.models import Campagne

    if not campagne.pk:
        return []
    ancienne = Campagne.objects.get(pk=campagne.pk)
    resultat = []
    qs = Inscription.objects.filter(campagne_id=campagne.pk).prefetch_related("actions", "pfmps", "presences")
    for i in qs.select_related("campagne", "jeune"):
        avant = {e.cle for e in ecarts_parcours(i, campagne=ancienne)}
        i.date_fin_prevue = regles.date_limite(campagne, i.date_entree)
        nouveaux = [e for e in ecarts_parcours(i, campagne=campagne) if e.cle not in avant]
        if nouveaux:
            resultat.append((i, nouveaux))
    return resultat


def message_ecarts_campagne(ecarts, limite: int = 10) -> str:
    lignes = [f"{i.jeune} : {e.message}" for i, liste in ecarts for e in liste]
    texte = " ".join(lignes[:limite])
    if len(lignes) > limite:
        texte += f" … et {len(lignes) - limite} autre(s) conflit(s)."
    return f"Ce réglage mettrait {len(ecarts)} parcours hors des règles : {texte}"


@transaction.atomic
def enregistrer_campagne(*, campagne) -> int:
    """Save the campaign settings under a lock on the campaign and every parcours of it; refused (nothing saved)
    when a parcours would break a rule, else every planned end is computed again. Returns the parcours changed."""
    from avenirpro.models import Campagne

    if campagne.pk:
        Campagne.objects.select_for_update().filter(pk=campagne.pk).first()
        list(Inscription.objects.select_for_update().filter(campagne_id=campagne.pk).values_list("pk", flat=True))
        ecarts = ecarts_campagne(campagne)
        if ecarts:
            champs = [c for c in CHAMPS_CAMPAGNE_REGLES if _campagne_change(campagne, c)] or ["__all__"]
            raise ValidationError({champs[0]: message_ecarts_campagne(ecarts)})
    campagne.full_clean()
    campagne.save()
    return recalculer_fins_prevues(campagne)


def _campagne_change(campagne, champ: str) -> bool:
    from avenirpro.models import Campagne

    return getattr(Campagne.objects.get(pk=campagne.pk), champ) != getattr(campagne, champ)


def recalculer_fins_prevues(campagne) -> int:
    """R3: the stored planned end of every parcours of the campaign set to the limit its rule computes."""
    changees = []
    for i in Inscription.objects.filter(campagne_id=campagne.pk).only("pk", "date_entree", "date_fin_prevue"):
        fin = regles.date_limite(campagne, i.date_entree)
        if i.date_fin_prevue != fin:
            i.date_fin_prevue = fin
            changees.append(i)
    for i in changees:
        Inscription.objects.filter(pk=i.pk).update(
            date_fin_prevue=i.date_fin_prevue, version=F("version") + 1, modifie_le=timezone.now()
        )
    if changees:
        cache_ecrans.perimer(
            set(Inscription.objects.filter(pk__in=[i.pk for i in changees]).values_list("etablissement_id", flat=True))
        )
    return len(changees)


@transaction.atomic
def envoyer_bilan(*, bilan: Bilan, lien: str = "") -> int:
    """The référent sends the written bilan to the chef d'établissement; the sending date is kept."""
    from avenirpro.notifications import notifier

    inscription = bilan.inscription
    bilan.envoye_le = timezone.now()
    bilan.save(update_fields=["envoye_le"])
    return notifier(
        destinataires=Utilisateur.objects.chefs_de(inscription.etablissement_id),
        cle=f"bilan:{bilan.uuid}:{bilan.envoye_le:%Y%m%d%H%M%S}",
        sujet=f"Bilan de parcours de {inscription.jeune}",
        message=f"Le bilan AvenirPro+ de {inscription.jeune} est disponible.",
        lien=lien,
        jeune=inscription.jeune_id,
    )


def journal(inscription: Inscription) -> list[dict]:
    """Timeline of the young person's parcours: contacts, interviews, actions, PFMP, points, absences, changes."""
    from eleves.models import Contact
    from entretiens.models import Entretien

    tz = timezone.get_current_timezone()
    evts = []

    def ajouter(quand, genre, texte):
        if isinstance(quand, datetime.datetime):
            quand = timezone.localtime(quand, tz)
        else:
            quand = datetime.datetime.combine(quand, datetime.time(0), tzinfo=tz)
        evts.append({"quand": quand, "genre": genre, "texte": texte})

    for c in Contact.objects.filter(jeune_id=inscription.jeune_id, campagne_id=inscription.campagne_id):
        ajouter(c.date, "Contact", f"{c.get_canal_display()} – {c.get_issue_display()}")
    from eleves.models import Reperage

    r = Reperage.objects.filter(jeune_id=inscription.jeune_id, campagne_id=inscription.campagne_id).first()
    if r is not None and r.reinscription_proposee_le:  # R9: the re-enrolment offered first
        texte = f"Réinscription proposée ({r.get_reinscription_canal_display() or 'canal non précisé'}) – "
        texte += r.get_reponse_reinscription_display()
        if r.reinscription_motif:
            texte += f" : {r.get_reinscription_motif_display().lower()}"
        ajouter(r.reinscription_proposee_le, "Réinscription", texte)
    if r is not None and r.engagement_ecrit_le:  # R1: the written commitment
        ajouter(r.engagement_ecrit_le, "Engagement écrit", r.engagement_ecrit_motif)
    for e in Entretien.objects.filter(jeune_id=inscription.jeune_id, campagne_id=inscription.campagne_id):
        ajouter(
            e.date, "Entretien", f"{e.get_type_display()}" + (f" – {e.get_decision_display()}" if e.decision else "")
        )
    for a in inscription.actions.all():
        ajouter(a.date_debut, "Action", f"{a.intitule} ({a.get_statut_display()})")
    for p in inscription.pfmps.all():
        ajouter(p.date_debut, "PFMP", f"{p.get_type_display()} chez {p.entreprise}")
    for pt in inscription.points_suivi.all():
        ajouter(pt.date, "Point de suivi", pt.contenu[:120])
    for pr in inscription.presences.exclude(statut=Presence.Statut.PRESENT):
        ajouter(pr.date, "Assiduité", f"{pr.get_periode_display()} : {pr.get_statut_display()}")
    precedent = None
    for h in inscription.history.order_by("history_date"):
        if precedent is not None:
            delta = h.diff_against(precedent)
            champs = [c.field for c in delta.changes if c.field not in ("version", "modifie_le")]
            if champs:
                noms = ", ".join(str(Inscription._meta.get_field(c).verbose_name) for c in champs)
                ajouter(h.history_date, "Modification", f"Modifié : {noms}")
        precedent = h
    # The enrolment is dated by what happened (the entry into the parcours), not by the day the record was typed.
    ajouter(inscription.date_entree, "Inscription", f"Entrée dans AvenirPro+ ({inscription.get_mef_display()})")
    evts.sort(key=lambda e: e["quand"], reverse=True)
    return evts
