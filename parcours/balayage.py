"""The daily sweep over the database state: deadlines become checks, not scheduled ETA tasks.

A missed day is caught by the next run (thresholds, not exact days), a repeated run changes nothing (every
notification has a unique key, status changes are conditional updates), and two sweeps never run at once
(PostgreSQL advisory lock). The work goes in batches whose query count does not depend on their size:
one annotated query per batch, bulk inserts and bulk updates, no query per parcours.

What it checks (the parameters come from the campaign):
- the four-month limit: J-30, J-15, J-7 → référent and chefs; limit reached without exit → «à clôturer», chefs
  notified every day until the parcours is closed;
- the PFMP cap (R4), for every parcours changed since the last run (early exits included) → PFMP flagged;
- no follow-up point for `jours_sans_point_suivi` days → référent;
- no bilan scheduled 15 days before the end → référent and counsellor;
- identified young people still «à contacter» `jours_sans_contact` days after import → chefs;
- from the rentrée, failed candidates not yet offered a re-enrolment (R9) → chefs, once a week per lycée;
- absences above `seuil_absences_semaine` in a week → référent;
- meeting reminders 48 h before (entretiens service);
- the weekly summary of each lycée → chefs;
- every rule of every parcours (`parcours.verification`, the same checks as `manage.py verifier_regles`) → chefs;
- the devenir points 3 and 6 months after the exit (`devenir.services.balayer_devenir`) → référent, counsellor and,
  where they agreed, the young person (a one-time link).
"""

import dataclasses
import datetime
import functools
import logging
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from avenirpro import cache_ecrans
from avenirpro.models import Affectation, Campagne
from avenirpro.notifications import Avis, notifier_en_masse
from parcours import regles
from parcours.models import PFMP, Inscription, PointSuivi, Presence

logger = logging.getLogger(__name__)

PALIERS_LIMITE = (30, 15, 7)
JOURS_BILAN_AVANT_FIN = 15
TAILLE_LOT = 500
CLE_DERNIER_PASSAGE = "parcours:balayage:dernier_passage"
VERROU = 7_204_001  # pg advisory lock id of the sweep
CHAMPS_PARCOURS = (
    "uuid",
    "date_entree",
    "date_fin_prevue",
    "referent_id",
    "etablissement_id",
    "jeune__nom",
    "jeune__prenoms",
    "campagne__duree_mois",
    "campagne__jours_sans_point_suivi",
    "campagne__seuil_absences_semaine",
)
ABSENCES = (Presence.Statut.ABSENT_JUSTIFIE, Presence.Statut.ABSENT_NON_JUSTIFIE)


@functools.lru_cache(maxsize=1)
def _nom_url_parcours() -> str | None:
    """The URL name of a parcours' page, looked up once (the parcours app names it)."""
    import uuid

    for nom in ("parcours:detail", "parcours:fiche"):
        try:
            reverse(nom, kwargs={"uuid": uuid.uuid4()})
            return nom
        except NoReverseMatch:
            continue
    return None


def _lien(inscription) -> str:
    nom = _nom_url_parcours()
    return reverse(nom, kwargs={"uuid": inscription.uuid}) if nom else ""


def _verrouiller() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as c:
        c.execute("SELECT pg_try_advisory_lock(%s)", [VERROU])
        return bool(c.fetchone()[0])


def _deverrouiller() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT pg_advisory_unlock(%s)", [VERROU])


def chefs_par_lycee() -> dict[int, list[int]]:
    """Active CHEF affectations of each lycée, in one query."""
    chefs = defaultdict(list)
    for uid, eid in (
        Affectation.objects.actives()
        .chefs()
        .filter(utilisateur__is_active=True, etablissement__isnull=False)
        .values_list("utilisateur_id", "etablissement_id")
        .order_by("utilisateur_id")
    ):
        chefs[eid].append(uid)
    return chefs


# --- PFMP cap (R4) --------------------------------------------------------------------------------------------


def depassement_pfmp(inscription) -> bool:
    """True when the periods in a company exceed two thirds of the parcours (R4), measured to the real end after an
    early exit, else to the planned end. The rule is `parcours.regles`; it reads `inscription.pfmps.all()`, which
    the sweep prefetches, so this costs no query."""
    fin = inscription.date_sortie or inscription.date_fin_prevue
    return regles.jours_pfmp(inscription, jusqu_au=fin) > regles.plafond_pfmp(inscription, fin=fin)


