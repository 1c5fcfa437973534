"""Workflows of the parcours. Every path (views, imports, demo, jobs) goes through these functions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from avenirpro import cache_ecrans
from parcours import regles
from parcours.models import PFMP, Action, Bilan, Inscription, Presence


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
    """Step 5: enrolment. The MEF comes from the diploma of origin (R2), the end date from the campaign (R3)."""
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
    from eleves.regles import verifier_volontariat

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
    if boursier is not None and jeune.boursier != boursier:
        jeune.boursier = boursier
        jeune.save(update_fields=["boursier", "modifie_le"])
    return inscription


@transaction.atomic
def modifier_inscription(*, inscription: Inscription, version: int, donnees: dict) -> Inscription:
    """Edit a parcours; refuses a stale version (concurrent edit) and keeps MEF and end date computed."""
    verrou = _verrouiller(inscription, version)
    boursier = donnees.pop("boursier", None)
    for champ, valeur in donnees.items():
        setattr(verrou, champ, valeur)
    verrou.date_fin_prevue = regles.date_limite(verrou, verrou.date_entree)
    verrou.full_clean(exclude=["mef", "date_fin_prevue"])
    verrou.version += 1
    verrou.save()
    if boursier is not None and verrou.jeune.boursier != boursier:
        verrou.jeune.boursier = boursier
        verrou.jeune.save(update_fields=["boursier", "modifie_le"])
    return verrou


@transaction.atomic
def enregistrer_action(*, inscription: Inscription, action: Action) -> Action:
    """Add or edit an action of the parcours; never after the parcours' limit (R3, in Action.clean)."""
    verrou = _verrouiller(inscription)
    action.inscription = verrou
    action.full_clean()
    action.save()
    _incrementer_version(verrou)
    return action


@transaction.atomic
def enregistrer_creneau(*, creneau) -> list[str]:
    """Save a timetable slot; returns the warnings of R7 (slots falling on school or public holidays)."""
    creneau.full_clean()
    creneau.save()
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
    under a row lock on the parcours, so that two simultaneous adds cannot both pass."""
    verrou = _verrouiller(inscription)
    pfmp.inscription = verrou
    pfmp.full_clean()
    _verifier_plafond(verrou, pfmp)
    pfmp.save()
    _incrementer_version(verrou)
    return pfmp


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
    for p in pfmps:
        if p.date_debut <= jour <= p.date_fin:
            return p
    return None


@transaction.atomic
def enregistrer_presences(*, inscription: Inscription, lignes: list[dict], user) -> int:
    """Attendance of a week in one go. Each line: date, periode, statut ("" clears), motif. Half-days inside a
    PFMP are tied to it (R8). Nothing is saved if one line is wrong."""
    verrou = _verrouiller(inscription)
    pfmps = list(verrou.pfmps.all())
    limite = regles.fin_reelle(verrou)
    erreurs = []
    for ligne in lignes:
        if not ligne["statut"]:
            continue
        if ligne["date"] < verrou.date_entree or ligne["date"] > limite:
            erreurs.append(f"{ligne['date']:%d/%m/%Y} : hors des dates du parcours.")
        if ligne["statut"] == Presence.Statut.ABSENT_JUSTIFIE and not ligne.get("motif"):
            erreurs.append(f"{ligne['date']:%d/%m/%Y} : indiquez le motif de l'absence justifiée.")
    if erreurs:
        raise ValidationError(erreurs)
    existantes = {(p.date, p.periode): p for p in verrou.presences.filter(date__in={li["date"] for li in lignes})}
    n = 0
    for ligne in lignes:
        cle = (ligne["date"], ligne["periode"])
        actuelle = existantes.get(cle)
        if not ligne["statut"]:
            if actuelle:
                actuelle.delete()
            continue
        pfmp = pfmp_du_jour(pfmps, ligne["date"])
        valeurs = {
            "statut": ligne["statut"],
            "motif": ligne.get("motif", "") if ligne["statut"] != Presence.Statut.PRESENT else "",
            "pfmp": pfmp,
            "saisi_par": user,
        }
        Presence.objects.update_or_create(
            inscription=verrou, date=ligne["date"], periode=ligne["periode"], defaults=valeurs
        )
        n += 1
    return n


@transaction.atomic
def cloturer(*, inscription: Inscription, version: int, date_sortie, motif_sortie: str, situation_sortie: str):
    """R6: the exit needs a date, a «motif de sortie» and a «situation à la sortie». After an early exit the PFMP
    cap is checked against the real end and a breach is flagged (R4)."""
    verrou = _verrouiller(inscription, version)
    verrou.date_sortie = date_sortie
    verrou.motif_sortie = motif_sortie or ""
    verrou.situation_sortie = situation_sortie or ""
    verrou.statut = Inscription.Statut.SORTIE
    verrou.full_clean(exclude=["mef", "date_fin_prevue"])
    verrou.version += 1
    verrou.save()
    signaler_depassements_pfmp(verrou)
    return verrou


def chefs_du_lycee(etablissement_id):
    from avenirpro.models import Affectation, Role, Utilisateur

    ids = (
        Affectation.objects.actives()
        .filter(role=Role.CHEF, etablissement_id=etablissement_id)
        .values("utilisateur_id")
    )
    return Utilisateur.objects.filter(pk__in=ids, is_active=True)


@transaction.atomic
def envoyer_bilan(*, bilan: Bilan, lien: str = "") -> int:
    """The référent sends the written bilan to the chef d'établissement; the sending date is kept."""
    from avenirpro.notifications import notifier

    inscription = bilan.inscription
    bilan.envoye_le = timezone.now()
    bilan.save(update_fields=["envoye_le"])
    return notifier(
        destinataires=chefs_du_lycee(inscription.etablissement_id),
        cle=f"bilan:{bilan.uuid}:{bilan.envoye_le:%Y%m%d%H%M%S}",
        sujet=f"Bilan de parcours de {inscription.jeune}",
        message=f"Le bilan AvenirPro+ de {inscription.jeune} est disponible.",
        lien=lien,
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
        else:
            ajouter(h.history_date, "Inscription", "Inscription dans AvenirPro+")
        precedent = h
    evts.sort(key=lambda e: e["quand"], reverse=True)
    return evts
