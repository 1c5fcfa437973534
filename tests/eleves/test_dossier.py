"""The young person's record (ADR 0017): who corrects what, its history, what a later import does to a field
corrected by hand, the counsellor's list, a search never hidden by the default typology filter, contact dates."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eleves import services
from eleves.models import Contact, ImportEleves, Jeune
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.eleves.fichiers import csv_octets, ligne
from tests.entretiens.factories import InvitationFactory, ReunionFactory
from tests.parcours.factories import InscriptionFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _suivi(cast, **kw):
    jeune = JeuneFactory(etablissement=cast.lycee_a, nom="SUIVI", prenoms="Léa", telephone="0600000000")
    InscriptionFactory(
        jeune=jeune, campagne=cast.campagne, referent=cast.referent_a, conseiller=cast.conseiller_a, **kw
    )
    return jeune


# --- Who corrects what -----------------------------------------------------------------------------------------


def test_le_chef_corrige_l_identite_avec_un_motif_garde_dans_l_historique(cast):
    jeune = _suivi(cast)
    with pytest.raises(ValidationError) as e:
        services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"nom": "SUIVIE"})
    assert "motif" in e.value.message_dict
    services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"nom": "SUIVIE"}, motif="Pièce d'identité vue")
    jeune.refresh_from_db()
    assert jeune.nom == "SUIVIE" and jeune.recherche.startswith("suivie")
    derniere = jeune.history.first()
    assert derniere.history_user == cast.chef_a
    assert derniere.history_change_reason == "Correction à la main : Pièce d'identité vue"
    assert jeune.champs_saisis_main == ["nom"]


def test_le_referent_et_le_conseiller_corrigent_les_coordonnees_pas_l_identite_ni_la_bourse(cast):
    jeune = _suivi(cast, statut="en_cours")
    services.modifier_jeune(auteur=cast.referent_a, jeune=jeune, donnees={"telephone": "0611223344"})
    services.modifier_jeune(auteur=cast.conseiller_a, jeune=jeune, donnees={"email": "lea@example.org"})
    jeune.refresh_from_db()
    assert (jeune.telephone, jeune.email) == ("0611223344", "lea@example.org")
    assert sorted(jeune.champs_saisis_main) == ["email", "telephone"]
    for membre, donnees in (
        (cast.referent_a, {"nom": "X"}),
        (cast.conseiller_a, {"boursier": True}),
        (cast.referent_a2, {"telephone": "0700000000"}),  # not the référent of this parcours
        (cast.psy_a, {"telephone": "0700000000"}),  # reads the record, does not correct it
        (cast.chef_b, {"telephone": "0700000000"}),
    ):
        with pytest.raises(PermissionDenied):
            services.modifier_jeune(auteur=membre, jeune=jeune, donnees=donnees, motif="m")
    jeune.refresh_from_db()
    assert jeune.nom == "SUIVI" and jeune.telephone == "0611223344"


def test_apres_la_sortie_le_referent_ne_corrige_plus_les_coordonnees(cast):
    jeune = _suivi(cast)
    jeune.inscriptions.update(
        statut="sortie", date_sortie=datetime.date(2026, 10, 1), motif_sortie="abandon", situation_sortie="inconnue"
    )
    assert services.champs_modifiables(cast.referent_a, jeune) == ()
    assert services.champs_modifiables(cast.chef_a, jeune) == services.CHAMPS_MODIFIABLES


def test_l_echelon_de_bourse_n_existe_que_pour_un_boursier(cast):
    jeune = _suivi(cast)
    with pytest.raises(ValidationError) as e:
        services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"echelon_bourse": 3})
    assert "echelon_bourse" in e.value.message_dict
    services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"boursier": True, "echelon_bourse": 3})
    jeune.refresh_from_db()
    assert (jeune.boursier, jeune.echelon_bourse) == (True, 3)
    with pytest.raises(ValidationError):
        services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"echelon_bourse": 7})
    # No longer a grant holder: the step goes with it.
    services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"boursier": False})
    jeune.refresh_from_db()
    assert (jeune.boursier, jeune.echelon_bourse) == (False, None)


def test_la_page_de_modification_montre_a_chacun_ses_champs(cast, client_de):
    jeune = _suivi(cast, statut="en_cours")
    url = reverse("eleves:modifier", args=[jeune.uuid])
    html = client_de(cast.referent_a).get(url).content.decode()
    assert 'name="telephone"' in html and 'name="nom"' not in html and 'name="boursier"' not in html
    html = client_de(cast.chef_a).get(url).content.decode()
    assert 'name="nom"' in html and 'name="echelon_bourse"' in html and 'name="motif"' in html
    # The identity without a reason: the message next to the field, nothing written.
    r = client_de(cast.chef_a).post(
        url, {"nom": "AUTRE", "prenoms": "Léa", "date_naissance": "2007-05-12", "sexe": "F", "motif": ""}
    )
    assert r.status_code == 200 and "Indiquez le motif" in r.content.decode()
    assert Jeune.objects.get(pk=jeune.pk).nom == "SUIVI"
    r = client_de(cast.referent_a).post(url, {"telephone": "06 99 88 77 66"})
    assert r.status_code == 302 and Jeune.objects.get(pk=jeune.pk).telephone == "06 99 88 77 66"


# --- A later import ---------------------------------------------------------------------------------------------


def _importer(cast, *lignes):
    imp = ImportEleves.objects.create(
        etablissement=cast.lycee_a,
        campagne=cast.campagne,
        auteur=cast.chef_a,
        nom_fichier="c.csv",
        contenu=csv_octets(list(lignes)),
    )
    services.analyser_import(imp)
    return imp


def test_un_import_ne_remplace_pas_un_champ_corrige_a_la_main_et_le_signale(cast, client_de):
    premiere = ligne(1)
    services.ecrire_import(_importer(cast, premiere))
    jeune = Jeune.objects.get(ine=premiere["INE"])
    ancien_courriel = jeune.email
    services.modifier_jeune(auteur=cast.chef_a, jeune=jeune, donnees={"telephone": "0612345678"})
    # The school's file comes again, with another phone and another e-mail.
    seconde = ligne(1, TELEPHONE="0799999999", COURRIEL="nouveau@example.org")
    imp = _importer(cast, seconde)
    conserves = imp.apercu["conserves"]
    assert conserves == [
        {
            "ligne": 2,
            "ine": jeune.ine,
            "jeune": f"{jeune.nom} {jeune.prenoms}",
            "champ": "téléphone",
            "fichier": "0799999999",
            "conserve": "0612345678",
        }
    ]
    html = client_de(cast.chef_a).get(reverse("eleves:import_detail", args=[imp.uuid])).content.decode()
    assert "Corrections faites à la main conservées (1)" in html and "0799999999" in html
    services.ecrire_import(imp)
    jeune.refresh_from_db()
    assert jeune.telephone == "0612345678"  # kept
    assert jeune.email == "nouveau@example.org" != ancien_courriel  # the other fields follow the file


# --- The counsellor's list -----------------------------------------------------------------------------------


def test_la_liste_du_conseiller_montre_ce_que_la_regle_d_acces_lui_ouvre(cast, client_de):
    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    invite = JeuneFactory(etablissement=cast.lycee_a, nom="INVITE")
    InvitationFactory(reunion=reunion, jeune=invite)
    JeuneFactory(etablissement=cast.lycee_a, nom="PASINVITE")  # not yet invited: not visible
    autre = JeuneFactory(etablissement=cast.lycee_b, nom="AUTRELYCEE")
    InvitationFactory(reunion=ReunionFactory(etablissement=cast.lycee_b, campagne=cast.campagne), jeune=autre)
    suivi = _suivi(cast)
    c = client_de(cast.conseiller_a)
    r = c.get(reverse("eleves:suivis"))
    noms = [j.nom for j in r.context["page"].object_list]
    assert noms == ["INVITE", "SUIVI"]
    html = r.content.decode()
    assert reverse("eleves:detail", args=[invite.uuid]) in html and "mon parcours" in html
    assert 'href="tel:0600000000"' in html
    assert [j.nom for j in c.get(reverse("eleves:suivis"), {"q": "suiv"}).context["page"].object_list] == ["SUIVI"]
    r = c.get(reverse("eleves:suivis"), {"etablissement": str(cast.lycee_b.uuid)})
    assert list(r.context["page"].object_list) == []
    assert suivi.nom not in client_de(cast.conseiller_b).get(reverse("eleves:suivis")).content.decode()
    # The dashboard's per-lycée link leads there (it used to answer 403).
    html = client_de(cast.conseiller_a).get(reverse("tableaux:conseiller")).content.decode()
    assert f"{reverse('eleves:suivis')}?etablissement={cast.lycee_a.uuid}" in html
    assert (
        client_de(cast.conseiller_a).get(f"{reverse('eleves:suivis')}?etablissement={cast.lycee_a.uuid}").status_code
        == 200
    )


def test_liste_du_conseiller_nombre_de_requetes_identique_avec_1_et_50_lignes(
    cast, client_de, django_assert_num_queries
):
    reunion = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    c = client_de(cast.conseiller_a)
    url = reverse("eleves:suivis")

    def ajouter(n):
        for _ in range(n):
            j = JeuneFactory(etablissement=cast.lycee_a)
            InvitationFactory(reunion=reunion, jeune=j)
            InscriptionFactory(jeune=j, campagne=cast.campagne, conseiller=cast.conseiller_a)

    ajouter(1)
    c.get(url)
    with CaptureQueriesContext(connection) as q1:
        assert len(c.get(url).context["page"].object_list) == 1
    ajouter(49)
    with django_assert_num_queries(len(q1.captured_queries)):
        assert len(c.get(url).context["page"].object_list) == 50


# --- Names lead to the record -----------------------------------------------------------------------------------


def test_le_dossier_s_ouvre_au_referent_avec_telephone_onglets_et_fil_d_ariane(cast, client_de):
    jeune = _suivi(cast, statut="en_cours")
    inscription = jeune.inscriptions.get()
    html = client_de(cast.referent_a).get(reverse("eleves:detail", args=[jeune.uuid])).content.decode()
    assert 'href="tel:0600000000"' in html
    assert reverse("parcours:presences", args=[inscription.uuid]) in html
    assert reverse("parcours:points", args=[inscription.uuid]) in html
    assert 'class="fr-breadcrumb"' in html and reverse("tableaux:referent") in html
    assert reverse("eleves:modifier", args=[jeune.uuid]) in html and "Corriger les coordonnées" in html
    # …and the parcours leads back to the record.
    html = client_de(cast.referent_a).get(reverse("parcours:detail", args=[inscription.uuid])).content.decode()
    assert reverse("eleves:detail", args=[jeune.uuid]) in html
    # The référent's screen: the name is the record's link.
    html = client_de(cast.referent_a).get(reverse("tableaux:referent")).content.decode()
    assert f'href="{reverse("eleves:detail", args=[jeune.uuid])}"' in html


# --- Filters never hide a search result ---------------------------------------------------------------------


def test_la_recherche_par_nom_trouve_aussi_les_jeunes_solution_connue_et_la_liste_dit_ce_qu_elle_masque(
    cast, client_de
):
    ReperageFactory(
        jeune=JeuneFactory(etablissement=cast.lycee_a, nom="TROUVE"), campagne=cast.campagne, typologie="avec_solution"
    )
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a, nom="SANS"), campagne=cast.campagne)
    c = client_de(cast.chef_a)
    r = c.get(reverse("eleves:liste"))
    html = r.content.decode()
    assert "TROUVE" not in html.split("solutions-masquees")[0] and "SANS" in html
    assert "1 jeune dont la solution est connue" in html and "typologie=avec_solution" in html
    r = c.get(reverse("eleves:liste"), {"q": "trouve", "typologie": ""})
    assert "TROUVE" in r.content.decode()


# --- Dates ----------------------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=PARIS), tick=False)
def test_un_contact_ne_peut_pas_etre_date_dans_le_futur(cast):
    rep = ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    with pytest.raises(ValidationError) as e:
        services.enregistrer_contact(
            auteur=cast.chef_a,
            reperage=rep,
            date=datetime.datetime(2030, 1, 1, 9, tzinfo=PARIS),
            canal="telephone",
            issue="joint",
        )
    assert e.value.message_dict["date"] == ["La date du contact ne peut pas être dans le futur."]
    assert not Contact.objects.exists()
    services.enregistrer_contact(
        auteur=cast.chef_a,
        reperage=rep,
        date=datetime.datetime(2026, 11, 18, 9, tzinfo=PARIS),
        canal="telephone",
        issue="joint",
    )
    assert Contact.objects.count() == 1
