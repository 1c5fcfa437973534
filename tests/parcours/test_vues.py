"""Screens: forms keep what was typed and speak French, query counts do not grow with rows, exports, ICS, offer."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from avenirpro.models import JournalAcces
from parcours.models import PFMP, Action, Inscription, OffreAction, PointSuivi, Presence
from tests.avenirpro.factories import EtablissementFactory
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.parcours.factories import ActionFactory, InscriptionFactory, OffreActionFactory, PFMPFactory

D = datetime.date


@pytest.fixture
def inscription(cast):
    j = JeuneFactory(etablissement=cast.lycee_a, nom="DURAND", ine="123456789AB")
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome="cap")
    return InscriptionFactory(
        jeune=j, campagne=cast.campagne, referent=cast.referent_a, conseiller=cast.conseiller_a, statut="en_cours"
    )


def _nb_requetes(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: the session's idle timer and the site settings are written / read once a minute
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_liste_meme_nombre_de_requetes_avec_1_et_50_lignes(
    cast, client_de, inscription, django_assert_max_num_queries
):
    client = client_de(cast.chef_a)
    url = reverse("parcours:liste")
    un = _nb_requetes(client, url, django_assert_max_num_queries)
    for _ in range(49):
        InscriptionFactory(
            jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne, referent=cast.referent_a
        )
    r = client.get(url)
    assert r.context["page"].paginator.count == 50
    assert _nb_requetes(client, url, django_assert_max_num_queries) == un


@pytest.mark.parametrize("nom", ["detail", "actions", "pfmp", "points", "presences", "bilan", "emploi_du_temps"])
def test_pages_du_parcours_meme_nombre_de_requetes(cast, client_de, inscription, nom, django_assert_max_num_queries):
    client = client_de(cast.referent_a)
    url = reverse(f"parcours:{nom}", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-09-14"
    ActionFactory(inscription=inscription)
    PFMPFactory(inscription=inscription, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 2))
    PointSuivi.objects.create(inscription=inscription, date=D(2026, 9, 20), contenu="Point")
    Presence.objects.create(
        inscription=inscription, date=D(2026, 9, 14), periode="matin", statut="absent_justifie", motif="x"
    )
    un = _nb_requetes(client, url, django_assert_max_num_queries)
    for n in range(49):
        a = ActionFactory(inscription=inscription)
        a.creneaux.create(jour=n % 5, heure_debut=datetime.time(9), heure_fin=datetime.time(11))
        PFMPFactory(inscription=inscription, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 2))
        PointSuivi.objects.create(inscription=inscription, date=D(2026, 9, 20), contenu=f"Point {n}")
        Presence.objects.create(
            inscription=inscription, date=D(2026, 9, 15) + datetime.timedelta(days=n), periode="matin", statut="retard"
        )
    assert _nb_requetes(client, url, django_assert_max_num_queries) == un


def test_offre_meme_nombre_de_requetes(cast, client_de, django_assert_max_num_queries):
    client = client_de(cast.referent_a)
    OffreActionFactory(etablissement=cast.lycee_a)
    url = reverse("parcours:offre")
    un = _nb_requetes(client, url, django_assert_max_num_queries)
    for _ in range(49):
        OffreActionFactory(etablissement=cast.lycee_a)
    assert _nb_requetes(client, url, django_assert_max_num_queries) == un


def test_detail_journalise_la_lecture(cast, client_de, inscription):
    client_de(cast.conseiller_a).get(reverse("parcours:detail", kwargs={"uuid": inscription.uuid}))
    assert JournalAcces.objects.filter(action="lecture", objet_uuid=inscription.uuid).count() == 1


def test_inscrire_depuis_le_reperage(cast, client_de):
    j = JeuneFactory(etablissement=cast.lycee_a)
    ReperageFactory(jeune=j, campagne=cast.campagne, diplome="bma")
    client = client_de(cast.chef_a)
    url = reverse("parcours:inscrire", kwargs={"jeune_uuid": j.uuid})
    r = client.get(url)
    assert "APRO PLUS 4" in r.content.decode()
    r = client.post(url, {"date_entree": "20/08/2026", "statut": "en_cours", "numero_imilo": "42 42"})
    page = r.content.decode()
    assert r.status_code == 200
    assert "ne peut précéder le 01/09/2026" in page and "Désignez un référent" in page
    assert 'value="42 42"' in page  # what was typed is kept
    r = client.post(
        url, {"date_entree": "31/10/2026", "statut": "en_cours", "referent": cast.referent_a.pk, "boursier": "on"}
    )
    i = Inscription.objects.get(jeune=j)
    assert r.status_code == 302 and i.mef == "apro_plus_4" and i.date_fin_prevue == D(2027, 2, 28)


def test_modification_concurrente_refusee_et_saisie_conservee(cast, client_de, inscription):
    client = client_de(cast.referent_a)
    url = reverse("parcours:modifier", kwargs={"uuid": inscription.uuid})
    version = inscription.version
    Inscription.objects.filter(pk=inscription.pk).update(version=version + 1)  # someone else saved
    r = client.post(
        url,
        {
            "version": version,
            "date_entree": "14/09/2026",
            "statut": "en_cours",
            "referent": cast.referent_a.pk,
            "numero_imilo": "99 88 77",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "modifié par quelqu&#x27;un d&#x27;autre" in page or "modifié par quelqu'un d'autre" in page
    assert 'value="99 88 77"' in page
    inscription.refresh_from_db()
    assert inscription.numero_imilo == ""


def test_sortie_incomplete_message_francais(cast, client_de, inscription):
    client = client_de(cast.referent_a)
    r = client.post(
        reverse("parcours:sortie", kwargs={"uuid": inscription.uuid}),
        {"version": inscription.version, "date_sortie": "18/12/2026", "motif_sortie": "fin_parcours"},
    )
    assert r.status_code == 200
    assert "Indiquez la situation à la sortie" in r.content.decode()
    inscription.refresh_from_db()
    assert inscription.date_sortie is None


def test_action_apres_la_limite_refusee_a_l_ecran(cast, client_de, inscription):
    r = client_de(cast.referent_a).post(
        reverse("parcours:actions", kwargs={"uuid": inscription.uuid}),
        {
            "type": "tre",
            "intitule": "Atelier tardif",
            "type_lieu": "lycee",
            "date_debut": "04/01/2027",
            "date_fin": "29/01/2027",
            "statut": "prevue",
        },
    )
    assert "ne peut finir après la fin du parcours (13/01/2027" in r.content.decode()
    assert not Action.objects.filter(intitule="Atelier tardif").exists()


def test_action_d_un_autre_lycee_du_reseau(cast, client_de, inscription):
    cast.lycee_a.reseau = cast.lycee_b.reseau = "Réseau Est"
    cast.lycee_a.save()
    cast.lycee_b.save()
    lointain = EtablissementFactory(bassin="Ailleurs")
    offre_b = OffreActionFactory(etablissement=cast.lycee_b, intitule="Atelier du lycée B", type="cps")
    OffreActionFactory(etablissement=lointain, intitule="Hors réseau")
    client = client_de(cast.referent_a)
    page = client.get(reverse("parcours:offre")).content.decode()
    assert "Atelier du lycée B" in page and "Hors réseau" not in page
    r = client.post(
        reverse("parcours:actions", kwargs={"uuid": inscription.uuid}),
        {
            "offre": offre_b.pk,
            "type_lieu": "lycee",
            "date_debut": "21/09/2026",
            "date_fin": "02/10/2026",
            "statut": "prevue",
        },
    )
    assert r.status_code == 302
    a = Action.objects.get(inscription=inscription)
    assert a.offre == offre_b and a.type == "cps" and a.intitule == "Atelier du lycée B"


def test_gauge_et_refus_au_dela_du_plafond(cast, client_de, inscription):
    PFMPFactory(inscription=inscription, date_debut=D(2026, 9, 14), date_fin=D(2026, 11, 27))
    client = client_de(cast.referent_a)
    url = reverse("parcours:pfmp", kwargs={"uuid": inscription.uuid})
    assert "PFMP : 54 j / 56 j autorisés" in client.get(url).content.decode()
    r = client.post(
        url,
        {
            "type": "stage",
            "entreprise": "Garage",
            "date_debut": "30/11/2026",
            "date_fin": "04/12/2026",
            "heures_hebdo": "35",
        },
    )
    assert "59 j pour 56 j autorisés" in r.content.decode()
    assert PFMP.objects.filter(inscription=inscription).count() == 1


def test_creneau_sur_vacances_averti(cast, client_de, inscription):
    a = ActionFactory(inscription=inscription, date_debut=D(2026, 10, 12), date_fin=D(2026, 11, 6))
    r = client_de(cast.referent_a).post(
        reverse("parcours:action", kwargs={"uuid": inscription.uuid, "action_uuid": a.uuid}),
        {"formulaire": "creneau", "jour": 0, "heure_debut": "09:00", "heure_fin": "12:00"},
        follow=True,
    )
    page = r.content.decode()
    assert "Attention : ce créneau tombe sur des vacances scolaires" in page
    assert "26/10/2026" in page
    assert a.creneaux.count() == 1


def test_saisie_de_la_semaine_tout_present(cast, client_de, inscription):
    PFMPFactory(inscription=inscription, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 13))
    client = client_de(cast.referent_a)
    url = reverse("parcours:presences", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-11-09"
    r = client.post(
        url,
        {
            "tout_present": "1",
            "statut_20261110_matin": "absent_justifie",
            "motif_20261110_matin": "Rendez-vous médical",
            "statut_20261112_apres_midi": "absent_non_justifie",
        },
    )
    assert r.status_code == 302
    # 10 half-days minus Armistice (two half-days): 8 recorded
    assert inscription.presences.count() == 8
    assert inscription.presences.filter(pfmp__isnull=False).count() == 8
    page = client.get(url).content.decode()
    assert "75 %" in page
    r = client.post(url, {"statut_20261109_matin": "absent_justifie"})
    assert "indiquez le motif" in r.content.decode()


def test_exports_siecle_et_gratifications(cast, client_de, inscription):
    pf = PFMPFactory(inscription=inscription, date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 13))
    for periode in ("matin", "apres_midi"):
        Presence.objects.create(
            inscription=inscription, date=D(2026, 11, 2), periode=periode, statut="present", pfmp=pf
        )
    Presence.objects.create(
        inscription=inscription, date=D(2026, 11, 3), periode="matin", statut="absent_non_justifie", pfmp=pf
    )
    client = client_de(cast.chef_a)
    siecle = list(
        csv.reader(
            io.StringIO(client.get(reverse("parcours:export_siecle")).getvalue().decode("utf-8-sig")), delimiter=";"
        )
    )
    assert siecle[0] == [
        "INE",
        "NOM",
        "PRENOMS",
        "CODE_MEF",
        "LIBELLE_MEF",
        "DATE_ENTREE",
        "DATE_SORTIE",
        "MOTIF_SORTIE",
    ]
    assert siecle[1] == ["123456789AB", "DURAND", inscription.jeune.prenoms, "",
                         "APRO PLUS 3 – AVENIR PRO PLUS NIVEAU 3", "14/09/2026", "", ""]  # fmt: skip
    grat = list(
        csv.reader(
            io.StringIO(client.get(reverse("parcours:export_gratifications")).getvalue().decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert grat[1] == [inscription.etablissement.uai, "123456789AB", "DURAND", inscription.jeune.prenoms,
                       "APRO PLUS 3", "1", "15,00", "15,00", "", ""]  # fmt: skip
    assert JournalAcces.objects.filter(action="export").count() == 2
    assert (
        client_de(cast.chef_b).get(reverse("parcours:export_siecle")).getvalue().decode("utf-8-sig").count("\n") == 1
    )


def test_agenda_ics_secret_et_revocable(cast, client_de, inscription, client):
    a = ActionFactory(
        inscription=inscription, intitule="Atelier TRE", date_debut=D(2026, 9, 14), date_fin=D(2026, 9, 25)
    )
    a.creneaux.create(jour=1, heure_debut=datetime.time(9), heure_fin=datetime.time(12))
    referent = client_de(cast.referent_a)
    referent.post(reverse("parcours:jeton_ics", kwargs={"uuid": inscription.uuid}))
    inscription.refresh_from_db()
    url = reverse("parcours:ics", kwargs={"jeton": inscription.jeton_ics})
    referent.logout()
    r = client.get(url)
    texte = r.content.decode()
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    # One weekly event (RRULE) for the slot's two Tuesdays (tests/parcours/test_agenda_rfc5545.py expands it).
    assert texte.count("BEGIN:VEVENT") == 1 and "SUMMARY:Atelier TRE" in texte
    assert "DTSTART;TZID=Europe/Paris:20260915T090000" in texte
    assert "RRULE:FREQ=WEEKLY;UNTIL=20260922T070000Z" in texte and "BEGIN:VTIMEZONE" in texte
    client_de(cast.referent_a).post(
        reverse("parcours:jeton_ics", kwargs={"uuid": inscription.uuid}), {"revoquer": "1"}
    )
    client.logout()
    assert client.get(url).status_code == 404


def test_import_de_l_offre(cast, client_de):
    client = client_de(cast.chef_a)
    url = reverse("parcours:offre_importer")
    from django.core.files.uploadedfile import SimpleUploadedFile

    mauvais = "TYPE;INTITULE;DEBUT;FIN\ntre;Atelier CV;01/10/2026;15/10/2026\ninconnu;X;32/10/2026;\n".encode("cp1252")
    r = client.post(url, {"etablissement": cast.lycee_a.pk, "fichier": SimpleUploadedFile("o.csv", mauvais)})
    page = r.content.decode()
    assert (
        "Ligne 3 : type d&#x27;action « inconnu » inconnu." in page
        or "Ligne 3 : type d'action « inconnu » inconnu." in page
    )
    assert "Ligne 3 : date « 32/10/2026 » invalide" in page
    assert not OffreAction.objects.exists()
    bon = "\ufeffTYPE;INTITULE;LIEU;HEURES;CAPACITE;EN PLUS\nCompétences psychosociales;Estime de soi;CIO;3,5;12;x\n"
    r = client.post(url, {"etablissement": cast.lycee_a.pk, "fichier": SimpleUploadedFile("o.csv", bon.encode())})
    assert r.status_code == 302
    o = OffreAction.objects.get()
    assert (o.type, o.intitule, str(o.heures_hebdo), o.capacite) == ("cps", "Estime de soi", "3.5", 12)


def test_bilan_envoye_au_chef(cast, client_de, inscription):
    client = client_de(cast.referent_a)
    client.post(reverse("parcours:bilan", kwargs={"uuid": inscription.uuid}), {"observations": "Très bon parcours"})
    r = client.post(reverse("parcours:bilan_envoyer", kwargs={"uuid": inscription.uuid}))
    assert r.status_code == 302
    assert cast.chef_a.notifications.count() == 1
    assert inscription.bilan.envoye_le is not None


def test_emploi_du_temps_pdf_et_ecran_signalent_les_conges(cast, client_de, inscription, tmp_path):
    import subprocess

    a = ActionFactory(
        inscription=inscription, intitule="Atelier orientation", date_debut=D(2026, 11, 2), date_fin=D(2026, 11, 20)
    )
    a.creneaux.create(jour=2, heure_debut=datetime.time(14), heure_fin=datetime.time(16, 30))
    client = client_de(cast.conseiller_a)
    url = reverse("parcours:emploi_du_temps_pdf", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-11-09"
    r = client.get(url)
    assert r["Content-Type"] == "application/pdf"
    chemin = tmp_path / "edt.pdf"
    chemin.write_bytes(r.content)
    texte = " ".join(subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True).stdout.split())
    assert "Emploi du temps – DURAND" in texte
    assert "Jour férié : Armistice" in texte and "Atelier orientation" in texte and "14:00–16:30" in texte
    assert "Attention : créneau pendant un congé" in texte
    assert JournalAcces.objects.filter(action="pdf", objet_uuid=inscription.uuid).count() == 1


def test_le_chef_modifie_un_parcours_clos_sans_le_rouvrir(cast, client_de, inscription):
    from parcours import services

    services.cloturer(
        inscription=inscription,
        version=inscription.version,
        date_sortie=D(2026, 12, 1),
        motif_sortie="fin_parcours",
        situation_sortie="emploi",
    )
    inscription.refresh_from_db()
    assert (
        client_de(cast.referent_a).get(reverse("parcours:modifier", kwargs={"uuid": inscription.uuid})).status_code
        == 404
    )
    r = client_de(cast.chef_a).post(
        reverse("parcours:modifier", kwargs={"uuid": inscription.uuid}),
        {
            "version": inscription.version,
            "date_entree": "14/09/2026",
            "statut": "sortie",
            "referent": cast.referent_a.pk,
            "numero_imilo": "31415926",
        },
    )
    assert r.status_code == 302
    inscription.refresh_from_db()
    assert (inscription.statut, inscription.numero_imilo) == ("sortie", "31415926")


def test_modifier_une_action_de_l_offre(cast, client_de):
    o = OffreActionFactory(etablissement=cast.lycee_a, intitule="Atelier CV")
    autre = OffreActionFactory(etablissement=cast.lycee_b, intitule="Atelier B")
    client = client_de(cast.referent_a)
    url = reverse("parcours:offre_modifier", kwargs={"uuid": o.uuid})
    r = client.post(
        url,
        {
            "type": "tre",
            "intitule": "Atelier CV (2e session)",
            "etablissement": cast.lycee_a.pk,
            "type_lieu": "lycee",
            "date_debut": "05/10/2026",
            "date_fin": "01/10/2026",
        },
    )
    assert "La fin ne peut précéder le début." in r.content.decode()
    r = client.post(
        url,
        {
            "type": "tre",
            "intitule": "Atelier CV (2e session)",
            "etablissement": cast.lycee_a.pk,
            "type_lieu": "lycee",
            "capacite": "10",
        },
    )
    assert r.status_code == 302
    o.refresh_from_db()
    assert (o.intitule, o.capacite) == ("Atelier CV (2e session)", 10)
    assert client.get(reverse("parcours:offre_modifier", kwargs={"uuid": autre.uuid})).status_code == 404


def test_grille_d_assiduite_indique_le_lieu_du_creneau(cast, client_de, inscription):
    a = ActionFactory(
        inscription=inscription, lieu="Mission locale Rhône Est", date_debut=D(2026, 9, 14), date_fin=D(2026, 10, 9)
    )
    a.creneaux.create(jour=1, heure_debut=datetime.time(14), heure_fin=datetime.time(16))
    r = client_de(cast.referent_a).get(
        reverse("parcours:presences", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-09-14"
    )
    lignes = {(li["date"], li["periode"]): li["lieu"] for li in r.context["lignes"]}
    assert lignes[(D(2026, 9, 15), "apres_midi")] == "Mission locale Rhône Est"
    assert lignes[(D(2026, 9, 15), "matin")] == "Lycée / mission locale"
