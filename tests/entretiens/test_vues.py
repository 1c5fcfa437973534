import datetime
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from avenirpro.models import JournalAcces, Notification
from eleves.models import Reperage
from entretiens.models import CreneauEntretien, Entretien, Invitation
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.entretiens.factories import EntretienFactory, InvitationFactory, ReunionFactory
from tests.matrice import construire_scenario

pytestmark = pytest.mark.django_db

SECRET = "Traitement-confidentiel-XYZ"


def texte_pdf(contenu: bytes) -> str:
    """The PDF's text with whitespace collapsed (words wrapped inside a table cell stay findable)."""
    r = subprocess.run(["pdftotext", "-", "-"], input=contenu, capture_output=True, check=True)
    return " ".join(r.stdout.decode().split())


@pytest.fixture
def s(cast):
    s = construire_scenario(cast)
    e = s.entretien_a
    e.sante, e.famille, e.justice, e.finances = SECRET, "Famille-secrete", "Justice-secrete", "Finances-secretes"
    e.situation = "Cherche un apprentissage"
    e.freins = ["mobilite", "garde_enfant"]
    e.save()
    e.participants.add(s.conseiller_a, s.psy_a)
    return s


# --- Sensitive sections ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("membre", ["chef_a", "referent_a"])
def test_role_non_autorise_ne_voit_jamais_les_sections_sensibles(s, client_de, membre):
    client = client_de(getattr(s, membre))
    for nom in ("entretiens:entretien_detail", "entretiens:entretien_modifier"):
        r = client.get(reverse(nom, kwargs={"uuid": s.entretien_a.uuid}))
        page = r.content.decode()
        assert r.status_code == 200
        for secret in (SECRET, "Famille-secrete", "Justice-secrete", "Finances-secretes"):
            assert secret not in page
        assert "section sensible" in page
    r = client.get(reverse("entretiens:entretien_pdf", kwargs={"uuid": s.entretien_a.uuid}))
    texte = texte_pdf(r.content)
    assert "Cherche un apprentissage" in texte
    assert SECRET not in texte and "Finances-secretes" not in texte
    assert "section sensible a été renseignée" in texte


@pytest.mark.parametrize("membre", ["conseiller_a", "psy_a", "mlds_a"])
def test_les_professionnels_de_l_entretien_voient_les_sections_sensibles(s, client_de, membre):
    client = client_de(getattr(s, membre))
    r = client.get(reverse("entretiens:entretien_detail", kwargs={"uuid": s.entretien_a.uuid}))
    assert SECRET in r.content.decode()
    r = client.get(reverse("entretiens:entretien_pdf", kwargs={"uuid": s.entretien_a.uuid}))
    assert SECRET in texte_pdf(r.content)


def test_un_post_non_autorise_n_ecrase_jamais_les_sections_sensibles(s, client_de):
    client = client_de(s.chef_a)
    r = client.post(
        reverse("entretiens:entretien_modifier", kwargs={"uuid": s.entretien_a.uuid}),
        {
            "type": "entree",
            "statut": "realise",
            "jour": "2026-09-20",
            "heure": "10:00",
            "situation": "Modifiée par le chef",
            "sante": "",
            "famille": "écrasé",
            "justice": "",
            "finances": "",
            "france_travail_verifie": "on",
        },
    )
    assert r.status_code == 302
    e = Entretien.objects.get(pk=s.entretien_a.pk)
    assert e.situation == "Modifiée par le chef"
    assert (e.sante, e.famille, e.justice, e.finances) == (
        SECRET,
        "Famille-secrete",
        "Justice-secrete",
        "Finances-secretes",
    )
    assert e.france_travail_verifie is False  # only a mission locale counsellor checks the registration


