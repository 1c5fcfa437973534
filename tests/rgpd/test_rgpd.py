"""RGPD: retention sweep, access export, erasure (docs/scorecard.md)."""

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import JournalAcces, Notification, TacheEnAttente
from eleves.models import Jeune
from rgpd.retention import (
    NOM_ANONYME,
    anonymiser_jeune,
    appliquer_retention,
    donnees_du_jeune,
    enregistrements_du_jeune,
    retard_de_retention,
)
from tests.fiabilite.scorecard import consigner
from tests.matrice import construire_scenario

CANARI = "CANARI-RGPD-7Q"


def _jeune_sorti(s, *, sortie: datetime.date):
    """The lycée A young person of the scenario, exited on `sortie`, with canaries in personal fields."""
    jeune = s.jeune_a
    Jeune.objects.filter(pk=jeune.pk).update(
        nom=f"{CANARI}-NOM", telephone="0601020304", email="canari@exemple.fr", adresse=f"{CANARI} rue"
    )
    s.entretien_a.sante = f"{CANARI} santé"
    s.entretien_a.save()
    s.contact_a.note = f"{CANARI} note"
    s.contact_a.save()
    ins = s.inscription_a
    type(ins).objects.filter(pk=ins.pk).update(
        statut="sortie", date_sortie=sortie, motif_sortie="fin_parcours", situation_sortie="emploi"
    )
    jeune.refresh_from_db()
    return jeune


def _figer_activite(jour: datetime.date):
    """Move every activity date of every record to `jour` (the scenario creates them 'now')."""
    moment = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(12)))
    from eleves.models import Contact, Reperage
    from entretiens.models import Entretien
    from parcours.models import Inscription

    Jeune.objects.update(modifie_le=moment)
    Reperage.objects.update(importe_le=moment)
    Contact.objects.update(date=moment)
    Entretien.objects.update(date=moment)
    Inscription.objects.update(modifie_le=moment)


def _chaines_en_base(canari: str) -> int:
    """Occurrences of `canari` in every text column of every table of the project (history included)."""
    from django.db import models

    n = 0
    for model in apps.get_models():
        champs = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        if not champs:
            continue
        from django.db.models import Q

        q = Q()
        for c in champs:
            q |= Q(**{f"{c}__contains": canari})
        n += model._default_manager.filter(q).count()
    return n


@pytest.mark.django_db
def test_retention_preavis_puis_anonymisation(cast, settings):
    s = construire_scenario(cast)
    sortie = datetime.date(2027, 1, 15)
    jeune = _jeune_sorti(s, sortie=sortie)
    _figer_activite(datetime.date(2026, 12, 1))
    echeance = sortie + datetime.timedelta(days=settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS)
    avis = echeance - datetime.timedelta(days=settings.RETENTION_PREAVIS_JOURS)

    def a(jour):
        return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(3, 15)))

    # The day before the notice: nothing.
    assert appliquer_retention(a(avis - datetime.timedelta(days=1)))["preavis"] == 0
    # Notice day: the chef of lycée A (only) is told, once.
    assert appliquer_retention(a(avis))["preavis"] == 1
    assert appliquer_retention(a(avis))["preavis"] == 0
    notes = Notification.objects.filter(cle__startswith=f"retention:{jeune.uuid}")
    assert {n.destinataire for n in notes} == {cast.chef_a}
    assert "sera anonymisé à partir du" in notes.get().message
    # Dry run on the due date says what it would do, writes nothing.
    with time_machine.travel(a(avis), tick=False):
        Notification.objects.update(cree_le=timezone.now())
    assert appliquer_retention(a(echeance), simulation=True)["anonymises"] == 1
    jeune.refresh_from_db()
    assert jeune.nom.startswith(CANARI)
    # Threshold − 1 day: kept; threshold: anonymised.
    assert appliquer_retention(a(echeance - datetime.timedelta(days=1)))["anonymises"] == 0
    comptes = appliquer_retention(a(echeance))
    assert comptes["anonymises"] == 1
    jeune.refresh_from_db()
    assert jeune.nom == NOM_ANONYME and jeune.telephone == "" and jeune.email == "" and jeune.adresse == ""
    assert jeune.ine.startswith("Z") and len(jeune.ine) == 11
    assert jeune.date_naissance.day == 1
    s.entretien_a.refresh_from_db()
    assert s.entretien_a.sante == ""
    assert jeune.history.count() == 0
    assert type(s.entretien_a).history.filter(id=s.entretien_a.pk).count() == 0
    assert _chaines_en_base(CANARI) == 0
    # Re-run: a no-op. Lycée B's young person (no exit) is untouched.
    assert appliquer_retention(a(echeance))["anonymises"] == 0
    s.jeune_b.refresh_from_db()
    assert s.jeune_b.nom == "JEUNE-B"
    retard = retard_de_retention(a(echeance))
    assert retard["dossiers_en_retard"] == 0
    consigner(
        "retention",
        {
            "preavis_envoyes": 1,
            "anonymises": comptes["anonymises"],
            "canaris_restants": _chaines_en_base(CANARI),
            "dossiers_en_retard": retard["dossiers_en_retard"],
        },
    )


