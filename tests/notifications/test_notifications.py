"""Notifications: idempotent creation, e-mails (immediate, digest, retries), the list, the bell, preferences."""

import datetime
from smtplib import SMTPException

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import Notification, Role
from avenirpro.notifications import (
    Avis,
    destinataires_du_resume,
    envoyer_courriel,
    envoyer_resume,
    notifier,
    notifier_en_masse,
)
from avenirpro.tasks import envoyer_courriels
from tests.avenirpro.factories import EtablissementFactory, UtilisateurFactory, avec_role
from tests.taches import courriel_capricieux

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return avec_role(Role.REFERENT, etablissement=EtablissementFactory(), email="ref@test.fr", first_name="Ada")


def test_notifier_est_idempotent_et_ignore_les_inactifs(user):
    inactif = UtilisateurFactory(is_active=False)
    assert notifier(destinataires=[user, inactif, None], cle="k", sujet="S") == 1
    assert notifier(destinataires=[user], cle="k", sujet="S") == 0
    assert Notification.objects.filter(destinataire=user).count() == 1
    assert not Notification.objects.filter(destinataire=inactif).exists()


def test_notifier_en_masse_compte_les_nouvelles(user):
    autre = UtilisateurFactory()
    avis = [Avis(user.pk, "a", "A"), Avis(user.pk, "a", "A bis"), Avis(autre.pk, "a", "A"), Avis(user.pk, "b", "B")]
    assert notifier_en_masse(avis) == 3
    assert notifier_en_masse(avis) == 0


