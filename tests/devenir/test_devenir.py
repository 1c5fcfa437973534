"""Devenir at 3 and 6 months (issue 19, R14, R15): the sweep's step, the one-time link, the consent at exit."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from avenirpro.models import Notification
from devenir.models import Consentement, LienJeune, PointDevenir
from parcours.balayage import balayer
from tests.devenir.outils import A_3_MOIS, A_6_MOIS, jetons_envoyes, sorti
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db


def _cles_devenir():
    return sorted(Notification.objects.filter(cle__startswith="devenir:").values_list("destinataire_id", "cle"))


def test_le_balayage_cree_un_point_une_notification_et_un_message_par_jeune_et_jalon(cast, taches_apres_commit):
    d_accord = sorti(cast, nom="ACCORD", courriel="accord@exemple.fr", accord=True)
    sans_accord = sorti(cast, nom="SANSACCORD", courriel="refus@exemple.fr", accord=False)
    sans_consentement = sorti(cast, nom="MUET")
    pas_encore = sorti(cast, nom="RECENT", date_sortie=datetime.date(2026, 11, 20))  # its 3 months: 20/02/2027
    with time_machine.travel(A_3_MOIS, tick=False):
        for _ in range(2):  # two sweeps the same day
            with taches_apres_commit():
                balayer(rappels=False)
        assert PointDevenir.objects.filter(jalon_mois=3).count() == 3
        assert not PointDevenir.objects.filter(inscription=pas_encore).exists()
        cles = _cles_devenir()
        # référent and counsellor, once each, for each of the three young people
        assert len(cles) == 6 and len(set(cles)) == 6
        assert {d for d, _ in cles} == {cast.referent_a.pk, cast.conseiller_a.pk}
        # one message, to the only young person who agreed
        assert [m.to for m in mail.outbox if "Où en êtes-vous" in m.subject] == [["accord@exemple.fr"]]
        assert len(jetons_envoyes("accord@exemple.fr")) == 1
        assert LienJeune.objects.filter(usage="devenir").count() == 1
        assert PointDevenir.objects.get(inscription=d_accord).courriel_envoye_le is not None
        assert PointDevenir.objects.get(inscription=sans_accord).courriel_envoye_le is None
        assert PointDevenir.objects.get(inscription=sans_consentement).courriel_envoye_le is None
    # A missed day is caught up; the 6-month point comes three months later, once.
    with time_machine.travel(A_6_MOIS + datetime.timedelta(days=3), tick=False):
        for _ in range(2):
            with taches_apres_commit():
                balayer(rappels=False)
        assert PointDevenir.objects.filter(jalon_mois=6).count() == 3
        assert not PointDevenir.objects.filter(inscription=pas_encore, jalon_mois=6).exists()
        assert len(jetons_envoyes("accord@exemple.fr")) == 2
        assert len(_cles_devenir()) == 6 + 6


def test_les_jalons_suivent_la_campagne_et_une_sortie_ancienne_n_est_pas_relancee(cast, taches_apres_commit):
    cast.campagne.devenir_premier_point_mois = 2
    cast.campagne.devenir_validite_lien_jours = 10
    cast.campagne.save()
    recente = sorti(cast, nom="DEUXMOIS", courriel="a@exemple.fr", accord=True)
    ancienne = sorti(cast, nom="ANCIENNE", date_sortie=datetime.date(2026, 9, 15))
    with time_machine.travel(datetime.datetime(2026, 12, 21, 9, 0, tzinfo=datetime.UTC), tick=False):
        with taches_apres_commit():
            balayer(rappels=False)
    assert list(PointDevenir.objects.values_list("inscription_id", "jalon_mois")) == [(recente.pk, 2)]
    assert not PointDevenir.objects.filter(inscription=ancienne).exists()


def _point_avec_lien(cast, taches_apres_commit, **kwargs):
    i = sorti(cast, nom=kwargs.pop("nom", "ACCORD"), courriel=kwargs.pop("courriel", "j@exemple.fr"), accord=True)
    with taches_apres_commit():
        balayer(rappels=False)
    (jeton,) = jetons_envoyes(i.consentement_devenir.courriel)
    return i, jeton


def test_le_lien_unique_repond_une_fois_et_nourrit_le_dossier(cast, taches_apres_commit, client_de):
    with time_machine.travel(A_3_MOIS, tick=False):
        i, jeton = _point_avec_lien(cast, taches_apres_commit)
        anonyme = Client(REMOTE_ADDR="198.51.100.10")
        url = reverse("devenir:reponse", kwargs={"jeton": jeton})
        page = anonyme.get(url)
        assert page.status_code == 200 and "Où en êtes-vous, Camille" in page.content.decode()
        assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
        # Nothing of the parcours is shown: no name, no lycée, no référent.
        texte = page.content.decode()
        assert "ACCORD" not in texte and cast.lycee_a.nom not in texte and cast.referent_a.email not in texte
        # A date in the future is refused (the link stays usable).
        futur = anonyme.post(url, {"situation": "emploi", "situation_depuis": "2030-01-01", "recontact": "oui"})
        assert futur.status_code == 200 and "futur" in futur.content.decode()
        ok = anonyme.post(url, {"situation": "apprentissage", "situation_depuis": "2026-12-01", "recontact": "non"})
        assert ok.status_code == 200 and "Merci" in ok.content.decode()
        p = PointDevenir.objects.get(inscription=i, jalon_mois=3)
        assert (p.situation, p.situation_depuis, p.recontact, p.source) == (
            "apprentissage",
            datetime.date(2026, 12, 1),
            False,
            "jeune",
        )
        # Reused: 404 for reading and for answering again; the answer stays.
        assert anonyme.get(url).status_code == 404
        assert anonyme.post(url, {"situation": "emploi", "recontact": "oui"}).status_code == 404
        assert PointDevenir.objects.get(pk=p.pk).situation == "apprentissage"
        # The record shows it to the team.
        fiche = client_de(cast.referent_a).get(reverse("devenir:parcours", kwargs={"uuid": i.uuid}))
        assert "En apprentissage" in fiche.content.decode() and "Réponse du jeune" in fiche.content.decode()
        synthese = client_de(cast.referent_a).get(reverse("parcours:detail", kwargs={"uuid": i.uuid}))
        assert "à 3 mois : En apprentissage (depuis le 01/12/2026)" in synthese.content.decode()


def test_liens_faux_expires_reutilises_et_saisis_par_l_equipe_repondent_404_sans_rien_dire(
    cast, taches_apres_commit, client_de
):
    with time_machine.travel(A_3_MOIS, tick=False) as voyage:
        i, jeton = _point_avec_lien(cast, taches_apres_commit)
        autre, jeton_autre = _point_avec_lien(cast, taches_apres_commit, nom="AUTRE", courriel="autre@exemple.fr")
        anonyme = Client(REMOTE_ADDR="198.51.100.11")
        faux = anonyme.get(reverse("devenir:reponse", kwargs={"jeton": jeton[:-2] + "xx"}))
        assert faux.status_code == 404
        # The team records the situation: the young person's link is used.
        client_de(cast.conseiller_a).post(
            reverse("devenir:point", kwargs={"uuid": autre.uuid, "jalon": 3}),
            {"p3-situation": "insertion", "p3-recontact": "oui"},
        )
        assert PointDevenir.objects.get(inscription=autre).source == "equipe"
        saisi = anonyme.get(reverse("devenir:reponse", kwargs={"jeton": jeton_autre}))
        assert saisi.status_code == 404
        # Expired: past the campaign's validity.
        voyage.shift(datetime.timedelta(days=cast.campagne.devenir_validite_lien_jours, hours=1))
        expire = anonyme.get(reverse("devenir:reponse", kwargs={"jeton": jeton}))
        assert expire.status_code == 404
        # The three refusals say the same thing (nothing tells a wrong token from a used or expired one).
        assert faux.content == saisi.content == expire.content


def test_les_liens_publics_sont_limites_par_adresse(cast, taches_apres_commit):
    limite = int(settings.ACCOUNT_RATE_LIMITS["jeton_public"].split("/")[0])
    with time_machine.travel(A_3_MOIS, tick=False):
        _, jeton = _point_avec_lien(cast, taches_apres_commit)
        attaquant = Client(REMOTE_ADDR="203.0.113.9")
        codes = [
            attaquant.get(reverse(nom, kwargs={"jeton": f"faux{n}"})).status_code
            for n in range(limite + 5)
            for nom in ("devenir:reponse",)
        ]
        codes += [attaquant.get(reverse("devenir:espace", kwargs={"jeton": "faux"})).status_code]
        assert codes[:limite] == [404] * limite and set(codes[limite:]) == {429}
        assert attaquant.get(reverse("devenir:reponse", kwargs={"jeton": jeton})).status_code == 429
        assert (
            Client(REMOTE_ADDR="198.51.100.3").get(reverse("devenir:reponse", kwargs={"jeton": jeton})).status_code
            == 200
        )


def test_l_accord_est_recueilli_a_la_sortie(cast, client_de):
    i = InscriptionFactory(
        jeune__etablissement=cast.lycee_a,
        jeune__email="",
        campagne=cast.campagne,
        referent=cast.referent_a,
        statut="en_cours",
    )
    url = reverse("parcours:sortie", kwargs={"uuid": i.uuid})
    base = {
        "version": i.version,
        "date_sortie": "2026-11-20",
        "motif_sortie": "solution_avant_terme",
        "situation_sortie": "insertion",
    }
    client = client_de(cast.chef_a)
    refus = client.post(url, {**base, "accord_devenir": "on"})
    assert refus.status_code == 200 and "adresse électronique du jeune" in refus.content.decode()
    i.refresh_from_db()
    assert i.date_sortie is None and not Consentement.objects.exists()
    assert client.post(url, {**base, "courriel_jeune": "lou@exemple.fr", "accord_devenir": "on"}).status_code == 302
    c = Consentement.objects.get(inscription=i)
    assert (c.courriel, c.accord_devenir, c.accord_liaison, c.recueilli_par) == (
        "lou@exemple.fr",
        True,
        False,
        cast.chef_a,
    )


def test_la_page_devenir_du_parcours_a_un_nombre_de_requetes_borne(cast, client_de, django_assert_max_num_queries):
    i = sorti(cast, courriel="x@exemple.fr", accord=True, liaison=True)
    for jalon in (3, 6):
        PointDevenir.objects.create(inscription=i, jalon_mois=jalon, date_prevue=datetime.date(2027, 1, 20))
    client = client_de(cast.referent_a)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("devenir:parcours", kwargs={"uuid": i.uuid}))
    assert r.status_code == 200 and "Fiche de liaison (PDF)" in r.content.decode()


def test_les_jalons_se_reglent_dans_la_campagne(cast):
    from administration.forms import CampagneForm
    from tests.avenirpro.matrice import _donnees_campagne

    sans = CampagneForm(_donnees_campagne(cast))
    assert sans.is_valid(), sans.errors
    assert (sans.instance.devenir_premier_point_mois, sans.instance.devenir_second_point_mois) == (3, 6)
    regle = CampagneForm(
        _donnees_campagne(
            cast, devenir_premier_point_mois=4, devenir_second_point_mois=9, devenir_validite_lien_jours=15
        )
    )
    assert regle.is_valid() and regle.instance.devenir_second_point_mois == 9
    inverse = CampagneForm(_donnees_campagne(cast, devenir_premier_point_mois=6, devenir_second_point_mois=3))
    assert not inverse.is_valid() and "devenir_second_point_mois" in inverse.errors
