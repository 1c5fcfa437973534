"""The access log is append-only (issue 13, F5; ADR 0009): no admin deletes or changes a row, and on PostgreSQL a
trigger refuses UPDATE and DELETE to everybody but the retention schedule (`avenirpro.journal.purge_autorisee`)."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from avenirpro.journal import purge_autorisee
from avenirpro.models import JournalAcces
from rgpd.retention import appliquer_retention
from tests.fiabilite.scorecard import consigner

pytestmark = pytest.mark.django_db


def _entree(**kw):
    return JournalAcces.objects.create(action="lecture", objet="Dossier n° 1", **kw)


def _refuse(operation) -> bool:
    try:
        with transaction.atomic():
            operation()
    except DatabaseError as e:
        assert "ajout seul" in str(e)
        return True
    return False


def test_update_et_delete_refuses_par_la_base(cast):
    e = _entree(utilisateur=cast.chef_a)
    operations = {
        "update ORM": lambda: JournalAcces.objects.filter(pk=e.pk).update(objet="effacé"),
        "save": lambda: JournalAcces(pk=e.pk, action="lecture", objet="effacé", date=e.date).save(),
        "delete ORM": lambda: JournalAcces.objects.filter(pk=e.pk).delete(),
        "delete instance": lambda: JournalAcces.objects.get(pk=e.pk).delete(),
        "UPDATE SQL": lambda: connection.cursor().execute("UPDATE avenirpro_journalacces SET objet = 'x'"),
        "DELETE SQL": lambda: connection.cursor().execute("DELETE FROM avenirpro_journalacces"),
        # Deleting an account would blank its rows (SET NULL): refused too — accounts are deactivated instead.
        "suppression du compte": lambda: cast.chef_a.delete(),
    }
    refus = {nom: _refuse(op) for nom, op in operations.items()}
    assert all(refus.values()), refus
    e.refresh_from_db()
    assert e.objet == "Dossier n° 1" and e.utilisateur == cast.chef_a
    consigner("securite_journal_ajout_seul", {"operations_essayees": len(refus), "operations_acceptees": 0})


def test_la_purge_de_retention_passe_et_seulement_elle(cast, settings):
    maintenant = timezone.now()
    vieille = _entree(date=maintenant - datetime.timedelta(days=settings.RETENTION_JOURNAUX_JOURS + 1))
    recente = _entree()
    comptes = appliquer_retention(maintenant)
    assert comptes["journal_purge"] == 1
    assert not JournalAcces.objects.filter(pk=vieille.pk).exists()
    assert JournalAcces.objects.filter(pk=recente.pk).exists()
    # Within the block, yes; after it, in the same transaction, no again.
    with transaction.atomic():
        with purge_autorisee():
            JournalAcces.objects.filter(pk=recente.pk).update(objet="Jeune anonymisé")
        assert _refuse(lambda: JournalAcces.objects.filter(pk=recente.pk).delete())


def test_aucune_suppression_ni_modification_dans_l_admin_technique(cast, client):
    e = _entree(utilisateur=cast.chef_a)
    client.force_login(cast.admin)
    supprimer = reverse("admin:avenirpro_journalacces_delete", args=[e.pk])
    assert client.get(supprimer).status_code == 403
    assert client.post(supprimer, {"post": "yes"}).status_code == 403
    liste = reverse("admin:avenirpro_journalacces_changelist")
    page = client.get(liste)
    assert page.status_code == 200 and "delete_selected" not in page.content.decode()
    client.post(liste, {"action": "delete_selected", "_selected_action": [e.pk], "post": "yes"})
    modifier = reverse("admin:avenirpro_journalacces_change", args=[e.pk])
    client.post(modifier, {"action": "lecture", "objet": "effacé", "nombre": 1})
    assert client.get(reverse("admin:avenirpro_journalacces_add")).status_code == 403
    e.refresh_from_db()
    assert e.objet == "Dossier n° 1"