def test_courriel_immediat_met_le_prefixe_et_n_est_envoye_qu_une_fois(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as rappels:
        notifier(destinataires=[user], cle="k", sujet="Fin de parcours", message="Bientôt.", lien="/parcours/x/")
    assert len(rappels) == 1  # the e-mail task is queued after commit
    n = Notification.objects.get(destinataire=user)
    assert envoyer_courriel(n.pk) is True
    assert envoyer_courriel(n.pk) is False
    assert len(mail.outbox) == 1
    m = mail.outbox[0]
    assert m.subject == "AvenirPro+ – Fin de parcours"
    assert m.to == ["ref@test.fr"]
    assert "Bonjour" in m.body and "Bientôt." in m.body
    assert "Pour en savoir plus : http://127.0.0.1:8000/parcours/x/" in m.body
    n.refresh_from_db()
    assert n.courriel_envoye_le is not None


def test_resume_quotidien_pas_de_courriel_immediat(user, django_capture_on_commit_callbacks):
    user.notifications_en_resume = True
    user.save()
    with django_capture_on_commit_callbacks() as rappels:
        notifier(destinataires=[user], cle="a", sujet="Premier")
        notifier(destinataires=[user], cle="b", sujet="Second")
    assert rappels == []
    assert destinataires_du_resume() == [user.pk]
    assert envoyer_resume(user.pk) == 2
    assert envoyer_resume(user.pk) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("AvenirPro+ – Résumé du ")
    assert "Premier" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert destinataires_du_resume() == []


def test_un_courriel_immediat_perdu_est_rattrape_par_le_resume(user):
    notifier(destinataires=[user], cle="a", sujet="Perdu")
    assert destinataires_du_resume() == []
    Notification.objects.update(cree_le=timezone.now() - datetime.timedelta(hours=2))
    assert destinataires_du_resume() == [user.pk]


def test_erreur_smtp_rien_n_est_marque_et_la_tache_reessaie(user, settings):
    notifier(destinataires=[user], cle="k", sujet="S")
    n = Notification.objects.get()
    settings.EMAIL_BACKEND = "tests.taches.courriel_capricieux.CourrielCapricieux"
    courriel_capricieux.ETAT["echecs"] = 1
    with pytest.raises(SMTPException):
        envoyer_courriel(n.pk)
    n.refresh_from_db()
    assert n.courriel_envoye_le is None

    # The task retries with backoff (eager here: the retry runs at once) until the send succeeds.
    courriel_capricieux.ETAT["echecs"] = 2
    resultat = envoyer_courriels.apply(args=[[n.pk]])
    assert resultat.successful() and resultat.result == 1
    assert len(mail.outbox) == 1
    assert envoyer_courriels.autoretry_for == (SMTPException, OSError)
    assert envoyer_courriels.retry_backoff is True
    assert envoyer_courriels.acks_late and envoyer_courriels.reject_on_worker_lost


def test_notification_d_un_compte_desactive_non_envoyee(user):
    notifier(destinataires=[user], cle="k", sujet="S")
    user.is_active = False
    user.save()
    assert envoyer_courriel(Notification.objects.get().pk) is False
    assert mail.outbox == []


# --- Screens ---------------------------------------------------------------------------------------------------


def test_cloche_et_liste(client, user):
    autre = UtilisateurFactory()
    notifier(destinataires=[user], cle="a", sujet="Fin de parcours de Léa")
    notifier(destinataires=[user], cle="b", sujet="Déjà lue")
    notifier(destinataires=[autre], cle="c", sujet="Pas pour moi")
    Notification.objects.filter(cle="b").update(lue_le=timezone.now())
    client.force_login(user)
    html = client.get(reverse("notifications:liste")).content.decode()
    assert 'id="notifications-non-lues"' in html and "non lues : </span>1<" in html
    assert "Fin de parcours de Léa" in html and "Déjà lue" in html and "Pas pour moi" not in html
    html = client.get(reverse("notifications:liste") + "?filtre=non_lues").content.decode()
    assert "Fin de parcours de Léa" in html and "Déjà lue" not in html


def test_marquer_lue_et_ouvrir(client, user):
    notifier(destinataires=[user], cle="a", sujet="A", lien="/parcours/")
    notifier(destinataires=[user], cle="b", sujet="B")
    a, b = Notification.objects.get(cle="a"), Notification.objects.get(cle="b")
    client.force_login(user)
    r = client.post(reverse("notifications:marquer_lue", args=[b.uuid]))
    assert r.status_code == 302 and r["Location"] == reverse("notifications:liste")
    r = client.post(reverse("notifications:marquer_lue", args=[a.uuid]), {"ouvrir": "1"})
    assert r["Location"] == "/parcours/"
    assert not Notification.objects.filter(lue_le__isnull=True).exists()


def test_lien_externe_jamais_suivi(client, user):
    notifier(destinataires=[user], cle="a", sujet="A", lien="https://malveillant.example/")
    n = Notification.objects.get()
    client.force_login(user)
    r = client.post(reverse("notifications:marquer_lue", args=[n.uuid]), {"ouvrir": "1", "suivant": "//x.example"})
    assert r["Location"] == reverse("notifications:liste")


def test_notification_d_un_autre_404(client, user):
    autre = UtilisateurFactory()
    notifier(destinataires=[autre], cle="a", sujet="A")
    client.force_login(user)
    r = client.post(reverse("notifications:marquer_lue", args=[Notification.objects.get().uuid]))
    assert r.status_code == 404
    assert Notification.objects.get().lue_le is None


def test_marquer_lue_refuse_get(client, user):
    notifier(destinataires=[user], cle="a", sujet="A")
    client.force_login(user)
    assert client.get(reverse("notifications:marquer_lue", args=[Notification.objects.get().uuid])).status_code == 405


def test_tout_marquer_lu_ne_touche_que_les_miennes(client, user):
    autre = UtilisateurFactory()
    notifier(destinataires=[user, autre], cle="a", sujet="A")
    notifier(destinataires=[user], cle="b", sujet="B")
    client.force_login(user)
    client.post(reverse("notifications:tout_marquer_lu"))
    assert Notification.objects.filter(destinataire=user, lue_le__isnull=True).count() == 0
    assert Notification.objects.filter(destinataire=autre, lue_le__isnull=True).count() == 1


def test_preferences(client, user):
    client.force_login(user)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Un résumé quotidien" in html and "fr-radio" in html
    r = client.post(reverse("notifications:preferences"), {"frequence": "resume"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.notifications_en_resume is True
    r = client.post(reverse("notifications:preferences"), {"frequence": "jamais"})
    assert r.status_code == 200
    assert "Sélectionnez un choix valide" in r.content.decode()
    user.refresh_from_db()
    assert user.notifications_en_resume is True


def test_liste_nombre_de_requetes_constant(client, user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(reverse("notifications:liste"))  # warm-up: site configuration cached or not, the same for both
    comptes = {}
    for n in (1, 50):
        Notification.objects.all().delete()
        notifier_en_masse([Avis(user.pk, f"k{i}", f"Sujet {i}") for i in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("notifications:liste"))
        assert r.status_code == 200
        assert r.content.decode().count('id="notification-') == min(n, 20)
        comptes[n] = len(ctx.captured_queries)
    # session, user, paginator count, site config, affectations (menu), unread count (bell), page rows, session save
    assert comptes[1] == comptes[50] <= 11, comptes


# --- The young person a notification is about: a link to their record, only if the reader may see it ----------


def _dossier(jeune):
    return reverse("eleves:detail", args=[jeune.uuid])


def test_balayage_la_notification_porte_le_jeune_et_la_page_lie_son_dossier(client):
    from django.core.cache import cache

    from parcours.balayage import CLE_DERNIER_PASSAGE, balayer
    from tests.taches.factories import Lycee

    cache.delete(CLE_DERNIER_PASSAGE)
    ly = Lycee()
    i = ly.parcours(fin_dans=15)
    balayer(rappels=False)
    n = Notification.objects.get(destinataire=ly.chef, cle=f"parcours-limite-J15:{i.uuid}")
    assert n.jeune_id == i.jeune_id

    client.force_login(ly.chef)
    page = client.get(reverse("notifications:liste")).content.decode()
    assert f'href="{_dossier(i.jeune)}"' in page
    assert f"Dossier de {i.jeune.prenoms} {i.jeune.nom}" in page
    assert client.get(_dossier(i.jeune)).status_code == 200


def test_jeune_que_le_lecteur_ne_voit_plus_aucun_lien(client):
    from tests.taches.factories import Lycee

    ly = Lycee()
    i = ly.parcours(fin_dans=15)
    notifier(destinataires=[ly.chef], cle="k", sujet="Au sujet du jeune", jeune=i.jeune)
    # The young person changes lycée: the chef no longer sees them (their record would be a 404).
    type(i.jeune).objects.filter(pk=i.jeune_id).update(etablissement=EtablissementFactory())
    client.force_login(ly.chef)
    assert client.get(_dossier(i.jeune)).status_code == 404
    page = client.get(reverse("notifications:liste")).content.decode()
    assert "Au sujet du jeune" in page
    assert _dossier(i.jeune) not in page and "Dossier de" not in page


def test_effacer_le_jeune_garde_la_notification_sans_lien(client):
    from rgpd.retention import anonymiser_jeune
    from tests.eleves.factories import JeuneFactory
    from tests.taches.factories import Lycee

    ly = Lycee()
    i = ly.parcours(fin_dans=15)
    notifier(destinataires=[ly.chef], cle="k", sujet=f"Fin de parcours : {i.jeune.nom}", jeune=i.jeune_id)
    # The RGPD erasure (anonymisation): the notification stays, without identity nor link to the record.
    anonymiser_jeune(i.jeune)
    n = Notification.objects.get(destinataire=ly.chef, cle="k")
    assert n.jeune_id is None and n.sujet == "Dossier anonymisé"
    # A young person deleted outright: the notification is kept too (SET_NULL).
    autre = JeuneFactory(etablissement=ly.lycee)
    notifier(destinataires=[ly.chef], cle="k2", sujet="S", jeune=autre)
    autre.delete()
    assert Notification.objects.get(destinataire=ly.chef, cle="k2").jeune_id is None
    client.force_login(ly.chef)
    assert client.get(reverse("notifications:liste")).status_code == 200


def test_liste_avec_jeunes_nombre_de_requetes_constant(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.taches.factories import Lycee

    ly = Lycee()
    jeunes = [ly.parcours(fin_dans=60).jeune for _ in range(20)]
    client.force_login(ly.chef)
    client.get(reverse("notifications:liste"))  # warm-up
    comptes = {}
    for n in (1, 20):
        Notification.objects.all().delete()
        notifier_en_masse([Avis(ly.chef.pk, f"k{k}", f"Sujet {k}", jeune_id=jeunes[k].pk) for k in range(n)])
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("notifications:liste"))
        assert r.content.decode().count("Dossier de ") == n
        comptes[n] = len(ctx.captured_queries)
    assert comptes[1] == comptes[20], comptes