# --- The sweep ------------------------------------------------------------------------------------------------


def balayer(*, aujourdhui: datetime.date | None = None, taille_lot: int = TAILLE_LOT, rappels: bool = True) -> dict:
    """Run the whole sweep once; returns counts per kind of check (the notifications created, the rows changed)."""
    aujourdhui = aujourdhui or timezone.localdate()
    if not _verrouiller():
        logger.warning("Balayage déjà en cours : ce passage ne fait rien.")
        return {"deja_en_cours": 1}
    try:
        try:
            depuis = cache.get(CLE_DERNIER_PASSAGE)
        except Exception:  # no cache table: re-check everything, which is safe
            depuis = None
        debut = timezone.now()
        chefs = chefs_par_lycee()
        comptes = Counter()
        comptes.update(balayer_parcours(aujourdhui=aujourdhui, chefs=chefs, taille_lot=taille_lot))
        comptes.update(verifier_pfmp(depuis=depuis, chefs=chefs, taille_lot=taille_lot))
        comptes.update(signaler_non_contactes(aujourdhui=aujourdhui, chefs=chefs))
        comptes.update(rappeler_reinscriptions(aujourdhui=aujourdhui, chefs=chefs))
        comptes.update(resume_hebdomadaire(aujourdhui=aujourdhui, chefs=chefs))
        # Steps registered by the apps above (devenir at 3 and 6 months after the exit: one point per milestone).
        from parcours.extensions import ETAPES_BALAYAGE

        for etape in ETAPES_BALAYAGE:
            comptes.update(etape(aujourdhui=aujourdhui))
        # Safety net behind the services: every rule over every parcours, findings to the chefs once a day.
        from parcours.verification import notifier_chefs

        comptes.update(notifier_chefs(aujourdhui=aujourdhui, chefs=chefs))
        if rappels:
            comptes["rappels_reunions"] += rappels_reunions()
        try:
            cache.set(CLE_DERNIER_PASSAGE, debut, None)
        except Exception:
            logger.warning("Date du dernier balayage non enregistrée.", exc_info=True)
        return dict(comptes)
    finally:
        _deverrouiller()


def parcours_actifs():
    return Inscription.objects.filter(date_sortie__isnull=True).exclude(statut=Inscription.Statut.SORTIE)


MOTIF_A_CLOTURER = "Durée de quatre mois atteinte : passé « à clôturer » par le balayage quotidien"


def _lots(qs, taille_lot):
    dernier = 0
    while True:
        lot = list(qs.filter(pk__gt=dernier).order_by("pk")[:taille_lot])
        if not lot:
            return
        yield lot
        dernier = lot[-1].pk


@dataclasses.dataclass(frozen=True)
class Jour:
    """What every alert of a parcours needs besides the parcours: the day, its week and the chefs of each lycée."""

    aujourdhui: datetime.date
    chefs: dict[int, list[int]]

    @property
    def lundi(self) -> datetime.date:
        return self.aujourdhui - datetime.timedelta(days=self.aujourdhui.weekday())

    @property
    def lundi_prec(self) -> datetime.date:
        return self.lundi - datetime.timedelta(days=7)


def _jeune(i) -> str:
    return f"{i.jeune.prenoms} {i.jeune.nom}"


def _suivi_en_cours(i, jour: Jour) -> bool:
    """The follow-up alerts (point, bilan, absences) only concern a parcours «en cours» that has started."""
    return i.statut == Inscription.Statut.EN_COURS and jour.aujourdhui >= i.date_entree


