"""R9 corrected (memento 2025): EVERY failed candidate («ajourné» or «absent») is first offered a re-enrolment in the
lycée; AvenirPro+ opens only once that offer was declined or does not fit, with the reason. A graduate is never
asked. Service, screens, worklist, dashboard, sweep, history and RGPD export."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from avenirpro.models import Notification
from eleves import regles as regles_eleves
from eleves import services as services_eleves
from eleves.models import Reperage
from parcours import services
from parcours.balayage import rappeler_reinscriptions
from parcours.models import Inscription
from rgpd.retention import donnees_du_jeune
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db

ENTREE = datetime.date(2026, 9, 14)
T = Reperage.Typologie


def _echec(cast, resultat="ajourne", typologie=T.ECHEC_ACCOMPAGNEMENT, **kwargs):
    return ReperageFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a),
        campagne=cast.campagne,
        resultat=resultat,
        typologie=typologie,
        parcoursup="non_candidat",
        **kwargs,
    )


def _offre(cast, r, reponse="refusee", motif="projet"):
    return services_eleves.enregistrer_reinscription(
        auteur=cast.chef_a,
        reperage=r,
        proposee_le=datetime.date(2026, 7, 4),
        canal="rendez_vous",
        reponse=reponse,
        motif=motif,
        precisions="Souhaite travailler",
    )


@pytest.mark.parametrize(
    "resultat,typologie",
    [("ajourne", T.ECHEC_ACCOMPAGNEMENT), ("ajourne", T.ECHEC_REPREPARER), ("absent", T.ECHEC_ACCOMPAGNEMENT)],
)
def test_tout_candidat_en_echec_attend_l_offre_avant_l_inscription(cast, resultat, typologie):
    """The old code asked only «souhaite repréparer»: «accompagnement vers l'emploi» was enrolled without offer."""
    r = _echec(cast, resultat=resultat, typologie=typologie)
    with pytest.raises(ValidationError, match="proposez d'abord une réinscription"):
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)
    _offre(cast, r, reponse="en_attente", motif="")
    with pytest.raises(ValidationError, match="réponse .* est attendue"):
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)
    _offre(cast, r, reponse="acceptee", motif="")
    with pytest.raises(ValidationError, match="acceptée"):
        services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)
    _offre(cast, r, reponse="ne_convient_pas", motif="situation")
    assert services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE).pk


def test_le_refus_sans_motif_est_refuse(cast):
    r = _echec(cast)
    with pytest.raises(ValidationError, match="pourquoi"):
        _offre(cast, r, reponse="refusee", motif="")
    with pytest.raises(ValidationError, match="futur"):
        services_eleves.enregistrer_reinscription(
            auteur=cast.chef_a, reperage=r, proposee_le=datetime.date(2099, 1, 1), reponse="refusee", motif="projet"
        )


def test_un_diplome_n_est_jamais_sollicite(cast, client_de):
    r = ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne, resultat="admis")
    assert not regles_eleves.offre_reinscription_requise(r)
    assert regles_eleves.verifier_offre_reinscription(r) == (True, "")
    assert services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE).pk
    client = client_de(cast.chef_a)
    reponse = client.post(
        reverse("eleves:reinscription", kwargs={"uuid": r.jeune.uuid}),
        {"proposee_le": "2026-07-04", "canal_proposition": "telephone", "reponse": "refusee", "motif_refus": "projet"},
    )
    assert "ne se propose qu&#x27;à un candidat ajourné ou absent" in reponse.content.decode()
    r.refresh_from_db()
    assert r.reinscription_proposee_le is None
    page = client.get(reverse("eleves:detail", kwargs={"uuid": r.jeune.uuid})).content.decode()
    assert "Réinscription (redoublement / MOREA)" not in page


def test_l_ecran_d_inscription_renvoie_vers_l_offre_puis_inscrit(cast, client_de):
    r = _echec(cast)
    client = client_de(cast.chef_a)
    url = reverse("parcours:inscrire", kwargs={"jeune_uuid": r.jeune.uuid})
    page = client.get(url).content.decode()
    lien = reverse("eleves:reinscription", kwargs={"uuid": r.jeune.uuid})
    assert "proposez d&#x27;abord une réinscription" in page and f'href="{lien}?suite={url}"' in page
    reponse = client.post(url, {"date_entree": "14/09/2026", "statut": "en_preparation"})
    assert reponse.status_code == 200 and not Inscription.objects.filter(jeune=r.jeune).exists()
    assert "proposez d&#x27;abord une réinscription" in reponse.content.decode()
    # the offer screen, then back to the enrolment
    sans_motif = {"proposee_le": "2026-07-04", "canal_proposition": "telephone", "reponse": "refusee", "suite": url}
    assert "Indiquez pourquoi" in client.post(lien, sans_motif).content.decode()
    futur = client.post(lien, {**sans_motif, "proposee_le": "2099-01-01", "motif_refus": "projet"})
    assert futur.status_code == 200 and "futur" in futur.content.decode()
    reponse = client.post(lien, {**sans_motif, "motif_refus": "projet", "precisions_reponse": "Veut un emploi"})
    assert reponse.status_code == 302 and reponse.url == url
    r.refresh_from_db()
    assert (r.reinscription_canal, r.reponse_reinscription, r.reinscription_motif) == (
        "telephone",
        "refusee",
        "projet",
    )
    assert "Avant l&#x27;inscription" not in client.get(url).content.decode()
    reponse = client.post(url, {"date_entree": "14/09/2026", "statut": "en_preparation"})
    assert reponse.status_code == 302 and Inscription.objects.filter(jeune=r.jeune).exists()


