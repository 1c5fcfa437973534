"""Every write keeps the rules (issue 14, cases 1–6, 8, 9): a change made afterwards — entry date, exit, status,
campaign setting, PFMP moved — is refused with the rule and the items in conflict named, in French, next to the field,
through the services and through the screens; the audit `verifier_regles` finds what slipped past."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from avenirpro.models import Notification
from parcours import services
from parcours.conformite import ecarts_parcours
from parcours.models import PFMP, Action, Inscription
from parcours.verification import constats
from tests.eleves.factories import JeuneFactory, ReperageFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _jeune(cast, diplome="bac_pro"):
    j = JeuneFactory(etablissement=cast.lycee_a)
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome=diplome)
    return j


@pytest.fixture
def inscription(cast):
    """Entry 14/09/2026 → limit 13/01/2027 (campaign counted from the entry)."""
    return services.inscrire(
        jeune=_jeune(cast),
        campagne=cast.campagne,
        date_entree=D(2026, 9, 14),
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        statut="en_cours",
    )


def _pfmp(inscription, debut, fin, entreprise="Garage du Centre"):
    return services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise=entreprise, date_debut=debut, date_fin=fin)
    )


def _frais(i):
    return Inscription.objects.get(pk=i.pk)


def _aucun_ecart():
    assert list(constats()) == []


# --- Case 1: the entry date edited --------------------------------------------------------------------------------


def test_cas1_date_d_entree_deplacee_apres_une_pfmp_refusee(inscription):
    _pfmp(inscription, D(2026, 11, 2), D(2026, 11, 13))
    with pytest.raises(ValidationError) as exc:
        services.modifier_inscription(
            inscription=inscription, version=_frais(inscription).version, donnees={"date_entree": D(2026, 11, 16)}
        )
    message = " ".join(exc.value.message_dict["date_entree"])
    assert "La PFMP du 02/11/2026 au 13/11/2026 chez Garage du Centre commencerait avant l'entrée" in message
    assert "(R3)" in message
    assert _frais(inscription).date_entree == D(2026, 9, 14)
    _aucun_ecart()


def test_cas1_date_d_entree_avancee_laisse_une_action_apres_la_limite_refusee(inscription):
    services.enregistrer_action(
        inscription=inscription,
        action=Action(type="tre", intitule="Atelier CV", date_debut=D(2027, 1, 4), date_fin=D(2027, 1, 13)),
    )
    with pytest.raises(ValidationError) as exc:
        services.modifier_inscription(
            inscription=inscription, version=_frais(inscription).version, donnees={"date_entree": D(2026, 9, 1)}
        )
    assert "finirait après la date limite du parcours (31/12/2026)" in " ".join(exc.value.message_dict["date_entree"])
    _aucun_ecart()


def test_cas1_par_l_ecran_l_erreur_est_sur_le_champ(cast, client_de, inscription):
    _pfmp(inscription, D(2026, 11, 2), D(2026, 11, 13))
    r = client_de(cast.chef_a).post(
        reverse("parcours:modifier", kwargs={"uuid": inscription.uuid}),
        {
            "version": _frais(inscription).version,
            "date_entree": "16/11/2026",
            "statut": "en_cours",
            "referent": cast.referent_a.pk,
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "La PFMP du 02/11/2026 au 13/11/2026" in page and "commencerait avant l&#x27;entrée" in page
    assert _frais(inscription).date_entree == D(2026, 9, 14)


# --- Case 2: an exit after the limit ------------------------------------------------------------------------------


def test_cas2_sortie_apres_la_limite_refusee(cast, client_de, inscription):
    with pytest.raises(ValidationError) as exc:
        services.cloturer(
            inscription=inscription,
            version=inscription.version,
            date_sortie=D(2027, 6, 30),
            motif_sortie="fin_parcours",
            situation_sortie="emploi",
        )
    assert "après la date limite du parcours (13/01/2027)" in " ".join(exc.value.message_dict["date_sortie"])
    r = client_de(cast.chef_a).post(
        reverse("parcours:sortie", kwargs={"uuid": inscription.uuid}),
        {
            "version": inscription.version,
            "date_sortie": "30/06/2027",
            "motif_sortie": "fin_parcours",
            "situation_sortie": "emploi",
        },
    )
    assert "après la date limite du parcours (13/01/2027)" in r.content.decode()
    assert _frais(inscription).date_sortie is None


# --- Case 3: the status and the reopening -------------------------------------------------------------------------


def _sortir(i, jour=D(2026, 12, 1)):
    return services.cloturer(
        inscription=i, version=_frais(i).version, date_sortie=jour, motif_sortie="abandon", situation_sortie="emploi"
    )


def test_cas3_un_parcours_clos_ne_repasse_pas_en_cours_par_le_formulaire(cast, client_de, inscription):
    _sortir(inscription)
    with pytest.raises(ValidationError) as exc:
        services.modifier_inscription(
            inscription=inscription, version=_frais(inscription).version, donnees={"statut": "en_cours"}
        )
    assert "statut" in exc.value.message_dict
    r = client_de(cast.chef_a).post(
        reverse("parcours:modifier", kwargs={"uuid": inscription.uuid}),
        {"version": _frais(inscription).version, "date_entree": "14/09/2026", "statut": "en_cours"},
    )
    assert r.status_code == 200
    i = _frais(inscription)
    assert (i.statut, i.date_sortie) == ("sortie", D(2026, 12, 1))


def test_cas3_statut_sortie_sans_date_refuse_par_le_service_et_la_base(inscription):
    with pytest.raises(ValidationError):
        services.modifier_inscription(
            inscription=inscription, version=inscription.version, donnees={"statut": "sortie"}
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.filter(pk=inscription.pk).update(statut="sortie")
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.filter(pk=inscription.pk).update(
            date_sortie=D(2026, 12, 1), motif_sortie="abandon", situation_sortie="emploi"
        )


def test_cas3_reouverture_par_le_chef_avec_motif_efface_la_sortie(cast, client_de, inscription):
    _sortir(inscription)
    with pytest.raises(ValidationError, match="Seul le chef"):
        services.rouvrir(
            inscription=_frais(inscription), version=_frais(inscription).version, user=cast.referent_a, motif="x"
        )
    with pytest.raises(ValidationError):
        services.rouvrir(
            inscription=_frais(inscription), version=_frais(inscription).version, user=cast.chef_a, motif=""
        )
    assert (
        client_de(cast.referent_a).get(reverse("parcours:rouvrir", kwargs={"uuid": inscription.uuid})).status_code
        == 404
    )
    r = client_de(cast.chef_a).post(
        reverse("parcours:rouvrir", kwargs={"uuid": inscription.uuid}),
        {"version": _frais(inscription).version, "motif": "Sortie saisie par erreur"},
    )
    assert r.status_code == 302
    i = _frais(inscription)
    assert (i.statut, i.date_sortie, i.motif_sortie, i.situation_sortie) == ("en_cours", None, "", "")
    derniere = i.history.order_by("-history_date").first()
    assert derniere.history_change_reason == "Réouverture : Sortie saisie par erreur"
    assert i.history.filter(date_sortie=D(2026, 12, 1)).exists()  # the erased exit stays in the history
    _aucun_ecart()


# --- Case 4: a campaign setting changed ---------------------------------------------------------------------------


def test_cas4_reglage_de_campagne_qui_sortirait_une_pfmp_du_parcours_refuse(cast, inscription):
    _pfmp(inscription, D(2027, 1, 4), D(2027, 1, 8))
    cast.campagne.mode_duree = "rentree"
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_campagne(campagne=cast.campagne)
    message = " ".join(exc.value.message_dict["mode_duree"])
    assert "La PFMP du 04/01/2027 au 08/01/2027 chez Garage du Centre finirait après la date limite" in message
    assert "(31/12/2026)" in message
    cast.campagne.refresh_from_db()
    assert cast.campagne.mode_duree == "entree"
    assert _frais(inscription).date_fin_prevue == D(2027, 1, 13)


def test_cas4_reglage_de_campagne_accepte_recalcule_chaque_fin_prevue(cast, inscription):
    cast.campagne.mode_duree = "rentree"
    assert services.enregistrer_campagne(campagne=cast.campagne) == 1
    i = _frais(inscription)
    assert i.date_fin_prevue == i.date_limite == D(2026, 12, 31)
    _aucun_ecart()


def test_cas4_par_l_administration_technique(cast, client_de, inscription):
    _pfmp(inscription, D(2027, 1, 4), D(2027, 1, 8))
    client = client_de(cast.admin)
    url = reverse("admin:avenirpro_campagne_change", args=[cast.campagne.pk])
    c = cast.campagne
    donnees = {
        "nom": c.nom,
        "session": c.session,
        "date_rentree": "2026-09-01",
        "date_entree_min": "2026-09-01",
        "date_entree_max": "",
        "mode_duree": "rentree",
        "duree_mois": 4,
        "unite_pfmp": c.unite_pfmp,
        "taux_gratification_niveau3": "15",
        "taux_gratification_niveau4": "20",
        "libelle_mef_niveau3": c.libelle_mef_niveau3,
        "libelle_mef_niveau4": c.libelle_mef_niveau4,
        "jours_sans_point_suivi": 14,
        "jours_sans_contact": 10,
        "seuil_absences_semaine": 2,
    }
    r = client.post(url, donnees)
    assert r.status_code == 200
    assert "finirait après la date limite du parcours (31/12/2026)" in r.content.decode()
    c.refresh_from_db()
    assert c.mode_duree == "entree"
    PFMP.objects.filter(inscription=inscription).delete()
    r = client.post(url, donnees)
    assert r.status_code == 302
    assert _frais(inscription).date_fin_prevue == D(2026, 12, 31)


# --- Case 5: the latest entry date --------------------------------------------------------------------------------


def test_cas5_entree_apres_la_derniere_date_de_la_campagne_refusee(cast):
    assert cast.campagne.derniere_date_entree == D(2026, 12, 31)  # default: rentrée + 4 months − 1 day
    with pytest.raises(ValidationError) as exc:
        services.inscrire(jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2027, 6, 15))
    assert "31/12/2026" in " ".join(exc.value.message_dict["date_entree"])
    cast.campagne.date_entree_max = D(2026, 11, 30)
    services.enregistrer_campagne(campagne=cast.campagne)
    with pytest.raises(ValidationError, match="30/11/2026"):
        services.inscrire(jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2026, 12, 7))
    assert services.inscrire(jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2026, 11, 30))


# --- Case 6: R8, the link between a half-day and its PFMP ---------------------------------------------------------


def _semaine(inscription, user, lundi=D(2026, 11, 2)):
    lignes = [
        {"date": lundi + datetime.timedelta(days=k), "periode": p, "statut": "present", "motif": ""}
        for k in range(5)
        for p in ("matin", "apres_midi")
    ]
    services.enregistrer_presences(inscription=inscription, lignes=lignes, user=user)


def test_cas6_gratification_ne_depend_pas_de_l_ordre_de_saisie(cast):
    from parcours.regles import gratification

    i = services.inscrire(
        jeune=_jeune(cast, "cap"), campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=cast.referent_a
    )
    _semaine(i, cast.referent_a)  # attendance first…
    pfmp = _pfmp(i, D(2026, 11, 2), D(2026, 11, 13))  # … the PFMP afterwards
    assert gratification(_frais(i)) == Decimal("75.00")  # 5 days × 15 €
    pfmp.date_debut, pfmp.date_fin = D(2026, 11, 16), D(2026, 11, 27)
    services.enregistrer_pfmp(inscription=i, pfmp=pfmp)  # moved: the half-days of 02–06/11 are no longer in it
    assert gratification(_frais(i)) == Decimal("0.00")
    pfmp.date_debut = D(2026, 11, 2)
    services.enregistrer_pfmp(inscription=i, pfmp=pfmp)
    assert gratification(_frais(i)) == Decimal("75.00")
    services.supprimer_pfmp(pfmp=pfmp)
    assert gratification(_frais(i)) == Decimal("0.00")
    _aucun_ecart()


# --- Case 8: the référent leaves ----------------------------------------------------------------------------------


def test_cas8_la_fin_d_affectation_du_referent_ne_bloque_pas_la_sortie(cast, client_de, inscription):
    cast.referent_a.affectations.update(date_fin=D(2026, 1, 1))
    i = services.modifier_inscription(
        inscription=inscription, version=_frais(inscription).version, donnees={"numero_imilo": "9009"}
    )
    assert i.numero_imilo == "9009"
    r = client_de(cast.chef_a).post(
        reverse("parcours:modifier", kwargs={"uuid": inscription.uuid}),
        {
            "version": _frais(inscription).version,
            "date_entree": "14/09/2026",
            "statut": "en_cours",
            "referent": cast.referent_a.pk,
            "numero_imilo": "10010",
        },
    )
    assert r.status_code == 302
    _sortir(inscription)
    assert _frais(inscription).statut == "sortie"
    # Designating them again elsewhere is still refused (R5 at designation).
    with pytest.raises(ValidationError, match="volontaire du lycée"):
        services.inscrire(
            jeune=_jeune(cast), campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=cast.referent_a
        )


# --- Case 9: exit answers that contradict each other --------------------------------------------------------------


def test_cas9_reponses_de_sortie_contradictoires_refusees(inscription):
    with pytest.raises(ValidationError) as exc:
        services.cloturer(
            inscription=inscription,
            version=inscription.version,
            date_sortie=D(2026, 12, 1),
            motif_sortie="solution_avant_terme",
            situation_sortie="sans_solution",
        )
    assert "situation_sortie" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.cloturer(
            inscription=inscription,
            version=inscription.version,
            date_sortie=D(2026, 12, 1),
            motif_sortie="duree_maximale",
            situation_sortie="emploi",
        )
    assert "précède la date limite du parcours (13/01/2027)" in " ".join(exc.value.message_dict["motif_sortie"])
    i = services.cloturer(
        inscription=inscription,
        version=inscription.version,
        date_sortie=D(2027, 1, 13),
        motif_sortie="duree_maximale",
        situation_sortie="emploi",
    )
    assert i.statut == "sortie"


# --- The audit ----------------------------------------------------------------------------------------------------


def test_verifier_regles_liste_les_ecarts_et_le_balayage_previent_le_chef(cast, inscription):
    from parcours.balayage import balayer

    sortie = io.StringIO()
    call_command("verifier_regles", stdout=sortie)
    assert "Aucun écart" in sortie.getvalue()
    # A row written behind the services' back: a PFMP after the limit.
    PFMP.objects.create(
        inscription=inscription, entreprise="Boulangerie", date_debut=D(2027, 1, 11), date_fin=D(2027, 1, 22)
    )
    assert [e.regle for e in ecarts_parcours(_frais(inscription))] == ["R3"]
    sortie = io.StringIO()
    with pytest.raises(SystemExit) as fin:
        call_command("verifier_regles", stdout=sortie, stderr=io.StringIO())
    assert fin.value.code == 1
    assert "R3" in sortie.getvalue() and "finirait après la date limite du parcours (13/01/2027)" in sortie.getvalue()
    jour = D(2026, 11, 18)
    assert balayer(aujourdhui=jour, rappels=False)["regles_ecarts"] == 1
    balayer(aujourdhui=jour, rappels=False)
    assert Notification.objects.filter(destinataire=cast.chef_a, cle__startswith="verifier-regles:").count() == 1
