"""Workflows: enrolment (R2, R3, R5), actions (R3), PFMP cap (R4), exit (R6), attendance and gratification (R8)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from avenirpro.models import Notification, Role
from parcours import services
from parcours.models import PFMP, Action, Bilan, Inscription
from tests.avenirpro.factories import AffectationFactory, CampagneFactory, avec_role
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import InscriptionFactory, PFMPFactory

D = datetime.date


@pytest.fixture
def jeune(cast):
    j = JeuneFactory(etablissement=cast.lycee_a, nom="MARTIN")
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome="bac_pro")
    return j


@pytest.fixture
def inscription(cast, jeune):
    return services.inscrire(
        jeune=jeune,
        campagne=cast.campagne,
        date_entree=D(2026, 9, 14),
        referent=cast.referent_a,
        conseiller=cast.conseiller_a,
        statut="en_cours",
    )


def test_inscription_mef_et_fin_calcules(cast, jeune):
    i = services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 10, 31), boursier=True)
    assert i.mef == Inscription.Mef.NIVEAU4  # R2: bac pro
    assert i.date_fin_prevue == D(2027, 2, 28)  # R3
    jeune.refresh_from_db()
    assert jeune.boursier is True


def test_inscription_cap_donne_apro_plus_3(cast):
    j = JeuneFactory(etablissement=cast.lycee_a)
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome="cap")
    assert services.inscrire(jeune=j, campagne=cast.campagne, date_entree=D(2026, 9, 1)).mef == "apro_plus_3"


def test_inscription_mode_rentree(cast, jeune):
    cast.campagne.mode_duree = "rentree"
    cast.campagne.save()
    i = services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 10, 5))
    assert i.date_fin_prevue == D(2026, 12, 31)


def test_inscription_sans_reperage_ou_avant_la_date_min_refusee(cast, jeune):
    sans = JeuneFactory(etablissement=cast.lycee_a)
    with pytest.raises(ValidationError, match="repérage"):
        services.inscrire(jeune=sans, campagne=cast.campagne, date_entree=D(2026, 9, 14))
    with pytest.raises(ValidationError) as exc:
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 8, 20))
    assert "date_entree" in exc.value.error_dict
    assert not Inscription.objects.filter(jeune=jeune).exists()


def test_une_inscription_par_campagne(cast, inscription, jeune):
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14))
    autre = CampagneFactory(session=2027)
    ReperageFactory(jeune=jeune, campagne=autre)
    assert services.inscrire(jeune=jeune, campagne=autre, date_entree=D(2027, 9, 1))


def test_r5_referent_obligatoire_avant_en_cours_et_volontaire_du_lycee(cast, jeune):
    with pytest.raises(ValidationError) as exc:
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), statut="en_cours")
    assert "référent" in str(exc.value.error_dict["referent"])
    referent_b = avec_role(Role.REFERENT, etablissement=cast.lycee_b)
    with pytest.raises(ValidationError, match="volontaire du lycée"):
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=referent_b)
    with pytest.raises(ValidationError, match="volontaire du lycée"):
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=cast.psy_a)
    with pytest.raises(ValidationError, match="couvre le lycée"):
        services.inscrire(
            jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), conseiller=cast.conseiller_b
        )
    i = services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14))
    assert i.statut == "en_preparation"
    with pytest.raises(ValidationError):
        services.modifier_inscription(inscription=i, version=i.version, donnees={"statut": "en_cours"})
    i = services.modifier_inscription(
        inscription=i, version=i.version, donnees={"statut": "en_cours", "referent": cast.referent_a}
    )
    assert i.statut == "en_cours"


def test_r5_referent_affectation_terminee_refusee(cast, jeune):
    ancien = avec_role(Role.REFERENT, etablissement=cast.lycee_a)
    ancien.affectations.update(date_fin=D(2020, 1, 1))
    with pytest.raises(ValidationError, match="volontaire"):
        services.inscrire(jeune=jeune, campagne=cast.campagne, date_entree=D(2026, 9, 14), referent=ancien)


def test_version_perimee_refusee(inscription, cast):
    v = inscription.version
    services.modifier_inscription(inscription=inscription, version=v, donnees={"numero_imilo": "123"})
    with pytest.raises(services.ConflitDeVersion, match="modifié par quelqu'un d'autre"):
        services.modifier_inscription(inscription=inscription, version=v, donnees={"numero_imilo": "456"})
    inscription.refresh_from_db()
    assert inscription.numero_imilo == "123"


def test_r3_action_apres_la_limite_refusee(inscription):
    a = Action(type="tre", intitule="Atelier", date_debut=D(2027, 1, 4), date_fin=D(2027, 1, 14))
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_action(inscription=inscription, action=a)
    assert "13/01/2027" in str(exc.value.error_dict["date_fin"])
    a.date_fin = D(2027, 1, 13)
    services.enregistrer_action(inscription=inscription, action=a)
    avant = Action(type="tre", intitule="Trop tôt", date_debut=D(2026, 9, 1), date_fin=D(2026, 9, 30))
    with pytest.raises(ValidationError, match="avant l'entrée"):
        services.enregistrer_action(inscription=inscription, action=avant)


def test_r3_pfmp_apres_la_limite_refusee_et_siret_valide(inscription):
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_pfmp(
            inscription=inscription, pfmp=PFMP(entreprise="X", date_debut=D(2027, 1, 11), date_fin=D(2027, 1, 15))
        )
    assert "date_fin" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_pfmp(
            inscription=inscription,
            pfmp=PFMP(entreprise="X", siret="73282932000075", date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 6)),
        )
    assert "SIRET invalide" in str(exc.value.error_dict["siret"])


def test_convention_d_un_mineur_signee_par_le_responsable_legal(inscription):
    inscription.jeune.date_naissance = D(2010, 1, 1)
    inscription.jeune.save()
    pf = PFMP(
        entreprise="X",
        date_debut=D(2026, 11, 2),
        date_fin=D(2026, 11, 6),
        signataires="Le proviseur, l'entreprise",
    )
    services.enregistrer_pfmp(inscription=inscription, pfmp=pf)
    # R18: «convention signée» needs its signed copy (tests/documents/test_regle_convention.py).
    from documents.demo import deposer_copie_de_demonstration

    deposer_copie_de_demonstration(pf)
    pf.convention_signee_le = D(2026, 10, 20)
    with pytest.raises(ValidationError, match="responsable légal"):
        services.enregistrer_pfmp(inscription=inscription, pfmp=pf)
    pf.signataires = "Le proviseur, l'entreprise, le responsable légal"
    services.enregistrer_pfmp(inscription=inscription, pfmp=pf)


def test_r4_plafond_refuse_au_dela_des_deux_tiers(inscription):
    # plafond: 85 working days between 14/09/2026 and 13/01/2027 → 56
    services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise="A", date_debut=D(2026, 9, 14), date_fin=D(2026, 11, 27))
    )  # 54 days (11/11 excluded)
    with pytest.raises(ValidationError, match="57 j pour 56 j autorisés"):
        services.enregistrer_pfmp(
            inscription=inscription, pfmp=PFMP(entreprise="B", date_debut=D(2026, 11, 30), date_fin=D(2026, 12, 2))
        )
    # two days pass; an overlapping period adds nothing
    services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise="B", date_debut=D(2026, 11, 30), date_fin=D(2026, 12, 1))
    )
    services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise="C", date_debut=D(2026, 10, 1), date_fin=D(2026, 10, 30))
    )
    assert inscription.pfmps.count() == 3


def test_r4_modifier_une_pfmp_est_aussi_controle(inscription):
    pf = services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise="A", date_debut=D(2026, 9, 14), date_fin=D(2026, 11, 27))
    )
    pf.date_fin = D(2026, 12, 4)
    with pytest.raises(ValidationError, match="Plafond dépassé"):
        services.enregistrer_pfmp(inscription=inscription, pfmp=pf)
    pf.refresh_from_db()
    assert pf.date_fin == D(2026, 11, 27)


def test_r4_sortie_anticipee_signale_le_depassement(inscription):
    # 05/10 → 27/11: 39 working days less Armistice = 38 ≤ 56 allowed against the planned end
    pf = services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise="A", date_debut=D(2026, 10, 5), date_fin=D(2026, 11, 27))
    )
    assert services.signaler_depassements_pfmp(inscription) is False
    pf.refresh_from_db()
    assert pf.depassement_signale is False
    # early exit on 27/11: real length 14/09 → 27/11 = 54 working days → 36 allowed < 38 done: flagged, not refused
    services.cloturer(
        inscription=inscription,
        version=Inscription.objects.get(pk=inscription.pk).version,
        date_sortie=D(2026, 11, 27),
        motif_sortie="solution_avant_terme",
        situation_sortie="emploi",
    )
    pf.refresh_from_db()
    assert pf.depassement_signale is True
    assert services.signaler_depassements_pfmp(inscription) is True


def test_r4_sortie_anticipee_sans_depassement(inscription):
    pf = services.enregistrer_pfmp(
        inscription=inscription, pfmp=PFMP(entreprise="A", date_debut=D(2026, 10, 5), date_fin=D(2026, 10, 16))
    )
    services.cloturer(
        inscription=inscription,
        version=Inscription.objects.get(pk=inscription.pk).version,
        date_sortie=D(2026, 11, 27),
        motif_sortie="abandon",
        situation_sortie="inconnue",
    )
    pf.refresh_from_db()
    assert pf.depassement_signale is False


def test_r6_sortie_exige_date_motif_et_situation(inscription):
    with pytest.raises(ValidationError) as exc:
        services.cloturer(
            inscription=inscription,
            version=inscription.version,
            date_sortie=D(2026, 12, 18),
            motif_sortie="fin_parcours",
            situation_sortie="",
        )
    assert exc.value.error_dict["situation_sortie"][0].message == "Indiquez la situation à la sortie."
    i = services.cloturer(
        inscription=inscription,
        version=inscription.version,
        date_sortie=D(2026, 12, 18),
        motif_sortie="fin_parcours",
        situation_sortie="formation",
    )
    assert i.statut == "sortie"


def test_r6_la_base_refuse_une_sortie_incomplete(inscription):
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.filter(pk=inscription.pk).update(date_sortie=D(2026, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Inscription.objects.filter(pk=inscription.pk).update(motif_sortie="abandon", situation_sortie="inconnue")


def test_r8_presences_en_pfmp_et_gratification(inscription, cast):
    from parcours.regles import gratification

    pf = PFMPFactory(inscription=inscription, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 13))
    lignes = [
        {"date": D(2026, 11, 2), "periode": "matin", "statut": "present", "motif": ""},
        {"date": D(2026, 11, 2), "periode": "apres_midi", "statut": "retard", "motif": ""},
        {"date": D(2026, 11, 3), "periode": "matin", "statut": "absent_justifie", "motif": "Médecin"},
        {"date": D(2026, 11, 3), "periode": "apres_midi", "statut": "absent_non_justifie", "motif": ""},
        {"date": D(2026, 10, 30), "periode": "matin", "statut": "present", "motif": ""},
    ]
    assert services.enregistrer_presences(inscription=inscription, lignes=lignes, user=cast.referent_a) == 5
    assert inscription.presences.filter(pfmp=pf).count() == 4
    assert gratification(inscription) == Decimal("20.00")  # one PFMP day done, bac pro rate


def test_presences_absence_justifiee_sans_motif_rien_n_est_ecrit(inscription, cast):
    lignes = [
        {"date": D(2026, 9, 14), "periode": "matin", "statut": "present", "motif": ""},
        {"date": D(2026, 9, 14), "periode": "apres_midi", "statut": "absent_justifie", "motif": ""},
    ]
    with pytest.raises(ValidationError, match="motif"):
        services.enregistrer_presences(inscription=inscription, lignes=lignes, user=cast.referent_a)
    assert not inscription.presences.exists()


def test_bilan_transmis_au_chef(inscription, cast):
    b = Bilan.objects.create(inscription=inscription, observations="Bon parcours")
    assert services.envoyer_bilan(bilan=b, lien="/x") == 1
    assert Notification.objects.filter(destinataire=cast.chef_a).count() == 1
    b.refresh_from_db()
    assert b.envoye_le is not None


def test_journal_du_parcours(inscription, cast):
    services.modifier_inscription(inscription=inscription, version=inscription.version, donnees={"numero_imilo": "9"})
    genres = {e["genre"] for e in services.journal(inscription)}
    assert {"Inscription", "Modification"} <= genres


def test_affectation_referent_volontaire_factory_sanity(cast):
    assert AffectationFactory._meta.model.objects.filter(utilisateur=cast.referent_a, role="referent").exists()
    assert InscriptionFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne).mef