def test_le_conseiller_saisit_sections_sensibles_et_verification_france_travail(s, client_de):
    client = client_de(s.conseiller_a)
    r = client.post(
        reverse("entretiens:entretien_creer", kwargs={"jeune_uuid": s.jeune_a.uuid}),
        {
            "type": "approfondi",
            "statut": "realise",
            "jour": "2026-09-20",
            "heure": "10:30",
            "participants": [s.conseiller_a.pk, s.psy_a.pk],
            "projet": "apprentissage",
            "freins": ["logement", "administratif"],
            "france_travail_declare": "on",
            "france_travail_verifie": "on",
            "sante": "Nouveau suivi",
            "decision": "entree_confirmee",
            "prochaine_etape": "Inscription",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    e = Entretien.objects.get(type="approfondi")
    assert e.auteur == s.conseiller_a and e.campagne == s.campagne
    assert e.freins == ["logement", "administratif"] and e.sante == "Nouveau suivi"
    assert e.france_travail_verifie and e.france_travail_declare
    assert e.date == timezone.make_aware(datetime.datetime(2026, 9, 20, 10, 30))
    assert set(e.participants.all()) == {s.conseiller_a, s.psy_a}
    # The chef is told that the entry is confirmed.
    assert Notification.objects.filter(destinataire=s.chef_a, cle=f"entree-confirmee-{e.uuid}").exists()


def test_formulaire_invalide_garde_la_saisie_et_explique(s, client_de):
    client = client_de(s.conseiller_a)
    r = client.post(
        reverse("entretiens:entretien_creer", kwargs={"jeune_uuid": s.jeune_a.uuid}),
        {
            "type": "entree",
            "statut": "planifie",
            "jour": "31/02/2026",
            "heure": "10:00",
            "situation": "Texte gardé",
            "decision": "refus",
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "Texte gardé" in page
    assert "Saisissez une date valide" in page
    assert Entretien.objects.filter(jeune=s.jeune_a).count() == 1


def test_entree_confirmee_montre_l_inscription_au_chef(s, client_de):
    s.entretien_a.decision = Entretien.Decision.ENTREE_CONFIRMEE
    s.entretien_a.save()
    page = client_de(s.chef_a).get(reverse("entretiens:entretien_detail", kwargs={"uuid": s.entretien_a.uuid}))
    assert "Entrée confirmée" in page.content.decode()


def test_consultation_et_pdf_sont_journalises(s, client_de):
    client = client_de(s.conseiller_a)
    client.get(reverse("entretiens:entretien_detail", kwargs={"uuid": s.entretien_a.uuid}))
    client.get(reverse("entretiens:entretien_pdf", kwargs={"uuid": s.entretien_a.uuid}))
    client.get(reverse("entretiens:reunion_emargement", kwargs={"uuid": s.reunion_a.uuid}))
    actions = list(JournalAcces.objects.filter(utilisateur=s.conseiller_a).values_list("action", "objet_uuid"))
    assert ("lecture", s.entretien_a.uuid) in actions
    assert ("pdf", s.entretien_a.uuid) in actions
    assert ("pdf", s.reunion_a.uuid) in actions


# --- PDFs of the meeting ---------------------------------------------------------------------------------------


def test_feuille_d_emargement_et_courriers(s, client_de):
    InvitationFactory(reunion=s.reunion_a, jeune=JeuneFactory(etablissement=s.lycee_a, nom="MARTINEZ", prenoms="Inès"))
    client = client_de(s.chef_a)
    r = client.get(reverse("entretiens:reunion_emargement", kwargs={"uuid": s.reunion_a.uuid}))
    assert r["Content-Type"] == "application/pdf"
    texte = texte_pdf(r.content)
    assert "Feuille d'émargement" in texte
    assert "MARTINEZ" in texte and "JEUNE-A" in texte and "Signature" in texte
    assert timezone.localtime(s.reunion_a.debut).strftime("%d/%m/%Y") in texte
    assert "JEUNE-B" not in texte
    r = client.get(reverse("entretiens:reunion_courriers", kwargs={"uuid": s.reunion_a.uuid}))
    texte = texte_pdf(r.content)
    assert texte.count("Objet : invitation à la réunion d'information collective AvenirPro+") == 2
    assert "Inès MARTINEZ" in texte


def test_fiche_entretien_pdf_contenu(s, client_de):
    r = client_de(s.conseiller_a).get(reverse("entretiens:entretien_pdf", kwargs={"uuid": s.entretien_a.uuid}))
    texte = texte_pdf(r.content)
    for attendu in (
        "Fiche d'entretien",
        "Entretien individuel d'entrée",
        "JEUNE-A",
        "Mobilité",
        "Garde d'enfant",
        "Signatures",
        "Pour la mission locale",
        "Psychologue de l'Éducation nationale",
    ):
        assert attendu in texte, attendu


# --- Invitation and attendance screens -------------------------------------------------------------------------


def test_inviter_toute_la_liste_a_contacter(s, client_de, taches_apres_commit):
    a_contacter = [
        ReperageFactory(jeune=JeuneFactory(etablissement=s.lycee_a, email="x@exemple.fr"), campagne=s.campagne)
        for _ in range(3)
    ]
    ReperageFactory(
        jeune=JeuneFactory(etablissement=s.lycee_a),
        campagne=s.campagne,
        statut_contact=Reperage.StatutContact.SOLUTION_TROUVEE,
    )
    client = client_de(s.chef_a)
    url = reverse("entretiens:reunion_inviter", kwargs={"uuid": s.reunion_a.uuid})
    page = client.get(url).content.decode()
    assert "Tout sélectionner" in page
    for r in a_contacter:
        assert r.jeune.nom in page
    with taches_apres_commit():
        r = client.post(url + "?statut=a_contacter", {"tous": "1"})
    assert r.status_code == 302
    invites = set(s.reunion_a.invitations.values_list("jeune_id", flat=True))
    assert invites == {s.jeune_a.pk} | {r.jeune_id for r in a_contacter}
    assert len(mail.outbox) == 3 and all("AvenirPro+" in m.subject for m in mail.outbox)


def test_presences_ligne_incomplete_rien_n_est_ecrit(s, client_de):
    # Attendance is recorded from the meeting's day on: this meeting took place an hour ago.
    s.reunion_a.debut = timezone.now() - datetime.timedelta(hours=1)
    s.reunion_a.save(update_fields=["debut"])
    autre = InvitationFactory(reunion=s.reunion_a, jeune=JeuneFactory(etablissement=s.lycee_a))
    client = client_de(s.chef_a)
    url = reverse("entretiens:reunion_presences", kwargs={"uuid": s.reunion_a.uuid})
    r = client.post(url, {f"presence-{s.invitation_a.uuid}": "present", f"presence-{autre.uuid}": ""})
    assert r.status_code == 200
    assert "Choisissez une valeur de présence" in r.content.decode()
    s.invitation_a.refresh_from_db()
    assert s.invitation_a.presence == Invitation.Presence.A_RENSEIGNER
    r = client.post(url, {f"presence-{s.invitation_a.uuid}": "present", f"presence-{autre.uuid}": "excuse"})
    assert r.status_code == 302
    autre.refresh_from_db()
    assert autre.presence == "excuse"


@time_machine.travel(datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
def test_creer_une_reunion_envoie_l_invitation_a_la_mission_locale(cast, client_de, taches_apres_commit):
    client = client_de(cast.chef_a)
    with taches_apres_commit():
        r = client.post(
            reverse("entretiens:reunion_creer"),
            {
                "etablissement": cast.lycee_a.pk,
                "mission_locale": cast.ml_a.pk,
                "jour": "2026-12-15",
                "heure": "14:00",
                "lieu": "CDI",
                "duree_minutes": 90,
                "capacite": 30,
                "intervenants": "N. Conseillère",
            },
        )
    assert r.status_code == 302
    (m,) = mail.outbox
    assert m.to == [cast.ml_a.email] and "AvenirPro+" in m.subject
    r = client.post(
        reverse("entretiens:reunion_creer"),
        {
            "etablissement": cast.lycee_a.pk,
            "mission_locale": cast.ml_b.pk,
            "jour": "2026-12-15",
            "heure": "14:00",
            "lieu": "CDI",
            "duree_minutes": 90,
        },
    )
    assert r.status_code == 200 and "Sélectionnez un choix valide" in r.content.decode()
    assert s_reunions() == 1


def s_reunions():
    from entretiens.models import Reunion

    return Reunion.objects.count()


def test_creneau_propose_puis_reserve(cast, client_de):
    jeune = JeuneFactory(etablissement=cast.lycee_a)
    client = client_de(cast.chef_a)
    jour = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    r = client.post(
        reverse("entretiens:creneau_creer"),
        {"etablissement": cast.lycee_a.pk, "jour": jour, "heure": "09:00", "duree_minutes": 45, "lieu": "Bureau 3"},
    )
    assert r.status_code == 302
    creneau = CreneauEntretien.objects.get()
    r = client.post(
        reverse("entretiens:creneau_reserver", kwargs={"uuid": creneau.uuid}), {"jeune": jeune.pk, "type": "entree"}
    )
    assert r.status_code == 302
    creneau.refresh_from_db()
    assert creneau.entretien.jeune == jeune and creneau.entretien.statut == "planifie"
    page = client.get(reverse("entretiens:reunions")).content.decode()
    assert jeune.nom in page


# --- Query counts (same with 1 and 50 rows) ----------------------------------------------------------------------


def _compter(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: the session's idle timer and the site settings are written / read once a minute
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_nombre_de_requetes_liste_des_reunions(cast, client_de):
    client = client_de(cast.chef_a)
    url = reverse("entretiens:reunions")

    def peupler(n):
        for _ in range(n):
            r = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
            InvitationFactory(reunion=r, jeune=JeuneFactory(etablissement=cast.lycee_a))
            CreneauEntretien.objects.create(
                etablissement=cast.lycee_a,
                debut=timezone.now() + datetime.timedelta(days=2),
                lieu="B",
                propose_par=cast.conseiller_a,
            )
            e = EntretienFactory(
                jeune=JeuneFactory(etablissement=cast.lycee_a),
                campagne=cast.campagne,
                statut="planifie",
                date=timezone.now() + datetime.timedelta(days=1),
            )
            e.participants.add(cast.chef_a)

    peupler(1)
    un = _compter(client, url, None)
    peupler(49)
    assert _compter(client, url, None) == un


def test_nombre_de_requetes_detail_reunion_et_presences(cast, client_de):
    client = client_de(cast.chef_a)
    r = ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, mission_locale=cast.ml_a)
    InvitationFactory(reunion=r, jeune=JeuneFactory(etablissement=cast.lycee_a))
    urls = [
        reverse(n, kwargs={"uuid": r.uuid})
        for n in ("entretiens:reunion_detail", "entretiens:reunion_presences", "entretiens:reunion_inviter")
    ]
    ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    avant = [_compter(client, u, None) for u in urls]
    for _ in range(49):
        InvitationFactory(reunion=r, jeune=JeuneFactory(etablissement=cast.lycee_a))
        ReperageFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    assert [_compter(client, u, None) for u in urls] == avant


def test_nombre_de_requetes_detail_entretien(cast, client_de):
    from tests.avenirpro.factories import avec_role

    client = client_de(cast.conseiller_a)
    e = EntretienFactory(jeune=JeuneFactory(etablissement=cast.lycee_a), campagne=cast.campagne)
    e.participants.add(cast.conseiller_a)
    urls = [
        reverse(n, kwargs={"uuid": e.uuid}) for n in ("entretiens:entretien_detail", "entretiens:entretien_modifier")
    ]
    avant = [_compter(client, u, None) for u in urls]
    for i in range(49):
        e.participants.add(avec_role("psy_en", etablissement=cast.lycee_a, email=f"psy{i}@test.fr"))
    assert [_compter(client, u, None) for u in urls] == avant


def test_le_filtre_de_statut_porte_sur_le_reperage_de_la_campagne_de_la_reunion(s, client_de):
    from tests.avenirpro.factories import CampagneFactory

    ancienne = CampagneFactory(nom="Session 2025", session=2025)
    jeune = JeuneFactory(etablissement=s.lycee_a, nom="HISTORIQUE")
    ReperageFactory(jeune=jeune, campagne=ancienne)  # «à contacter» in the old campaign
    ReperageFactory(jeune=jeune, campagne=s.campagne, statut_contact=Reperage.StatutContact.SOLUTION_TROUVEE)
    url = reverse("entretiens:reunion_inviter", kwargs={"uuid": s.reunion_a.uuid})
    client = client_de(s.chef_a)
    assert "HISTORIQUE" not in client.get(url).content.decode()
    page = client.get(url + "?statut=").content.decode()
    assert page.count("HISTORIQUE") == 2  # one row: the name cell and the hidden checkbox label


def test_courrier_d_un_seul_jeune(s, client_de):
    autre = InvitationFactory(
        reunion=s.reunion_a, jeune=JeuneFactory(etablissement=s.lycee_a, nom="SANSMAIL", email="")
    )
    client = client_de(s.chef_a)
    url = reverse("entretiens:reunion_courriers", kwargs={"uuid": s.reunion_a.uuid})
    assert (
        f"?invitation={autre.uuid}"
        in client.get(reverse("entretiens:reunion_detail", kwargs={"uuid": s.reunion_a.uuid})).content.decode()
    )
    texte = texte_pdf(client.get(url, {"invitation": autre.uuid}).content)
    assert "SANSMAIL" in texte and "JEUNE-A" not in texte
    # An invitation of another meeting, or garbage, gives no letter.
    assert client.get(url, {"invitation": s.invitation_b.uuid}).status_code == 302
    assert client.get(url, {"invitation": "pas-un-uuid"}).status_code == 302


def test_fragment_des_entretiens_d_un_jeune(s):
    from django.template.loader import render_to_string

    s.entretien_a.decision = Entretien.Decision.ENTREE_CONFIRMEE
    s.entretien_a.save()
    html = render_to_string(
        "entretiens/_entretiens_jeune.html",
        {"jeune": s.jeune_a, "entretiens": Entretien.objects.du_jeune(s.chef_a, s.jeune_a), "peut_saisir": True},
    )
    assert "Entretien individuel d&#x27;entrée" in html and "Entrée confirmée" in html
    assert reverse("entretiens:entretien_creer", kwargs={"jeune_uuid": s.jeune_a.uuid}) in html
    assert list(Entretien.objects.du_jeune(s.chef_b, s.jeune_a)) == []


def test_liste_des_reunions_par_campagne_et_export_du_meme_choix(client_de, cast):
    """«Réunions et entretiens»: every campaign by default, one with `?campagne=<session>` — the export follows."""
    import csv
    import io

    from tests.avenirpro.factories import CampagneFactory

    ancienne = CampagneFactory(session=2025)
    ReunionFactory(etablissement=cast.lycee_a, campagne=ancienne, lieu="Salle de l'ancienne campagne")
    ReunionFactory(etablissement=cast.lycee_a, campagne=cast.campagne, lieu="Salle de la campagne en cours")
    client = client_de(cast.chef_a)
    url = reverse("entretiens:reunions")

    toutes = client.get(url).content.decode()
    assert "Salle de l&#x27;ancienne campagne" in toutes and "Salle de la campagne en cours" in toutes
    assert 'id="choix-campagne"' in toutes and "Toutes les campagnes" in toutes

    seule = client.get(url, {"campagne": "2025"}).content.decode()
    assert "Salle de l&#x27;ancienne campagne" in seule and "Salle de la campagne en cours" not in seule
    assert '<option value="2025" selected>' in seule

    export = client.get(reverse("entretiens:reunions_export", kwargs={"format": "csv"}), {"campagne": "2025"})
    texte = b"".join(export.streaming_content).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert len(lignes) == 2 and "Salle de l'ancienne campagne" in lignes[1]
    # A value that is not a session changes nothing (and never errs).
    assert client.get(url, {"campagne": "x'; --"}).status_code == 200