def test_liste_de_travail_et_tableau_de_bord_montrent_les_offres_attendues(cast, client_de):
    attend = _echec(cast, resultat="absent")
    fait = _echec(cast)
    _offre(cast, fait)
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne, resultat="admis")
    _echec(cast, situation_rentree="emploi", typologie=T.AVEC_SOLUTION)  # a known solution: not waiting
    client = client_de(cast.chef_a)
    reponse = client.get(reverse("eleves:liste") + "?reinscription=a_proposer")
    assert [x.pk for x in reponse.context["page"].object_list] == [attend.pk]
    tableau = client.get(reverse("tableaux:chef")).content.decode()
    assert "en attente de la proposition de réinscription" in tableau
    assert "reinscription=a_proposer" in tableau
    assert regles_eleves.reperages_en_attente_d_offre().count() == 1


def test_le_balayage_rappelle_au_chef_a_la_rentree_une_fois_par_semaine(cast):
    from parcours.balayage import chefs_par_lycee

    _echec(cast)
    _echec(cast, resultat="absent")
    fait = _echec(cast)
    _offre(cast, fait)
    paris = ZoneInfo("Europe/Paris")
    with time_machine.travel(datetime.datetime(2026, 8, 20, 9, 0, tzinfo=paris), tick=False):
        assert (
            rappeler_reinscriptions(aujourdhui=datetime.date(2026, 8, 20), chefs=chefs_par_lycee())[
                "reinscriptions_a_proposer"
            ]
            == 0
        )  # before the rentrée: nothing
    with time_machine.travel(datetime.datetime(2026, 9, 2, 9, 0, tzinfo=paris), tick=False):
        jour = datetime.date(2026, 9, 2)
        comptes = rappeler_reinscriptions(aujourdhui=jour, chefs=chefs_par_lycee())
        assert comptes["reinscriptions_a_proposer"] == 2 and comptes["notifications"] == 1
        assert rappeler_reinscriptions(aujourdhui=jour, chefs=chefs_par_lycee())["notifications"] == 0
    n = Notification.objects.get(destinataire=cast.chef_a, cle__startswith="reinscription:")
    assert n.sujet.startswith("2 candidat(s) ajourné(s) ou absent(s)") and "reinscription=a_proposer" in n.lien
    assert not Notification.objects.filter(destinataire=cast.chef_b, cle__startswith="reinscription:").exists()
    with time_machine.travel(datetime.datetime(2026, 9, 9, 9, 0, tzinfo=paris), tick=False):
        assert (
            rappeler_reinscriptions(aujourdhui=datetime.date(2026, 9, 9), chefs=chefs_par_lycee())["notifications"]
            == 1
        )  # a new week, a new reminder while some are still waiting


def test_l_offre_dans_l_historique_et_l_export_rgpd(cast):
    r = _echec(cast)
    _offre(cast, r)
    inscription = services.inscrire(jeune=r.jeune, campagne=cast.campagne, date_entree=ENTREE)
    textes = [(e["genre"], e["texte"]) for e in services.journal(inscription)]
    assert (
        "Réinscription",
        "Réinscription proposée (Rendez-vous) – Refusée par le jeune : ne répond pas à son projet",
    ) in textes
    donnees = json.dumps(donnees_du_jeune(r.jeune), ensure_ascii=False, default=str)
    for attendu in ("réinscription proposée le", "04/07/2026", "Ne répond pas à son projet", "Souhaite travailler"):
        assert attendu in donnees


def test_audit_des_inscrits_sans_offre(cast):
    from tests.parcours.factories import InscriptionFactory

    r = _echec(cast)
    InscriptionFactory(jeune=r.jeune, campagne=cast.campagne)  # written around the service (old data)
    messages = regles_eleves.inscriptions_sans_offre_reinscription()
    assert len(messages) == 1 and "R9" in messages[0]
    Reperage.objects.filter(pk=r.pk).update(
        reinscription_proposee_le=datetime.date(2026, 7, 1), reponse_reinscription="refusee"
    )
    assert len(regles_eleves.reperages_reinscription_sans_motif()) == 1
    Reperage.objects.filter(pk=r.pk).update(reinscription_motif="projet")
    assert regles_eleves.inscriptions_sans_offre_reinscription() == []
    assert regles_eleves.reperages_reinscription_sans_motif() == []
