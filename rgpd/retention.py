"""Personal data retention and the rights of the young people (RGPD; docs/scorecard.md).

- `appliquer_retention()` (Celery beat, daily): the file of a young person with no activity for
  `RETENTION_INACTIVITE_APRES_SORTIE_JOURS` days after their exit is anonymised, after a notice sent
  `RETENTION_PREAVIS_JOURS` days before to the direction of their lycée; access-log and history rows older than
  `RETENTION_JOURNAUX_JOURS` are purged.
- `donnees_du_jeune()` / `archive_du_jeune()`: everything held on one young person (right of access, art. 15),
  found by walking every model linked to `Jeune`, so that a model added later is exported without change here.
- `anonymiser_jeune()`: names, contacts and INE replaced, free text and sensitive fields emptied, history rows of
  the young person purged (erasure, art. 17; also what the retention sweep does).
- `purger_exports()` (Celery beat, hourly): the files of background exports are deleted, with their record, once
  `EXPORT_CONSERVATION_HEURES` old (ADR 0008); the access log keeps who downloaded them.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import secrets
import zipfile

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from eleves.models import NOM_ANONYME  # noqa: F401 (the name of an erased young person, read here by tests)

logger = logging.getLogger(__name__)


PRENOMS_ANONYME = "Anonyme"
# Sensitive sections (ADR 0003): exported only to a user allowed to read them. A model may declare its own
# `CHAMPS_SENSIBLES`; these are the ones known today.
CHAMPS_SENSIBLES = {"entretiens.entretien": {"sante", "famille", "justice", "finances"}}
MASQUE_SENSIBLE = (
    "[section sensible non communiquée dans cet export : à demander au conseiller de mission locale, "
    "au psychologue de l'Éducation nationale ou au coordonnateur MLDS qui a conduit l'entretien]"
)
# Fields of Jeune kept as they are: they carry no identity and feed the statistics.
CHAMPS_JEUNE_CONSERVES = {"id", "uuid", "sexe", "boursier", "etablissement", "cree_le", "modifie_le"}


# --- Walking the data held on a young person ---------------------------------------------------------------


def _est_historique(model) -> bool:
    return model.__name__.startswith("Historical") or model._meta.app_label == "simple_history"


def _liens_descendants(model):
    """Reverse one-to-many / one-to-one relations from `model` to models that belong to it (not history)."""
    for rel in model._meta.related_objects:
        if rel.many_to_many or _est_historique(rel.related_model):
            continue
        if rel.on_delete in (models.SET_NULL, models.DO_NOTHING) and not rel.one_to_one:
            # e.g. Presence.pfmp: the row belongs to its inscription, not to the placement
            continue
        if rel.field.null and not rel.one_to_one:
            # e.g. PieceSignee.pfmp (optional): the row is reached through its required link (jeune, inscription)
            continue
        yield rel


def enregistrements_du_jeune(jeune) -> list[tuple[type[models.Model], list[models.Model]]]:
    """[(model, rows)] for Jeune and every model reached from it through reverse foreign keys (depth first)."""
    from eleves.models import Jeune

    resultat: list[tuple[type[models.Model], list[models.Model]]] = [(Jeune, [jeune])]
    vus = {Jeune}

    def descendre(model, pks):
        for rel in _liens_descendants(model):
            cible = rel.related_model
            if cible in vus or not pks:
                continue
            vus.add(cible)
            references = [
                f.name
                for f in cible._meta.concrete_fields
                if isinstance(f, models.ForeignKey) and not _appartient_au_jeune(f.related_model)
            ]
            lignes = list(
                cible._default_manager.filter(**{f"{rel.field.name}__in": pks})
                .select_related(*references)
                .order_by("pk")
            )
            resultat.append((cible, lignes))
            descendre(cible, [ligne.pk for ligne in lignes])

    descendre(Jeune, [jeune.pk])
    return resultat


def _appartient_au_jeune(model, _chemin: frozenset = frozenset()) -> bool:
    """Models found by walking from Jeune (their rows are exported on their own) vs reference data."""
    from eleves.models import Jeune

    if model is Jeune:
        return True
    if model in _chemin:
        return False
    return any(
        _appartient_au_jeune(f.related_model, _chemin | {model})
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.remote_field.on_delete not in (models.SET_NULL, models.DO_NOTHING)
    )


def _valeur(obj, field):
    valeur = getattr(obj, field.attname)
    if isinstance(field, models.ForeignKey) and valeur is not None:
        if _appartient_au_jeune(field.related_model):
            # A record of the same file: named by its identifier (its content is exported in its own section).
            return f"{field.related_model._meta.verbose_name} n° {valeur}"
        return str(getattr(obj, field.name))  # reference data, fetched with select_related
    if field.choices and valeur not in (None, ""):
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(valeur, datetime.datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, datetime.date):
        return valeur.strftime("%d/%m/%Y")
    return valeur


def champs_sensibles(model) -> set[str]:
    return set(getattr(model, "CHAMPS_SENSIBLES", ())) | CHAMPS_SENSIBLES.get(model._meta.label_lower, set())


def donnees_du_jeune(jeune, user=None) -> dict:
    """Everything held on `jeune`, by kind of record, with French field names; plus the modification history.

    Sensitive sections are included only when `user` may read them (`peut_voir_sections_sensibles`); otherwise a
    non-empty section is replaced by a note saying who holds it.
    """
    from avenirpro.acces import peut_voir_sections_sensibles

    voit_sensible = user is None or peut_voir_sections_sensibles(user, jeune)
    sections = {}
    for model, lignes in enregistrements_du_jeune(jeune):
        champs = [f for f in model._meta.concrete_fields]
        masques = set() if voit_sensible else champs_sensibles(model)
        sections[str(model._meta.verbose_name_plural)] = [
            {
                str(f.verbose_name): (
                    MASQUE_SENSIBLE if f.name in masques and getattr(obj, f.attname) else _valeur(obj, f)
                )
                for f in champs
            }
            for obj in lignes
        ]
    historique = []
    for model, lignes in enregistrements_du_jeune(jeune):
        manager = getattr(model, "history", None)
        if manager is None or not lignes:
            continue
        historiques = manager.model.objects.filter(id__in=[o.pk for o in lignes]).select_related("history_user")
        for h in historiques.order_by("history_date"):
            historique.append(
                {
                    "objet": str(model._meta.verbose_name),
                    "date": timezone.localtime(h.history_date).strftime("%d/%m/%Y %H:%M"),
                    "type": {"+": "création", "~": "modification", "-": "suppression"}.get(h.history_type, ""),
                    "par": str(h.history_user) if h.history_user_id else "",
                }
            )
    return {
        "jeune": str(jeune),
        "uuid": str(jeune.uuid),
        "produit_le": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        "modeles": sorted(sections),
        "donnees": sections,
        "historique": historique,
    }


def archive_du_jeune(jeune, user=None) -> bytes:
    """A ZIP: donnees.json (machine-readable) and LISEZMOI.txt (what it holds, in French)."""
    donnees = donnees_du_jeune(jeune, user)
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("donnees.json", json.dumps(donnees, ensure_ascii=False, indent=2, default=str))
        lignes = [
            "AvenirPro+ – données personnelles détenues (droit d'accès, article 15 du RGPD)",
            f"Jeune : {donnees['jeune']}",
            f"Produit le : {donnees['produit_le']}",
            "",
            "Catégories de données :",
            *(f"- {nom} : {len(donnees['donnees'][nom])} enregistrement(s)" for nom in donnees["modeles"]),
            f"- historique des modifications : {len(donnees['historique'])} entrée(s)",
        ]
        # The signed copies themselves (documents app, ADR 0023), next to their records in donnees.json.
        from documents.services import fichiers_du_jeune

        pieces = fichiers_du_jeune(jeune)
        for nom, contenu in pieces:
            z.writestr(nom, contenu)
        if pieces:
            lignes.append(f"- pièces signées (fichiers du dossier pieces-signees/) : {len(pieces)} fichier(s)")
        z.writestr("LISEZMOI.txt", "\n".join(lignes) + "\n")
    return tampon.getvalue()


# --- Anonymisation ------------------------------------------------------------------------------------------


def _ine_anonyme() -> str:
    from eleves.models import Jeune

    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    while True:
        ine = "Z" + "".join(secrets.choice(alphabet) for _ in range(10))
        if not Jeune.objects.filter(ine=ine).exists():
            return ine


def _champs_a_vider(model) -> dict:
    """Free text, contact details and sensitive sections: every optional text field without choices."""
    vides = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.CharField | models.TextField) and f.blank and not f.choices:
            vides[f.name] = ""
        elif isinstance(f, models.JSONField) and f.blank:
            vides[f.name] = f.get_default()
    return vides


@transaction.atomic
def anonymiser_jeune(jeune) -> dict:
    """Replace the identity of `jeune`, empty free text in every record linked to it, purge its history rows.

    Uses `QuerySet.update()` so that no new history row keeps a copy; returns counts per step.
    """
    from documents.services import supprimer_pieces_du_jeune
    from eleves.models import Jeune

    # The signed copies go first, row and file (the file once the erasure is committed; ADR 0023).
    pieces = supprimer_pieces_du_jeune(jeune)
    enregistrements = enregistrements_du_jeune(jeune)
    comptes = {"champs_vides": 0, "historique_purge": 0, "journal_anonymise": 0, "pieces_supprimees": pieces}
    identite = {
        "nom": NOM_ANONYME,
        "prenoms": PRENOMS_ANONYME,
        "ine": _ine_anonyme(),
        # Month-truncated birth date: enough for age statistics, not for identification.
        "date_naissance": jeune.date_naissance.replace(day=1),
    }
    for f in Jeune._meta.concrete_fields:
        if f.name in CHAMPS_JEUNE_CONSERVES or f.name in identite:
            continue
        if isinstance(f, models.CharField | models.TextField) and f.blank:
            identite[f.name] = ""
    Jeune.objects.filter(pk=jeune.pk).update(**identite)
    for model, lignes in enregistrements[1:]:
        vides = _champs_a_vider(model)
        if vides and lignes:
            comptes["champs_vides"] += model._default_manager.filter(pk__in=[o.pk for o in lignes]).update(**vides)
    for model, lignes in enregistrements:
        manager = getattr(model, "history", None)
        if manager is not None and lignes:
            n, _ = manager.model.objects.filter(id__in=[o.pk for o in lignes]).delete()
            comptes["historique_purge"] += n
    from avenirpro.journal import purge_autorisee
    from avenirpro.models import JournalAcces, Notification

    with purge_autorisee():
        comptes["journal_anonymise"] = JournalAcces.objects.filter(objet_uuid=jeune.uuid).update(
            objet="Jeune anonymisé"
        )
    # The notifications about them lose their identity and their link to the record.
    Notification.objects.filter(models.Q(lien__contains=str(jeune.uuid)) | models.Q(jeune=jeune)).update(
        sujet="Dossier anonymisé", message="", lien="", jeune=None
    )
    jeune.refresh_from_db()
    return comptes


# --- The retention sweep ------------------------------------------------------------------------------------


def _jeunes_avec_derniere_activite():
    """Young people not anonymised, with no open enrolment, annotated with the date of their last activity."""
    from eleves.models import Jeune
    from parcours.models import Inscription

    debut = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    sortie = Max("inscriptions__date_sortie")
    return (
        Jeune.objects.exclude(nom=NOM_ANONYME)
        .exclude(pk__in=Inscription.objects.filter(date_sortie__isnull=True).values("jeune_id"))
        .annotate(
            derniere_activite=Greatest(
                "modifie_le",
                Coalesce(Max("reperages__importe_le"), debut),
                Coalesce(Max("contacts__date"), debut),
                Coalesce(Max("entretiens__date"), debut),
                Coalesce(Max("inscriptions__modifie_le"), debut),
            ),
            date_sortie=sortie,
        )
    )


def echeance(jeune) -> datetime.date:
    """The day the file is anonymised: last activity (or exit, if later) + the retention period."""
    derniere = timezone.localdate(jeune.derniere_activite)
    if jeune.date_sortie and jeune.date_sortie > derniere:
        derniere = jeune.date_sortie
    return derniere + datetime.timedelta(days=settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS)


def _cle_preavis(jeune, jour: datetime.date) -> str:
    return f"retention:{jeune.uuid}:{jour.isoformat()}"


def _direction(jeune):
    from avenirpro.models import Utilisateur

    return list(Utilisateur.objects.chefs_de(jeune.etablissement_id))


def appliquer_retention(maintenant: datetime.datetime | None = None, *, simulation: bool = False) -> dict:
    """Notices, anonymisations and purges due at `maintenant`; a re-run the same day changes nothing more.

    With `simulation=True` nothing is written: the counts say what would be done.
    """
    from avenirpro.models import JournalAcces, Notification
    from avenirpro.notifications import notifier

    maintenant = maintenant or timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    preavis = datetime.timedelta(days=settings.RETENTION_PREAVIS_JOURS)
    comptes = {"preavis": 0, "anonymises": 0, "journal_purge": 0, "historique_purge": 0}

    seuil_preavis = maintenant - datetime.timedelta(
        days=settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS - settings.RETENTION_PREAVIS_JOURS
    )
    candidats = _jeunes_avec_derniere_activite().filter(
        Q(derniere_activite__lte=seuil_preavis)
        & (Q(date_sortie__isnull=True) | Q(date_sortie__lte=aujourd_hui - (maintenant - seuil_preavis)))
    )
    for jeune in candidats.select_related("etablissement"):
        jour = echeance(jeune)
        if aujourd_hui < jour - preavis:
            continue
        cle = _cle_preavis(jeune, jour)
        direction = _direction(jeune)
        avis = Notification.objects.filter(cle=cle).order_by("cree_le").first()
        if avis is None and direction:
            if not simulation:
                notifier(
                    destinataires=direction,
                    cle=cle,
                    sujet="Dossier bientôt anonymisé (durée de conservation atteinte)",
                    message=(
                        f"Le dossier de {jeune} sera anonymisé à partir du {jour:%d/%m/%Y}, sans activité depuis "
                        f"{settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS} jours après sa sortie. Toute nouvelle "
                        "activité sur le dossier repousse cette échéance."
                    ),
                    lien=reverse("rgpd:export", kwargs={"jeune_uuid": jeune.uuid}),
                )
            comptes["preavis"] += 1
            continue
        # Anonymised only once due AND after a full notice period (even if the sweep did not run for a while).
        preavis_ecoule = avis is None or timezone.localdate(avis.cree_le) + preavis <= aujourd_hui
        if aujourd_hui >= jour and preavis_ecoule:
            if not simulation:
                anonymiser_jeune(jeune)
            comptes["anonymises"] += 1

    limite = maintenant - datetime.timedelta(days=settings.RETENTION_JOURNAUX_JOURS)
    journal = JournalAcces.objects.filter(date__lt=limite)
    if simulation:
        comptes["journal_purge"] = journal.count()
    else:
        from avenirpro.journal import purge_autorisee

        with purge_autorisee():
            comptes["journal_purge"] = journal.delete()[0]
    for model in modeles_historiques():
        vieux = model.objects.filter(history_date__lt=limite)
        comptes["historique_purge"] += vieux.count() if simulation else vieux.delete()[0]
    if any(comptes.values()):
        logger.info("Rétention RGPD : %s", comptes)
    return comptes


def purger_exports(maintenant: datetime.datetime | None = None) -> int:
    """Delete the background exports (file and record) older than EXPORT_CONSERVATION_HEURES; returns how many."""
    from avenirpro.models import ExportFichier

    supprimes = ExportFichier.objects.a_purger(maintenant).delete()[0]
    if supprimes:
        logger.info("Exports en arrière-plan purgés : %s", supprimes)
    return supprimes


def modeles_historiques() -> list[type[models.Model]]:
    """Every django-simple-history table of the project (Historical*)."""
    return [m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_date")]


def retard_de_retention(maintenant: datetime.datetime | None = None) -> dict:
    """For the scorecard: records kept beyond their retention period (all should be 0 after a sweep)."""
    from avenirpro.models import JournalAcces

    maintenant = maintenant or timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    limite = maintenant - datetime.timedelta(days=settings.RETENTION_JOURNAUX_JOURS)
    # A file is overdue once it is due and a full notice period has passed on top.
    marge = datetime.timedelta(days=settings.RETENTION_PREAVIS_JOURS)
    dossiers = sum(1 for j in _jeunes_avec_derniere_activite() if echeance(j) + marge < aujourd_hui)
    journaux = JournalAcces.objects.filter(date__lt=limite).count() + sum(
        m.objects.filter(history_date__lt=limite).count() for m in modeles_historiques()
    )
    return {"dossiers_en_retard": dossiers, "lignes_journal_en_retard": journaux}
