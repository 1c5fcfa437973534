"""Devenir after the exit and the young person's own links (issue 19, rules R14 to R17, ADR 0024)."""

import datetime
import logging
import uuid
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import Campagne
from avenirpro.notifications import Avis, notifier_en_masse
from devenir.models import Consentement, LienJeune, PointDevenir, Situation, empreinte
from parcours import regles
from parcours.models import Inscription

logger = logging.getLogger(__name__)


def jalons(campagne) -> list[int]:
    """The campaign's milestones in months after the exit (3 and 6 by default), increasing, without zero."""
    return sorted({m for m in (campagne.devenir_premier_point_mois, campagne.devenir_second_point_mois) if m})


def url_absolue(chemin: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{chemin}"


# --- Consent at the exit ----------------------------------------------------------------------------------------


def enregistrer_consentement(*, inscription, user, courriel: str, accord_devenir: bool, accord_liaison: bool):
    """R14: what the young person agreed to at the exit. No e-mail address, no contact."""
    courriel = (courriel or "").strip()
    if accord_devenir and not courriel:
        raise ValidationError({"courriel_jeune": "Indiquez l'adresse électronique du jeune pour le recontacter."})
    c, _ = Consentement.objects.update_or_create(
        inscription=inscription,
        defaults={
            "courriel": courriel,
            "accord_devenir": bool(accord_devenir),
            "accord_liaison": bool(accord_liaison),
            "recueilli_le": timezone.now(),
            "recueilli_par": user,
        },
    )
    return c


def consentement(inscription) -> Consentement | None:
    return Consentement.objects.filter(inscription=inscription).first()


# --- Links --------------------------------------------------------------------------------------------------------


def fin_espace(inscription) -> datetime.datetime:
    """R16: the personal page lives as long as the parcours plus the devenir window: the end of the parcours (the
    exit, else its limit), plus the last milestone, plus the validity of its reply link — end of that day, Paris."""
    fin = inscription.date_sortie or inscription.date_limite
    dernier = max(jalons(inscription.campagne), default=0)
    jour = regles.ajouter_mois(fin, dernier) + datetime.timedelta(
        days=inscription.campagne.devenir_validite_lien_jours
    )
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.max))


def lien_valide(jeton: str, usage: str) -> LienJeune | None:
    """The live link of this token, or None: unknown, revoked, expired, already used (R15). Constant work for a
    wrong token: one indexed lookup of its fingerprint."""
    if not jeton or len(jeton) > 100:
        return None
    lien = (
        LienJeune.objects.select_related("inscription__campagne", "inscription__jeune", "point")
        .filter(empreinte=empreinte(jeton), usage=usage, revoque_le__isnull=True, utilise_le__isnull=True)
        .first()
    )
    if lien is None:
        return None
    maintenant = timezone.now()
    limite = lien.expire_le if usage == LienJeune.Usage.DEVENIR else fin_espace(lien.inscription)
    if limite is None or maintenant > limite:
        return None
    if usage == LienJeune.Usage.DEVENIR and lien.point.repondu_le is not None:
        return None
    return lien


@transaction.atomic
def creer_espace(*, inscription, user) -> str:
    """A new personal page link (the previous one is revoked); returns the token, shown once."""
    maintenant = timezone.now()
    LienJeune.objects.filter(inscription=inscription, usage=LienJeune.Usage.ESPACE, revoque_le__isnull=True).update(
        revoque_le=maintenant
    )
    jeton, emp = LienJeune.nouveau_jeton()
    LienJeune.objects.create(inscription=inscription, usage=LienJeune.Usage.ESPACE, empreinte=emp, cree_par=user)
    return jeton


def revoquer_espace(*, inscription) -> int:
    return LienJeune.objects.filter(
        inscription=inscription, usage=LienJeune.Usage.ESPACE, revoque_le__isnull=True
    ).update(revoque_le=timezone.now())


def espace_actif(inscription) -> LienJeune | None:
    lien = LienJeune.objects.filter(
        inscription=inscription, usage=LienJeune.Usage.ESPACE, revoque_le__isnull=True
    ).first()
    if lien is not None and timezone.now() > fin_espace(inscription):
        return None
    return lien