@pytest.mark.django_db
def test_une_activite_repousse_l_echeance(cast, settings):
    s = construire_scenario(cast)
    sortie = datetime.date(2027, 1, 15)
    jeune = _jeune_sorti(s, sortie=sortie)
    _figer_activite(datetime.date(2026, 12, 1))
    echeance = sortie + datetime.timedelta(days=settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS)
    jour_avis = timezone.make_aware(datetime.datetime.combine(echeance - datetime.timedelta(days=30), datetime.time()))
    assert appliquer_retention(jour_avis)["preavis"] == 1
    # New activity: a contact logged a week later moves the due date by two years.
    from tests.eleves.factories import ContactFactory

    ContactFactory(jeune=jeune, campagne=cast.campagne, date=jour_avis + datetime.timedelta(days=7))
    apres = timezone.make_aware(datetime.datetime.combine(echeance + datetime.timedelta(days=5), datetime.time()))
    comptes = appliquer_retention(apres)
    assert (comptes["preavis"], comptes["anonymises"]) == (0, 0)
    jeune.refresh_from_db()
    assert jeune.nom != NOM_ANONYME


@pytest.mark.django_db
def test_pas_d_anonymisation_sans_preavis_complet(cast, settings):
    """If the sweep did not run for months, an overdue file still gets its 30 days' notice first."""
    s = construire_scenario(cast)
    jeune = _jeune_sorti(s, sortie=datetime.date(2027, 1, 15))
    _figer_activite(datetime.date(2026, 12, 1))
    tard = timezone.make_aware(datetime.datetime(2030, 6, 1, 3, 15))
    assert appliquer_retention(tard)["preavis"] == 1
    jeune.refresh_from_db()
    assert jeune.nom != NOM_ANONYME
    Notification.objects.update(cree_le=tard)
    assert appliquer_retention(tard + datetime.timedelta(days=29))["anonymises"] == 0
    assert appliquer_retention(tard + datetime.timedelta(days=30))["anonymises"] == 1


@pytest.mark.django_db
def test_purge_des_journaux_et_historiques(cast, settings):
    s = construire_scenario(cast)
    maintenant = timezone.now()
    vieux = maintenant - datetime.timedelta(days=settings.RETENTION_JOURNAUX_JOURS + 1)
    recent = maintenant - datetime.timedelta(days=settings.RETENTION_JOURNAUX_JOURS - 1)
    JournalAcces.objects.create(utilisateur=cast.chef_a, action="lecture", objet="x", date=vieux)
    JournalAcces.objects.create(utilisateur=cast.chef_a, action="lecture", objet="y", date=recent)
    Jeune.history.filter(id=s.jeune_a.pk).update(history_date=vieux)
    Jeune.history.filter(id=s.jeune_b.pk).update(history_date=recent)
    comptes = appliquer_retention(maintenant)
    assert comptes["journal_purge"] == 1
    assert comptes["historique_purge"] >= 1
    assert list(JournalAcces.objects.values_list("objet", flat=True)) == ["y"]
    assert Jeune.history.filter(id=s.jeune_a.pk).count() == 0
    assert Jeune.history.filter(id=s.jeune_b.pk).count() >= 1
    restantes = retard_de_retention(maintenant)["lignes_journal_en_retard"]
    consigner(
        "retention_journaux",
        {"lignes_purgees": comptes["journal_purge"] + comptes["historique_purge"], "lignes_restantes": restantes},
    )
    assert restantes == 0