def alerte_limite(i, jour: Jour, comptes: Counter) -> list[Avis]:
    """The four-month limit: J-30, J-15, J-7 → référent and chefs, once per threshold; the limit reached without
    exit → the chefs every day until the parcours is closed (the status change is the sweep's, see `a_cloturer`).
    A missed day is caught by the next run: thresholds, not exact days."""
    jeune, lien, fin = _jeune(i), _lien(i), i.date_fin_prevue
    restants = (fin - jour.aujourdhui).days
    chefs = jour.chefs.get(i.etablissement_id, [])
    if restants <= 0:
        comptes["a_cloturer"] += 1
        return [
            Avis(
                chef,
                f"parcours-a-cloturer:{i.uuid}:{jour.aujourdhui.isoformat()}",
                f"Parcours à clôturer : {jeune}",
                f"Le parcours de {jeune} a atteint sa date limite le {fin:%d/%m/%Y} sans date de sortie. "
                "Enregistrez la date, le motif de sortie et la situation à la sortie.",
                lien,
                i.jeune_id,
            )
            for chef in chefs
        ]
    palier = next((p for p in sorted(PALIERS_LIMITE) if restants <= p), None)
    if palier is None:
        return []
    comptes[f"limite_J{palier}"] += 1
    return [
        Avis(
            u,
            f"parcours-limite-J{palier}:{i.uuid}",
            f"Fin de parcours dans {restants} jour(s) : {jeune}",
            f"Le parcours de {jeune} se termine au plus tard le {fin:%d/%m/%Y} "
            f"(durée maximale de {i.campagne.duree_mois} mois). Préparez le bilan et la sortie.",
            lien,
            i.jeune_id,
        )
        for u in [i.referent_id, *chefs]
    ]


def alerte_sans_point_suivi(i, jour: Jour, comptes: Counter) -> list[Avis]:
    """No follow-up point for `jours_sans_point_suivi` days → référent (again every N days while none is recorded)."""
    if not _suivi_en_cours(i, jour):
        return []
    reference = max(filter(None, [i.dernier_point, i.date_entree]))
    ecart = (jour.aujourdhui - reference).days
    n = i.campagne.jours_sans_point_suivi
    if not n or ecart < n:
        return []
    comptes["sans_point_suivi"] += 1
    jeune = _jeune(i)
    return [
        Avis(
            i.referent_id,
            f"sans-point-suivi:{i.uuid}:{reference.isoformat()}:{ecart // n}",
            f"Aucun point de suivi depuis {ecart} jours : {jeune}",
            f"Dernier point de suivi : {i.dernier_point:%d/%m/%Y}."
            if i.dernier_point
            else f"Aucun point de suivi depuis l'entrée le {i.date_entree:%d/%m/%Y}.",
            _lien(i),
            i.jeune_id,
        )
    ]


def alerte_bilan_non_planifie(i, jour: Jour, comptes: Counter) -> list[Avis]:
    """No bilan scheduled `JOURS_BILAN_AVANT_FIN` days before the end → référent and counsellor."""
    if not _suivi_en_cours(i, jour):
        return []
    fin = i.date_fin_prevue
    restants = (fin - jour.aujourdhui).days
    bilan = getattr(i, "bilan", None)
    if not (0 < restants <= JOURS_BILAN_AVANT_FIN and (bilan is None or bilan.date_entretien is None)):
        return []
    comptes["bilan_non_planifie"] += 1
    jeune, lien = _jeune(i), _lien(i)
    return [
        Avis(
            u,
            f"bilan-non-planifie:{i.uuid}",
            f"Entretien de bilan à planifier : {jeune}",
            f"Le parcours de {jeune} se termine le {fin:%d/%m/%Y} et l'entretien de bilan "
            "(référent, conseiller, jeune) n'est pas encore planifié.",
            lien,
            i.jeune_id,
        )
        for u in (i.referent_id, i.conseiller_id)
    ]


def alerte_absences(i, jour: Jour, comptes: Counter) -> list[Avis]:
    """Absences above the campaign's `seuil_absences_semaine` this week and last week → référent, once a week."""
    if not _suivi_en_cours(i, jour):
        return []
    seuil = i.campagne.seuil_absences_semaine
    avis = []
    for debut_semaine, nombre in ((jour.lundi, i.absences_semaine), (jour.lundi_prec, i.absences_semaine_prec)):
        if nombre > seuil:
            annee, semaine, _ = debut_semaine.isocalendar()
            avis.append(
                Avis(
                    i.referent_id,
                    f"absences:{i.uuid}:{annee}-S{semaine:02d}",
                    f"{nombre} demi-journées d'absence dans la semaine : {_jeune(i)}",
                    f"Semaine du {debut_semaine:%d/%m/%Y} : {nombre} demi-journées d'absence (seuil : {seuil}).",
                    _lien(i),
                    i.jeune_id,
                )
            )
            comptes["absences"] += 1
    return avis