# --- Answers ----------------------------------------------------------------------------------------------------


def _valider_reponse(point, situation, depuis):
    if situation not in Situation.values:
        raise ValidationError({"situation": "Choisissez la situation actuelle."})
    if depuis is not None:
        if depuis > timezone.localdate():
            raise ValidationError({"situation_depuis": "La date ne peut pas être dans le futur."})
        if depuis < point.inscription.date_entree:
            raise ValidationError({"situation_depuis": "La date ne peut précéder l'entrée dans le parcours."})


def repondre(*, jeton: str, situation: str, depuis, recontact: bool) -> PointDevenir:
    """R15: the young person answers through the one-time link; the link is used (a second answer is refused)."""
    with transaction.atomic():
        lien = lien_valide(jeton, LienJeune.Usage.DEVENIR)
        if lien is None:
            raise LienJeune.DoesNotExist
        lien = LienJeune.objects.select_for_update().get(pk=lien.pk)
        point = PointDevenir.objects.select_for_update().select_related("inscription").get(pk=lien.point_id)
        if lien.utilise_le is not None or point.repondu_le is not None:
            raise LienJeune.DoesNotExist
        _valider_reponse(point, situation, depuis)
        maintenant = timezone.now()
        point.situation, point.situation_depuis, point.recontact = situation, depuis, recontact
        point.source, point.repondu_le = PointDevenir.Source.JEUNE, maintenant
        point.save()
        lien.utilise_le = maintenant
        lien.save(update_fields=["utilise_le"])
    return point


@transaction.atomic
def saisir_point(*, point: PointDevenir, user, situation: str, depuis, recontact) -> PointDevenir:
    """The référent or the counsellor records the situation (the young person answered by phone, or not at all).
    The young person's link of that milestone is then used: their later answer would not overwrite it."""
    point = PointDevenir.objects.select_for_update().select_related("inscription").get(pk=point.pk)
    _valider_reponse(point, situation, depuis)
    maintenant = timezone.now()
    point.situation, point.situation_depuis, point.recontact = situation, depuis, recontact
    point.source, point.repondu_le, point.saisi_par = PointDevenir.Source.EQUIPE, maintenant, user
    point.save()
    LienJeune.objects.filter(point=point, utilise_le__isnull=True).update(utilise_le=maintenant)
    return point


# --- The sweep's devenir step -------------------------------------------------------------------------------------


def _corps_courriel(inscription, jalon, url, expire_le) -> str:
    return (
        f"Bonjour {inscription.jeune.prenoms},\n\n"
        f"Vous avez quitté le parcours AvenirPro+ du lycée {inscription.etablissement.nom} il y a {jalon} mois. "
        "Votre référent et votre conseiller de la mission locale aimeraient savoir où vous en êtes : "
        "trois questions, une minute, sans compte à créer.\n\n"
        f"{url}\n\n"
        f"Ce lien est personnel, ne sert qu'une fois et expire le {timezone.localtime(expire_le):%d/%m/%Y}.\n"
        "Vous avez accepté ce contact à la sortie du parcours ; sans réponse, personne ne vous relancera par ce "
        "moyen.\n\nL'équipe AvenirPro+\n"
    )