def test_tache_de_retention_planifiee(settings):
    taches = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "avenirpro.tasks.appliquer_retention" in taches
    from avenirpro.celery import app

    assert "avenirpro.tasks.appliquer_retention" in app.tasks


# --- Right of access ----------------------------------------------------------------------------------------


def _modeles_lies_au_jeune():
    """Introspection: every non-history model with a foreign-key path to Jeune (direct or via its parent)."""
    from django.db import models

    lies = {Jeune}
    change = True
    while change:
        change = False
        for m in apps.get_models():
            if m in lies or m.__name__.startswith("Historical"):
                continue
            for f in m._meta.concrete_fields:
                if (
                    isinstance(f, models.ForeignKey)
                    and f.related_model in lies
                    and f.remote_field.on_delete not in (models.SET_NULL,)
                ):
                    lies.add(m)
                    change = True
                    break
    return lies


@pytest.mark.django_db
def test_export_couvre_tous_les_modeles_lies(cast, client_de):
    s = construire_scenario(cast)
    donnees = donnees_du_jeune(s.jeune_a)
    exportes = {m for m, _ in enregistrements_du_jeune(s.jeune_a)}
    attendus = _modeles_lies_au_jeune()
    manquants = attendus - exportes
    assert not manquants, f"Modèles liés au jeune absents de l'export : {manquants}"
    r = client_de(cast.chef_a).get(reverse("rgpd:export", kwargs={"jeune_uuid": s.jeune_a.uuid}))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    assert r["Content-Disposition"] == f'attachment; filename="donnees-jeune-{s.jeune_a.uuid}.zip"'
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert set(z.namelist()) == {"donnees.json", "LISEZMOI.txt"}
    contenu = json.loads(z.read("donnees.json"))
    assert contenu["uuid"] == str(s.jeune_a.uuid)
    assert "JEUNE-A" in z.read("donnees.json").decode()
    assert "JEUNE-B" not in z.read("donnees.json").decode()
    assert len(contenu["donnees"]) == len(donnees["donnees"])
    j = JournalAcces.objects.get()
    assert (j.utilisateur, j.action, j.objet_uuid) == (cast.chef_a, "export", s.jeune_a.uuid)
    consigner(
        "rgpd_export",
        {"modeles_attendus": len(attendus), "modeles_exportes": len(attendus & exportes), "journalise": True},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("nom_url", ["rgpd:export", "rgpd:effacer"])
def test_droits_rgpd_reserves_au_chef(cast, client, nom_url):
    s = construire_scenario(cast)
    url = reverse(nom_url, kwargs={"jeune_uuid": s.jeune_a.uuid})
    for membre, attendu in [
        ("chef_b", 404),
        ("conseiller_b", 404),
        ("pilotage", 404),
        ("admin", 404),
        ("referent_a", 404),
        ("conseiller_a", 404),
        ("psy_a", 404),
    ]:
        client.force_login(getattr(cast, membre))
        assert client.get(url).status_code == attendu, membre
        assert client.post(url, {"confirmation": "on"}).status_code == attendu, membre
    s.jeune_a.refresh_from_db()
    assert s.jeune_a.nom == "JEUNE-A"
    assert not JournalAcces.objects.exists()
    client.logout()
    assert client.get(url).status_code == 302


# --- Right to erasure ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_effacement_avec_confirmation(cast, client_de, django_capture_on_commit_callbacks):
    s = construire_scenario(cast)
    jeune = _jeune_sorti(s, sortie=datetime.date(2027, 1, 15))
    client = client_de(cast.chef_a)
    url = reverse("rgpd:effacer", kwargs={"jeune_uuid": jeune.uuid})
    r = client.get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Action définitive" in html and "Effacer définitivement" in html
    # Without the box ticked: nothing changes, a clear message next to the field.
    r = client.post(url, {})
    assert r.status_code == 200
    assert "Cochez la case pour confirmer l&#x27;effacement." in r.content.decode()
    jeune.refresh_from_db()
    assert jeune.nom.startswith(CANARI)
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        r = client.post(url, {"confirmation": "on"})
    assert r.status_code == 302
    assert len(rappels) == 1  # the follow-up task is sent after commit
    jeune.refresh_from_db()
    assert jeune.nom == NOM_ANONYME
    assert _chaines_en_base(CANARI) == 0
    assert JournalAcces.objects.filter(action="effacement", objet_uuid=jeune.uuid, utilisateur=cast.chef_a).exists()
    assert not TacheEnAttente.objects.exists()
    consigner("rgpd_effacement", {"canaris_restants": _chaines_en_base(CANARI), "journalise": True})


@pytest.mark.django_db
def test_anonymiser_est_idempotent(cast):
    s = construire_scenario(cast)
    anonymiser_jeune(s.jeune_a)
    ine = Jeune.objects.get(pk=s.jeune_a.pk).ine
    anonymiser_jeune(Jeune.objects.get(pk=s.jeune_a.pk))
    assert Jeune.objects.get(pk=s.jeune_a.pk).nom == NOM_ANONYME
    assert Jeune.objects.get(pk=s.jeune_a.pk).ine != ine  # a fresh random INE each time, never the real one


# --- Every export and full-file read is in the access log (picks up the other areas' URLs from the matrix) ----


def _cas_journalises():
    from tests.fiabilite.pages import cas_de_la_matrice

    return [
        c
        for c in cas_de_la_matrice()
        if c.methode == "get"
        and c.autorises
        and (c.action == "export" or c.type in ("export", "pdf") or (c.type == "jeune" and c.url.endswith(":detail")))
    ]


@pytest.mark.django_db
def test_exports_et_lectures_de_dossier_journalises(cast, client):
    s = construire_scenario(cast)
    cas = _cas_journalises()
    assert any(c.url == "rgpd:export" for c in cas)
    manquants = []
    for c in cas:
        membre = sorted(c.autorises)[0]
        client.force_login(getattr(s, membre))
        avant = JournalAcces.objects.count()
        r = client.get(reverse(c.url, kwargs=c.kwargs(s)))
        assert r.status_code in c.succes, (c.url, r.status_code)
        if JournalAcces.objects.count() <= avant:
            manquants.append(c.url)
        else:
            entree = JournalAcces.objects.order_by("-pk").first()
            assert entree.utilisateur == getattr(s, membre)
    consigner("journal_acces", {"urls_verifiees": len(cas), "non_journalisees": len(manquants)})
    assert not manquants, manquants


def test_pages_donnees_personnelles_et_accessibilite(client, db, settings):
    html = client.get(reverse("donnees_personnelles")).content.decode()
    # The notice states the retention periods the settings enforce.
    assert settings.RETENTION_INACTIVITE_APRES_SORTIE_JOURS == 730 and "deux ans sans activité" in html
    assert settings.RETENTION_PREAVIS_JOURS == 30 and "trente jours avant" in html
    assert settings.RETENTION_JOURNAUX_JOURS == 365 and "historique des modifications : un an" in html
    for mot in ("Responsable du traitement", "Base légale", "effacement", "CNIL", "journal des accès"):
        assert mot in html
    html = client.get(reverse("accessibilite")).content.decode()
    assert "Accessibilité : partiellement conforme" in html
    assert "Contenus non accessibles" in html and "Défenseur des droits" in html


@pytest.mark.django_db
def test_export_sans_sections_sensibles_pour_le_chef(cast, client_de):
    """ADR 0003: the chef's export does not reveal health/family/justice/finances; the counsellor's probe does."""
    from rgpd.retention import MASQUE_SENSIBLE

    s = construire_scenario(cast)
    s.entretien_a.sante = f"{CANARI} santé"
    s.entretien_a.save()
    r = client_de(cast.chef_a).get(reverse("rgpd:export", kwargs={"jeune_uuid": s.jeune_a.uuid}))
    contenu = zipfile.ZipFile(io.BytesIO(r.content)).read("donnees.json").decode()
    assert CANARI not in contenu
    assert json.dumps(MASQUE_SENSIBLE, ensure_ascii=False) in contenu
    # Positive control: the same export for a user entitled to the section carries it.
    assert CANARI in json.dumps(donnees_du_jeune(s.jeune_a, cast.conseiller_a), ensure_ascii=False, default=str)