# The alerts of one active parcours, in this order; each reads only the annotated row of `parcours_a_balayer`.
ALERTES_PARCOURS = (alerte_limite, alerte_sans_point_suivi, alerte_bilan_non_planifie, alerte_absences)


def parcours_a_balayer(jour: Jour):
    """The active parcours with what the alerts read, annotated in one query per batch (no query per parcours)."""

    def absences(du, au):
        return Coalesce(
            Subquery(
                Presence.objects.filter(inscription=OuterRef("pk"), statut__in=ABSENCES, date__gte=du, date__lte=au)
                .values("inscription")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        parcours_actifs()
        .select_related("campagne", "jeune", "bilan")
        .only(*CHAMPS_PARCOURS, "statut", "conseiller_id", "bilan__date_entretien")
        .annotate(
            dernier_point=Subquery(
                PointSuivi.objects.filter(inscription=OuterRef("pk")).order_by("-date").values("date")[:1]
            ),
            absences_semaine=absences(jour.lundi, jour.aujourdhui),
            absences_semaine_prec=absences(jour.lundi_prec, jour.lundi - datetime.timedelta(days=1)),
        )
    )


def _passer_a_cloturer(lot, a_cloturer: list[int]) -> int:
    """Conditional update «à clôturer» of the parcours past their limit (in the caller's transaction), with history."""
    ids = list(
        Inscription.objects.select_for_update()
        .filter(pk__in=a_cloturer, date_sortie__isnull=True)
        .exclude(statut__in=[Inscription.Statut.A_CLOTURER, Inscription.Statut.SORTIE])
        .values_list("pk", flat=True)
    )
    # «à clôturer» is still open: no visibility fact changes (ADR 0019).
    n = Inscription.objects.filter(pk__in=ids).update_sans_changer_les_faits(
        statut=Inscription.Statut.A_CLOTURER, version=F("version") + 1, modifie_le=timezone.now()
    )
    # The change of status is in the parcours' history like any other (a bulk update has no signal).
    Inscription.history.bulk_history_create(
        list(Inscription.objects.filter(pk__in=ids)),
        update=True,
        default_change_reason=MOTIF_A_CLOTURER,
    )
    cles = set(a_cloturer)
    cache_ecrans.perimer({i.etablissement_id for i in lot if i.pk in cles})
    return n


def balayer_parcours(
    *, aujourdhui: datetime.date, chefs: dict[int, list[int]], taille_lot: int = TAILLE_LOT
) -> Counter:
    """Every alert of `ALERTES_PARCOURS` over the active parcours, batch by batch; the parcours past their limit
    become «à clôturer»."""
    jour = Jour(aujourdhui=aujourdhui, chefs=chefs)
    comptes = Counter()
    for lot in _lots(parcours_a_balayer(jour), taille_lot):
        avis: list[Avis] = []
        for i in lot:
            for alerte in ALERTES_PARCOURS:
                avis.extend(alerte(i, jour, comptes))
        a_cloturer = [
            i.pk
            for i in lot
            if (i.date_fin_prevue - aujourdhui).days <= 0 and i.statut != Inscription.Statut.A_CLOTURER
        ]
        with transaction.atomic():
            if a_cloturer:
                comptes["passes_a_cloturer"] += _passer_a_cloturer(lot, a_cloturer)
            comptes["notifications"] += notifier_en_masse(avis)
        comptes["parcours"] += len(lot)
        comptes["lots"] += 1
    return comptes


def verifier_pfmp(*, depuis: datetime.datetime | None, chefs: dict[int, list[int]], taille_lot: int = TAILLE_LOT):
    """R4 re-checked for the parcours changed since the last run (exits included) that have periods in a company;
    those over the cap get their PFMP flagged and the référent and chefs notified once."""
    qs = Inscription.objects.filter(Exists(PFMP.objects.filter(inscription=OuterRef("pk"))))
    if depuis is not None:
        qs = qs.filter(
            Q(modifie_le__gte=depuis)
            | Exists(PFMP.history.filter(inscription_id=OuterRef("pk"), history_date__gte=depuis))
        )
    qs = (
        qs.select_related("campagne", "jeune", "etablissement")
        .only(*CHAMPS_PARCOURS, "date_sortie", "campagne__unite_pfmp", "etablissement__departement")
        .prefetch_related(
            Prefetch("pfmps", PFMP.objects.only("inscription_id", "date_debut", "date_fin").order_by("pk"))
        )
    )
    comptes = Counter()
    for lot in _lots(qs, taille_lot):
        depasses = [i for i in lot if depassement_pfmp(i)]
        avis = []
        for i in depasses:
            jeune = f"{i.jeune.prenoms} {i.jeune.nom}"
            for u in [i.referent_id, *chefs.get(i.etablissement_id, [])]:
                avis.append(
                    Avis(
                        u,
                        f"pfmp-depassement:{i.uuid}",
                        f"Plafond des PFMP dépassé : {jeune}",
                        f"Les périodes en entreprise de {jeune} dépassent les deux tiers de la durée du parcours"
                        + (f" (sortie le {i.date_sortie:%d/%m/%Y})." if i.date_sortie else "."),
                        _lien(i),
                        i.jeune_id,
                    )
                )
        with transaction.atomic():
            if depasses:
                comptes["pfmp_signalees"] += PFMP.objects.filter(
                    inscription__in=[i.pk for i in depasses], depassement_signale=False
                ).update(depassement_signale=True)
                cache_ecrans.perimer({i.etablissement_id for i in depasses})
            comptes["notifications"] += notifier_en_masse(avis)
        comptes["pfmp_verifiees"] += len(lot)
        comptes["pfmp_depassements"] += len(depasses)
    return comptes


def signaler_non_contactes(*, aujourdhui: datetime.date, chefs: dict[int, list[int]]) -> Counter:
    """Young people still «à contacter» N days after their import: one notification per lycée and week → chefs."""
    from eleves.models import Reperage

    annee, semaine, _ = aujourdhui.isocalendar()
    maintenant = timezone.now()
    # One condition per campaign (a handful), so the import date is compared with each campaign's setting.
    delais = Q(pk__in=[])
    for pk, jours in Campagne.objects.values_list("pk", "jours_sans_contact"):
        delais |= Q(campagne_id=pk, importe_le__lte=maintenant - datetime.timedelta(days=jours))
    lignes = (
        Reperage.objects.filter(delais, statut_contact=Reperage.StatutContact.A_CONTACTER)
        .values(
            "jeune__etablissement_id",
            "jeune__etablissement__uuid",
            "campagne__session",
            "campagne__jours_sans_contact",
        )
        .annotate(n=Count("pk"))
        .order_by("jeune__etablissement_id")
    )
    try:
        lien = reverse("eleves:liste")
    except NoReverseMatch:
        lien = ""
    avis = []
    comptes = Counter()
    for ligne in lignes:
        for chef in chefs.get(ligne["jeune__etablissement_id"], []):
            avis.append(
                Avis(
                    chef,
                    f"non-contactes:{ligne['jeune__etablissement__uuid']}:{ligne['campagne__session']}:"
                    f"{annee}-S{semaine:02d}",
                    f"{ligne['n']} jeune(s) repéré(s) non contacté(s)",
                    f"{ligne['n']} jeune(s) repéré(s) à la session {ligne['campagne__session']} n'ont toujours pas "
                    f"été contactés {ligne['campagne__jours_sans_contact']} jours après l'import.",
                    lien,
                )
            )
        comptes["non_contactes"] += ligne["n"]
    comptes["notifications"] += notifier_en_masse(avis)
    return comptes


def rappeler_reinscriptions(*, aujourdhui: datetime.date, chefs: dict[int, list[int]]) -> Counter:
    """R9 at the rentrée: failed candidates («ajourné», «absent») still without a re-enrolment offer. From the
    campaign's rentrée to the end of its four months, one notification per lycée and ISO week → chefs (a repeated
    run the same week creates nothing)."""
    from eleves.models import Reperage
    from eleves.regles import reperages_en_attente_d_offre

    annee, semaine, _ = aujourdhui.isocalendar()
    campagnes = [
        c.pk
        for c in Campagne.objects.filter(date_rentree__lte=aujourdhui)
        if aujourdhui <= regles.date_limite(c, c.date_rentree)
    ]
    lignes = (
        reperages_en_attente_d_offre(Reperage.objects.filter(campagne_id__in=campagnes))
        .values("jeune__etablissement_id", "jeune__etablissement__uuid", "campagne__session")
        .annotate(n=Count("pk"))
        .order_by("jeune__etablissement_id", "campagne__session")
    )
    try:
        lien = reverse("eleves:liste") + "?reinscription=a_proposer"
    except NoReverseMatch:
        lien = ""
    avis = []
    comptes = Counter()
    for ligne in lignes:
        for chef in chefs.get(ligne["jeune__etablissement_id"], []):
            avis.append(
                Avis(
                    chef,
                    f"reinscription:{ligne['jeune__etablissement__uuid']}:{ligne['campagne__session']}:"
                    f"{annee}-S{semaine:02d}",
                    f"{ligne['n']} candidat(s) ajourné(s) ou absent(s) sans proposition de réinscription",
                    f"{ligne['n']} candidat(s) ajourné(s) ou absent(s) à la session {ligne['campagne__session']} "
                    "n'ont pas encore reçu la proposition de réinscription pour repréparer leur diplôme "
                    "(redoublement ou MOREA), prioritaire sur AvenirPro+ : contactez-les et enregistrez leur réponse.",
                    lien,
                )
            )
        comptes["reinscriptions_a_proposer"] += ligne["n"]
    comptes["notifications"] += notifier_en_masse(avis)
    return comptes


def resume_hebdomadaire(*, aujourdhui: datetime.date, chefs: dict[int, list[int]]) -> Counter:
    """Once per ISO week (a missed Monday is caught the next day): each chef gets the figures of their lycée."""
    annee, semaine, _ = aujourdhui.isocalendar()
    dans_30 = aujourdhui + datetime.timedelta(days=30)
    lundi = aujourdhui - datetime.timedelta(days=aujourdhui.weekday())
    actifs = ~Q(statut=Inscription.Statut.SORTIE) & Q(date_sortie__isnull=True)
    lignes = (
        Inscription.objects.filter(etablissement_id__in=list(chefs))
        .values("etablissement_id", "etablissement__uuid", "etablissement__nom")
        .annotate(
            en_cours=Count("pk", filter=actifs & Q(statut=Inscription.Statut.EN_COURS)),
            en_preparation=Count("pk", filter=actifs & Q(statut=Inscription.Statut.EN_PREPARATION)),
            a_cloturer=Count("pk", filter=actifs & Q(statut=Inscription.Statut.A_CLOTURER)),
            fin_30=Count("pk", filter=actifs & Q(date_fin_prevue__gte=aujourdhui, date_fin_prevue__lte=dans_30)),
            sorties=Count("pk", filter=Q(date_sortie__gte=lundi - datetime.timedelta(days=7), date_sortie__lt=lundi)),
        )
        .order_by("etablissement_id")
    )
    try:
        lien = reverse("tableaux:chef")
    except NoReverseMatch:
        lien = ""
    avis = []
    for ligne in lignes:
        message = (
            f"{ligne['etablissement__nom']}, semaine {semaine} :\n"
            f"- parcours en cours : {ligne['en_cours']}\n"
            f"- parcours en préparation : {ligne['en_preparation']}\n"
            f"- parcours à clôturer : {ligne['a_cloturer']}\n"
            f"- fins de parcours dans les 30 jours : {ligne['fin_30']}\n"
            f"- sorties la semaine passée : {ligne['sorties']}"
        )
        for chef in chefs.get(ligne["etablissement_id"], []):
            avis.append(
                Avis(
                    chef,
                    f"resume-hebdo:{ligne['etablissement__uuid']}:{annee}-S{semaine:02d}",
                    f"Résumé de la semaine {semaine} – {ligne['etablissement__nom']}",
                    message,
                    lien,
                )
            )
    return Counter(resumes_hebdo=notifier_en_masse(avis))


def rappels_reunions() -> int:
    """Meeting reminders 48 h before, sent by the entretiens service (guarded: absent until it is merged)."""
    try:
        from entretiens.services import envoyer_rappels_reunions
    except ImportError:
        return 0
    return envoyer_rappels_reunions()