def balayer_devenir(*, aujourdhui: datetime.date) -> Counter:
    """R14, from the daily sweep: each exit reaching a milestone (3 and 6 months, campaign settings) gets one
    «point de devenir»: a notification to the référent and the counsellor and, where the young person agreed and
    gave an e-mail, one one-time link by e-mail. A missed day is caught by the next run within the link's validity
    (older exits are left out); a repeated run creates nothing (one point per parcours and milestone, unique keys).
    A few queries per campaign and milestone, whatever the number of exits."""
    from avenirpro.taches import envoyer
    from avenirpro.tasks import envoyer_courriel_simple

    comptes = Counter()
    for campagne in Campagne.objects.all():
        validite = datetime.timedelta(days=campagne.devenir_validite_lien_jours)
        for jalon in jalons(campagne):
            # Exits whose milestone (exit + N months) is between today minus the validity and today; the month
            # arithmetic is done exactly below, the query only narrows with a margin.
            plus_tot = aujourdhui - validite - datetime.timedelta(days=31 * jalon + 4)
            plus_tard = aujourdhui - datetime.timedelta(days=28 * jalon - 4)
            candidats = (
                Inscription.objects.filter(
                    campagne=campagne,
                    statut=Inscription.Statut.SORTIE,
                    date_sortie__gte=plus_tot,
                    date_sortie__lte=plus_tard,
                )
                .exclude(Exists(PointDevenir.objects.filter(inscription=OuterRef("pk"), jalon_mois=jalon)))
                .select_related("jeune", "etablissement", "consentement_devenir")
                .order_by("pk")
            )
            nouveaux = []
            for i in candidats:
                prevu = regles.ajouter_mois(i.date_sortie, jalon)
                if prevu <= aujourdhui <= prevu + validite:
                    nouveaux.append((i, prevu))
            if not nouveaux:
                continue
            comptes.update(_creer_points(campagne, jalon, nouveaux, envoyer, envoyer_courriel_simple))
    return comptes


def _creer_points(campagne, jalon, nouveaux, envoyer, tache) -> Counter:
    comptes = Counter()
    maintenant = timezone.now()
    with transaction.atomic():
        points = [
            PointDevenir(uuid=uuid.uuid4(), inscription=i, jalon_mois=jalon, date_prevue=prevu, cree_le=maintenant)
            for i, prevu in nouveaux
        ]
        PointDevenir.objects.bulk_create(points, ignore_conflicts=True)
        # Only the rows this run inserted (a concurrent run may have inserted others: they are its own).
        crees = dict(PointDevenir.objects.filter(uuid__in=[p.uuid for p in points]).values_list("uuid", "pk"))
        avis, liens, courriels = [], [], []
        for p, (i, prevu) in zip(points, nouveaux, strict=True):
            if p.uuid not in crees:
                continue
            p.pk = crees[p.uuid]
            jeune = f"{i.jeune.prenoms} {i.jeune.nom}"
            lien = reverse("devenir:parcours", kwargs={"uuid": i.uuid})
            for u in (i.referent_id, i.conseiller_id):
                if u:
                    avis.append(
                        Avis(
                            u,
                            f"devenir:{i.uuid}:{jalon}m",
                            f"Point de devenir à {jalon} mois : {jeune}",
                            f"{jeune} est sorti(e) du parcours le {i.date_sortie:%d/%m/%Y}. Faites le point sur sa "
                            f"situation à {jalon} mois (formation, emploi, insertion…) et enregistrez-la.",
                            lien,
                            i.jeune_id,
                        )
                    )
            c = getattr(i, "consentement_devenir", None)
            if c is not None and c.accord_devenir and c.courriel:
                jeton, emp = LienJeune.nouveau_jeton()
                expire = maintenant + datetime.timedelta(days=campagne.devenir_validite_lien_jours)
                liens.append(
                    LienJeune(inscription=i, usage=LienJeune.Usage.DEVENIR, point=p, empreinte=emp, expire_le=expire)
                )
                url = url_absolue(reverse("devenir:reponse", kwargs={"jeton": jeton}))
                courriels.append((p.pk, c.courriel, _corps_courriel(i, jalon, url, expire)))
            comptes["points_devenir"] += 1
        LienJeune.objects.bulk_create(liens)
        if courriels:
            PointDevenir.objects.filter(pk__in=[pk for pk, _, _ in courriels]).update(courriel_envoye_le=maintenant)
        for _, adresse, corps in courriels:
            envoyer(tache, f"AvenirPro+ – Où en êtes-vous, {jalon} mois après ?", corps, [adresse])
        comptes["devenir_courriels"] += len(courriels)
        comptes["notifications"] += notifier_en_masse(avis)
    return comptes


# --- What a parcours shows ---------------------------------------------------------------------------------------


def points_du_parcours(inscription) -> list[PointDevenir]:
    return list(PointDevenir.objects.filter(inscription=inscription).select_related("saisi_par"))


def derniere_situation(inscription) -> PointDevenir | None:
    return (
        PointDevenir.objects.filter(inscription=inscription, repondu_le__isnull=False).order_by("-jalon_mois").first()
    )
