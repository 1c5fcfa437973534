"""Attendance without lost writes, the register («faire l'appel»), the half-days expected and the référent's screen.

Each cell of a grid carries the value it showed when drawn: only changed cells are written, a cell changed since by
someone else refuses the whole save, and nothing is overwritten."""

import datetime
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avenirpro.acces import peut_modifier_parcours, q_parcours_modifiables
from entretiens import services as services_entretiens
from entretiens.models import Invitation
from parcours import regles, services
from parcours.models import Action, Creneau, Inscription, Presence
from tests.eleves.factories import JeuneFactory, ReperageFactory
from tests.matrice import MEMBRES, construire_scenario
from tests.parcours.factories import ActionFactory, InscriptionFactory, OffreActionFactory, PFMPFactory

D = datetime.date
PARIS = ZoneInfo("Europe/Paris")
MERCREDI = datetime.datetime(2026, 9, 23, 10, 0, tzinfo=PARIS)  # Wednesday of the week of 21/09/2026


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


MOI = object()


def _inscription(cast, nom="DURAND", referent=MOI, lycee=None):
    jeune = JeuneFactory(etablissement=lycee or cast.lycee_a, nom=nom)
    ReperageFactory(jeune=jeune, campagne=cast.campagne, diplome="cap")
    return InscriptionFactory(
        jeune=jeune,
        campagne=cast.campagne,
        referent=cast.referent_a if referent is MOI else referent,
        conseiller=cast.conseiller_a,
        statut="en_cours",
    )


@pytest.fixture
def inscription(cast):
    return _inscription(cast)


def _atelier(inscription, offre=None, jour=2, heure=9, debut=D(2026, 9, 14), fin=D(2026, 10, 16), **kw):
    action = ActionFactory(inscription=inscription, offre=offre, date_debut=debut, date_fin=fin, **kw)
    Creneau.objects.create(
        action=action, jour=jour, heure_debut=datetime.time(heure), heure_fin=datetime.time(heure + 2)
    )
    return action


def _ligne(inscription, jour, periode, statut, origine=None, motif=""):
    ligne = {"inscription": inscription, "date": jour, "periode": periode, "statut": statut, "motif": motif}
    if origine is not None:
        ligne["origine"] = origine
    return ligne


# --- The service: only changed cells, stale cells refused, all or nothing -----------------------------------------


def test_une_cellule_non_modifiee_ne_touche_pas_a_ce_qui_a_ete_enregistre_depuis(inscription, cast):
    Presence.objects.create(inscription=inscription, date=D(2026, 9, 21), periode="matin", statut="present")
    # The grid was drawn empty (before the save) and sent back unchanged: the saved «Présent» stays.
    r = services.enregistrer_appel(
        lignes=[_ligne(inscription, D(2026, 9, 21), "matin", "", origine=("", ""))], user=cast.referent_a
    )
    assert (r.modifiees, r.renseignees) == (0, 1)
    assert inscription.presences.get().statut == "present"


def test_une_cellule_changee_depuis_l_affichage_refuse_tout_l_enregistrement(inscription, cast):
    Presence.objects.create(
        inscription=inscription, date=D(2026, 9, 21), periode="matin", statut="absent_non_justifie"
    )
    lignes = [
        # drawn empty, someone has since saved «Absent»: this user's «Présent» would overwrite it
        _ligne(inscription, D(2026, 9, 21), "matin", "present", origine=("", "")),
        # a cell nobody else touched
        _ligne(inscription, D(2026, 9, 21), "apres_midi", "present", origine=("", "")),
    ]
    with pytest.raises(services.ConflitDeSaisie) as exc:
        services.enregistrer_appel(lignes=lignes, user=cast.referent_a)
    assert "Enregistrement refusé : 1 demi-journée(s)" in exc.value.messages[0]
    assert "« Absent non justifié »" in exc.value.messages[0]
    assert [(c[1], c[2], c[3]) for c in exc.value.cellules] == [(D(2026, 9, 21), "matin", ("absent_non_justifie", ""))]
    # nothing written, nothing overwritten
    assert list(inscription.presences.values_list("periode", "statut")) == [("matin", "absent_non_justifie")]


def test_une_cellule_qui_porte_deja_la_nouvelle_valeur_n_est_pas_un_conflit(inscription, cast):
    Presence.objects.create(inscription=inscription, date=D(2026, 9, 21), periode="matin", statut="present")
    r = services.enregistrer_appel(
        lignes=[_ligne(inscription, D(2026, 9, 21), "matin", "present", origine=("", ""))], user=cast.referent_a
    )
    assert r.modifiees == 0


def test_l_appel_de_plusieurs_jeunes_se_fait_en_entier_ou_pas_du_tout(inscription, cast):
    autre = _inscription(cast, nom="BERNARD")
    lignes = [
        _ligne(inscription, D(2026, 9, 21), "matin", "present", origine=("", "")),
        _ligne(autre, D(2026, 9, 21), "matin", "absent_justifie", origine=("", "")),  # no reason given
    ]
    with pytest.raises(services.ValidationError, match="BERNARD.*motif"):
        services.enregistrer_appel(lignes=lignes, user=cast.referent_a)
    assert not Presence.objects.exists()
    lignes[1]["motif"] = "Convocation au tribunal"
    r = services.enregistrer_appel(lignes=lignes, user=cast.referent_a)
    assert (r.modifiees, r.renseignees) == (2, 2)
    assert autre.presences.get().motif == "Convocation au tribunal"


def test_effacer_une_cellule_volontairement_reste_possible(inscription, cast):
    Presence.objects.create(inscription=inscription, date=D(2026, 9, 21), periode="matin", statut="present")
    services.enregistrer_appel(
        lignes=[_ligne(inscription, D(2026, 9, 21), "matin", "", origine=("present", ""))], user=cast.referent_a
    )
    assert not inscription.presences.exists()


# --- The week grid of one young person ------------------------------------------------------------------------------


def test_grille_renvoyee_telle_quelle_apres_un_enregistrement_ne_change_rien(cast, client_de, inscription):
    client = client_de(cast.referent_a)
    url = reverse("parcours:presences", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-09-21"
    vierge = client.get(url)
    grille = {
        f"{champ}_{li['cle']}": ""
        for li in vierge.context["lignes"]
        for champ in ("statut", "motif", "origine_statut", "origine_motif")
    }
    assert client.post(url, {**grille, "tout_present": "1"}).status_code == 302
    assert inscription.presences.filter(statut="present").count() == 10
    # The same grid, drawn before the save (the back button), sent again: nothing is erased.
    r = client.post(url, grille, follow=True)
    assert "Aucune modification : la semaine est déjà enregistrée (10 demi-journées)." in texte(r)
    assert inscription.presences.filter(statut="present").count() == 10


def test_grille_perimee_refusee_avec_les_valeurs_a_jour(cast, client_de, inscription):
    client = client_de(cast.referent_a)
    url = reverse("parcours:presences", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-09-21"
    Presence.objects.create(
        inscription=inscription, date=D(2026, 9, 22), periode="matin", statut="absent_justifie", motif="Médecin"
    )
    r = client.post(
        url,
        {
            # drawn empty, saved since by the counsellor
            "statut_20260922_matin": "present",
            "origine_statut_20260922_matin": "",
            "origine_motif_20260922_matin": "",
            # a change of this user on another cell: kept on screen, not saved
            "statut_20260923_matin": "retard",
            "origine_statut_20260923_matin": "",
            "origine_motif_20260923_matin": "",
        },
    )
    assert r.status_code == 200
    page = texte(r)
    assert "Enregistrement refusé" in page and "Rien n'a été enregistré ni effacé" in page
    lignes = {li["cle"]: li for li in r.context["lignes"]}
    assert (lignes["20260922_matin"]["statut"], lignes["20260922_matin"]["motif"]) == ("absent_justifie", "Médecin")
    assert lignes["20260922_matin"]["origine_statut"] == "absent_justifie"
    assert lignes["20260923_matin"]["statut"] == "retard"
    assert lignes["20260923_matin"]["origine_statut"] == ""
    assert list(inscription.presences.values_list("date", "statut")) == [(D(2026, 9, 22), "absent_justifie")]
    assert 'autocomplete="off"' in page


def test_grille_formset_ne_croit_que_les_demi_journees_tirees_par_le_serveur(cast, client_de, inscription):
    """The week grid is a formset whose forms are the ten half-days the server drew: counts sent by the client
    (management form), cells of another week and unknown statuses change nothing and never raise."""
    client = client_de(cast.referent_a)
    url = reverse("parcours:presences", kwargs={"uuid": inscription.uuid}) + "?semaine=2026-09-21"
    r = client.post(
        url,
        {
            "grille-TOTAL_FORMS": "100000",
            "grille-INITIAL_FORMS": "-3",
            "statut_20261005_matin": "present",  # another week
            "origine_statut_20261005_matin": "",
            "statut_20260921_matin": "inconnu",  # not a status: blank
            "origine_statut_20260921_matin": "",
            "origine_motif_20260921_matin": "",
            "statut_20260922_apres_midi": "absent_justifie",
            "motif_20260922_apres_midi": "  " + "M" * 300,  # stripped and cut at 200 characters
            "origine_statut_20260922_apres_midi": "",
            "origine_motif_20260922_apres_midi": "",
        },
    )
    assert r.status_code == 302
    assert list(inscription.presences.values_list("date", "periode", "statut")) == [
        (D(2026, 9, 22), "apres_midi", "absent_justifie")
    ]
    assert inscription.presences.get().motif == "M" * 200


# --- The collective meeting's attendance ----------------------------------------------------------------------------


def test_presences_de_reunion_perimees_refusees(cast, client_de):
    s = construire_scenario(cast)
    autre = Invitation.objects.create(reunion=s.reunion_a, jeune=JeuneFactory(etablissement=cast.lycee_a))
    Invitation.objects.filter(pk=s.invitation_a.pk).update(presence=Invitation.Presence.PRESENT)
    client = client_de(cast.chef_a)
    url = reverse("entretiens:reunion_presences", kwargs={"uuid": s.reunion_a.uuid})
    drawn = Invitation.Presence.A_RENSEIGNER
    r = client.post(
        url,
        {
            f"presence-{s.invitation_a.uuid}": Invitation.Presence.ABSENT,
            f"origine-{s.invitation_a.uuid}": drawn,
            f"presence-{autre.uuid}": Invitation.Presence.EXCUSE,
            f"origine-{autre.uuid}": drawn,
        },
    )
    assert r.status_code == 200
    assert "Enregistrement refusé" in texte(r)
    s.invitation_a.refresh_from_db()
    autre.refresh_from_db()
    assert (s.invitation_a.presence, autre.presence) == (Invitation.Presence.PRESENT, drawn)
    # Sent back unchanged after the save (the back button): nothing changes.
    r = client.post(
        url,
        {
            f"presence-{s.invitation_a.uuid}": drawn,
            f"origine-{s.invitation_a.uuid}": drawn,
            f"presence-{autre.uuid}": drawn,
            f"origine-{autre.uuid}": drawn,
        },
        follow=True,
    )
    assert "Aucune modification" in texte(r)
    s.invitation_a.refresh_from_db()
    assert s.invitation_a.presence == Invitation.Presence.PRESENT


def test_service_des_presences_de_reunion_sans_origine_inchange(cast):
    s = construire_scenario(cast)
    # Presence is recorded once the meeting has taken place (entretiens.services).
    s.reunion_a.debut = timezone.now() - datetime.timedelta(days=1)
    s.reunion_a.save(update_fields=["debut"])
    assert (
        services_entretiens.enregistrer_presences(reunion=s.reunion_a, presences={s.invitation_a.pk: "present"}) == 1
    )


# --- Expected half-days ----------------------------------------------------------------------------------------------


def test_demi_journees_attendues_creneaux_pfmp_feries_vacances(inscription):
    _atelier(inscription, jour=2, heure=9, lieu="Lycée Jean Moulin")  # Wednesday morning
    _atelier(inscription, jour=3, heure=14, lieu="Mission locale")  # Thursday afternoon
    abandon = _atelier(inscription, jour=4, heure=9)
    Action.objects.filter(pk=abandon.pk).update(statut="abandonnee")
    creneaux = list(Creneau.objects.filter(action__inscription=inscription).select_related("action"))
    pf = PFMPFactory(inscription=inscription, date_debut=D(2026, 11, 9), date_fin=D(2026, 11, 13))
    attendues = regles.demi_journees_attendues(inscription, creneaux, [pf], D(2026, 9, 21), D(2026, 9, 27))
    assert attendues == {
        (D(2026, 9, 23), "matin"): "Lycée Jean Moulin",
        (D(2026, 9, 24), "apres_midi"): "Mission locale",
    }
    # A PFMP week: both half-days of each working day, except Armistice (11/11).
    pfmp = regles.demi_journees_attendues(inscription, creneaux, [pf], D(2026, 11, 9), D(2026, 11, 15))
    assert len(pfmp) == 8 and (D(2026, 11, 11), "matin") not in pfmp
    # Before the entry: nothing.
    assert regles.demi_journees_attendues(inscription, creneaux, [pf], D(2026, 9, 7), D(2026, 9, 13)) == {}


def test_demi_journees_attendues_pas_pendant_les_vacances_scolaires(inscription):
    _atelier(inscription, jour=2, heure=9, fin=D(2026, 11, 30))
    creneaux = list(Creneau.objects.filter(action__inscription=inscription).select_related("action"))
    zone = inscription.etablissement.zone_vacances
    assert zone, "le lycée de test a une zone de vacances"
    assert regles.vacances_scolaires(D(2026, 10, 28), zone)
    assert regles.demi_journees_attendues(inscription, creneaux, [], D(2026, 10, 26), D(2026, 10, 30)) == {}


# --- Who may take the register ------------------------------------------------------------------------------------


def test_le_perimetre_de_l_appel_est_celui_de_peut_modifier_parcours(cast):
    s = construire_scenario(cast)
    sortie = _inscription(cast, nom="SORTI")
    Inscription.objects.filter(pk=sortie.pk).update(
        statut="sortie", date_sortie=D(2026, 12, 1), motif_sortie="abandon", situation_sortie="inconnue"
    )
    toutes = list(Inscription.objects.all())
    for membre in MEMBRES:
        user = getattr(s, membre)
        attendu = {i.pk for i in toutes if peut_modifier_parcours(user, i)}
        obtenu = set(
            Inscription.objects.visibles_par(user).filter(q_parcours_modifiables(user)).values_list("pk", flat=True)
        )
        assert obtenu == attendu, membre


# --- The register ---------------------------------------------------------------------------------------------------


def _url_appel(**params):
    from urllib.parse import urlencode

    return reverse("parcours:appel") + ("?" + urlencode(params) if params else "")


def test_l_appel_montre_les_jeunes_attendus_ce_jour(cast, client_de, inscription):
    offre = OffreActionFactory(etablissement=cast.lycee_a, intitule="Atelier CV collectif")
    _atelier(inscription, offre=offre, jour=2, heure=9)
    autre = _inscription(cast, nom="BERNARD")
    _atelier(autre, jour=3, heure=9)  # Thursday only
    ailleurs = _inscription(cast, nom="MARTIN", referent=cast.referent_a2)  # not my young person
    _atelier(ailleurs, jour=2, heure=9)
    with time_machine.travel(MERCREDI, tick=False):
        client = client_de(cast.referent_a)
        r = client.get(_url_appel())  # today
        assert r.context["jour"] == D(2026, 9, 23)
        noms = [li.inscription.jeune.nom for li in r.context["lignes"]]
        assert noms == ["DURAND"]
        assert [c.periode for c in r.context["lignes"][0].cellules] == ["matin"]
        assert "1 demi-journée attendue non saisie" in texte(r)
        # All my young people on demand, each with both half-days.
        r = client.get(_url_appel(jour="2026-09-23", tous="1"))
        assert [li.inscription.jeune.nom for li in r.context["lignes"]] == ["BERNARD", "DURAND"]
        assert [len(li.cellules) for li in r.context["lignes"]] == [2, 2]
        # The register of the workshop: only those enrolled in it, on its day.
        r = client.get(_url_appel(jour="2026-09-23", offre=offre.uuid))
        assert [li.inscription.jeune.nom for li in r.context["lignes"]] == ["DURAND"]
        r = client.get(_url_appel(jour="2026-09-24", offre=offre.uuid))
        assert r.context["lignes"] == []
        assert "Personne n'est attendu à « Atelier CV collectif » ce jour" in texte(r)


def test_tous_presents_remplit_les_demi_journees_attendues_non_saisies(cast, client_de, inscription):
    _atelier(inscription, jour=2, heure=9)
    autre = _inscription(cast, nom="BERNARD")
    _atelier(autre, jour=2, heure=14)
    client = client_de(cast.referent_a)
    url = _url_appel(jour="2026-09-23", tous="1")
    r = client.get(url)
    donnees = {"tous_presents": "1"}
    for ligne in r.context["lignes"]:
        for c in ligne.cellules:
            donnees.update({f"os_{c.cle}": "", f"om_{c.cle}": "", f"s_{c.cle}": "", f"m_{c.cle}": ""})
            if c.attendue:
                donnees[f"a_{c.cle}"] = "1"
    cle_autre = f"{autre.uuid}_20260923_apres_midi"
    donnees[f"s_{cle_autre}"] = "absent_justifie"
    donnees[f"m_{cle_autre}"] = "Rendez-vous France Travail"
    r = client.post(url, donnees, follow=True)
    assert "Appel enregistré : 2 demi-journée(s) modifiée(s)" in texte(r)
    saisies = set(Presence.objects.values_list("inscription__jeune__nom", "periode", "statut", "motif"))
    assert saisies == {
        ("DURAND", "matin", "present", ""),
        ("BERNARD", "apres_midi", "absent_justifie", "Rendez-vous France Travail"),
    }
    # The same register sent again (back button): nothing changes.
    r = client.post(url, donnees, follow=True)
    assert "Aucune modification : l'appel était déjà enregistré." in texte(r)
    assert Presence.objects.count() == 2


def test_un_appel_perime_est_refuse_sans_rien_ecrire(cast, client_de, inscription):
    _atelier(inscription, jour=2, heure=9)
    Presence.objects.create(inscription=inscription, date=D(2026, 9, 23), periode="matin", statut="retard")
    cle = f"{inscription.uuid}_20260923_matin"
    r = client_de(cast.conseiller_a).post(
        _url_appel(jour="2026-09-23"), {f"os_{cle}": "", f"om_{cle}": "", f"s_{cle}": "absent_non_justifie"}
    )
    assert r.status_code == 200
    assert "Enregistrement refusé" in texte(r)
    cellule = r.context["lignes"][0].cellules[0]
    assert (cellule.statut, cellule.origine) == ("retard", ("retard", ""))
    assert inscription.presences.get().statut == "retard"


def test_une_cellule_d_un_parcours_hors_perimetre_refuse_tout_l_appel(cast, client_de, inscription):
    autre_lycee = _inscription(cast, nom="LOIN", referent=None, lycee=cast.lycee_b)
    mien, sien = f"{inscription.uuid}_20260923_matin", f"{autre_lycee.uuid}_20260923_matin"
    r = client_de(cast.referent_a).post(
        _url_appel(jour="2026-09-23"),
        {f"os_{mien}": "", f"s_{mien}": "present", f"os_{sien}": "", f"s_{sien}": "present"},
    )
    assert r.status_code == 404
    assert not Presence.objects.exists()
    # and a key that is not a cell
    r = client_de(cast.referent_a).post(_url_appel(), {"os_pas-une-cle": ""})
    assert r.status_code == 404


def test_l_appel_coute_le_meme_nombre_de_requetes_pour_1_et_20_jeunes(cast, client_de, inscription):
    offre = OffreActionFactory(etablissement=cast.lycee_a)
    _atelier(inscription, offre=offre)
    PFMPFactory(inscription=inscription, date_debut=D(2026, 9, 22), date_fin=D(2026, 9, 25))
    Presence.objects.create(inscription=inscription, date=D(2026, 9, 23), periode="matin", statut="present")
    client = client_de(cast.referent_a)

    def compter(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        assert r.status_code == 200
        return len(ctx.captured_queries), len(r.context["lignes"])

    urls = [_url_appel(jour="2026-09-23"), reverse("parcours:appel_semaine") + "?semaine=2026-09-21"]
    avant = [compter(u) for u in urls]
    assert [n for _q, n in avant] == [1, 1]
    for k in range(19):
        i = _inscription(cast, nom=f"JEUNE{k:02d}")
        _atelier(i, offre=offre)
        PFMPFactory(inscription=i, date_debut=D(2026, 9, 22), date_fin=D(2026, 9, 25))
        Presence.objects.create(inscription=i, date=D(2026, 9, 23), periode="matin", statut="retard")
    apres = [compter(u) for u in urls]
    assert [n for _q, n in apres] == [20, 20]
    assert [q for q, _n in apres] == [q for q, _n in avant]


def test_la_semaine_de_mes_jeunes_compte_les_demi_journees_attendues_non_saisies(cast, client_de, inscription):
    _atelier(inscription, jour=2, heure=9)
    _atelier(inscription, jour=4, heure=14)
    Presence.objects.create(inscription=inscription, date=D(2026, 9, 23), periode="matin", statut="present")
    r = client_de(cast.referent_a).get(reverse("parcours:appel_semaine") + "?semaine=2026-09-23")
    assert r.context["lundi"] == D(2026, 9, 21)
    assert r.context["a_saisir"] == 1
    page = texte(r)
    assert "1 jeune ; 1 demi-journée attendue non saisie." in html.unescape(page)
    assert reverse("parcours:appel") + "?jour=2026-09-25" in page


# --- The référent's screen ----------------------------------------------------------------------------------------


def test_l_ecran_du_referent_compte_les_demi_journees_attendues_et_non_saisies(cast, client_de, inscription):
    _atelier(inscription, jour=0, heure=9)  # Monday morning
    _atelier(inscription, jour=2, heure=14)  # Wednesday afternoon
    _inscription(cast, nom="VIDE")
    en_pfmp = _inscription(cast, nom="STAGE")
    PFMPFactory(inscription=en_pfmp, date_debut=D(2026, 9, 21), date_fin=D(2026, 10, 2))
    client = client_de(cast.referent_a)
    with time_machine.travel(MERCREDI, tick=False):
        r = client.get(reverse("tableaux:referent"))
        page = texte(r)
        # Monday morning + Wednesday afternoon (still expected today) for DURAND; Monday to Wednesday in PFMP.
        assert "Assiduité à saisir (8)" in page
        assert "sont saisies" not in page
        assert "Parcours en cours sans créneau ni PFMP cette semaine (1)" in page and "VIDE" in page
        services.enregistrer_presences(
            inscription=en_pfmp,
            lignes=[
                {"date": D(2026, 9, 21) + datetime.timedelta(days=n), "periode": per, "statut": "present"}
                for n in range(3)
                for per in ("matin", "apres_midi")
            ],
            user=cast.referent_a,
        )
        services.enregistrer_presences(
            inscription=inscription,
            lignes=[
                {"date": D(2026, 9, 21), "periode": "matin", "statut": "present"},
                {"date": D(2026, 9, 23), "periode": "apres_midi", "statut": "retard"},
            ],
            user=cast.referent_a,
        )
        page = texte(client.get(reverse("tableaux:referent")))
    assert "Assiduité à saisir (0)" in page
    assert "Les 8 demi-journées attendues cette semaine jusqu'à aujourd'hui" in page


@pytest.mark.django_db(transaction=True)
def test_l_appel_invalide_les_ecrans_en_cache_du_lycee(cast, inscription):
    from avenirpro import cache_ecrans

    avant = cache_ecrans.versions([cast.lycee_a.pk])
    services.enregistrer_appel(
        lignes=[_ligne(inscription, D(2026, 9, 21), "matin", "present", origine=("", ""))], user=cast.referent_a
    )
    apres = cache_ecrans.versions([cast.lycee_a.pk])
    assert apres != avant
    # Clearing a half-day (a delete) too.
    services.enregistrer_appel(
        lignes=[_ligne(inscription, D(2026, 9, 21), "matin", "", origine=("present", ""))], user=cast.referent_a
    )
    assert cache_ecrans.versions([cast.lycee_a.pk]) != apres


# --- Slots from the «Emploi du temps» tab -----------------------------------------------------------------------


def _edt(inscription, semaine=""):
    url = reverse("parcours:emploi_du_temps", kwargs={"uuid": inscription.uuid})
    return url + (f"?semaine={semaine}" if semaine else "")


def test_ajouter_deplacer_retirer_un_creneau_depuis_l_emploi_du_temps(cast, client_de, inscription):
    action = ActionFactory(inscription=inscription, intitule="Remobilisation", date_fin=D(2026, 11, 6))
    client = client_de(cast.conseiller_a)
    r = client.get(_edt(inscription, "2026-09-21"))
    assert "Ajouter un créneau" in texte(r) and "Remobilisation (du 14/09/2026 au 06/11/2026)" in texte(r)
    donnees = {"formulaire": "creneau", "semaine": "2026-09-21", "action": action.pk, "jour": "2"}
    r = client.post(_edt(inscription), {**donnees, "heure_debut": "14:00", "heure_fin": "13:00"})
    assert r.status_code == 200 and "L'heure de fin doit suivre l'heure de début." in texte(r)
    r = client.post(_edt(inscription), {**donnees, "heure_debut": "09:00", "heure_fin": "12:00"}, follow=True)
    assert r.redirect_chain[-1][0].endswith("?semaine=2026-09-21")
    page = texte(r)
    assert "Créneau ajouté à l'emploi du temps." in page
    assert "Attention : ce créneau tombe sur des vacances scolaires" in page  # the autumn holidays (R7)
    creneau = action.creneaux.get()
    assert (creneau.jour, creneau.heure_debut) == (2, datetime.time(9))
    assert r.context["jours"][2]["creneaux"] == [creneau]
    # Moved to Thursday afternoon
    r = client.post(
        _edt(inscription),
        {
            "formulaire": "deplacer",
            "creneau": creneau.pk,
            f"c{creneau.pk}-jour": "3",
            f"c{creneau.pk}-heure_debut": "14:00",
            f"c{creneau.pk}-heure_fin": "16:30",
        },
        follow=True,
    )
    assert "Créneau déplacé : Jeudi 14:00–16:30." in texte(r)
    creneau.refresh_from_db()
    assert (creneau.jour, creneau.heure_debut, creneau.heure_fin) == (3, datetime.time(14), datetime.time(16, 30))
    r = client.post(_edt(inscription), {"formulaire": "supprimer", "creneau": creneau.pk}, follow=True)
    assert "Créneau du Jeudi 14:00–16:30 retiré de l'emploi du temps." in texte(r)
    assert not Creneau.objects.exists()


def test_un_creneau_d_un_autre_parcours_ne_se_touche_pas_depuis_cet_onglet(cast, client_de, inscription):
    ActionFactory(inscription=inscription)
    autre = _inscription(cast, nom="BERNARD")
    a = _atelier(autre, jour=2, heure=9)
    c = a.creneaux.get()
    client = client_de(cast.referent_a)  # référent of both
    assert client.post(_edt(inscription), {"formulaire": "supprimer", "creneau": c.pk}).status_code == 404
    r = client.post(
        _edt(inscription),
        {"formulaire": "creneau", "action": a.pk, "jour": "1", "heure_debut": "09:00", "heure_fin": "10:00"},
    )
    assert r.status_code == 200 and "Sélectionnez un choix valide" in texte(r)
    assert Creneau.objects.count() == 1
    # A reader (the psy-EN) does not write.
    assert client_de(cast.psy_a).post(_edt(inscription), {"formulaire": "supprimer"}).status_code == 404


def test_l_emploi_du_temps_s_ouvre_sur_la_prochaine_semaine_avec_des_creneaux(cast, client_de, inscription):
    with time_machine.travel(MERCREDI, tick=False):
        client = client_de(cast.referent_a)
        r = client.get(_edt(inscription))
        assert r.context["lundi"] == D(2026, 9, 21)
        assert "Aucun créneau n'est encore prévu dans l'emploi du temps de ce parcours" in texte(r)
        _atelier(inscription, jour=1, heure=9, debut=D(2026, 10, 5), fin=D(2026, 10, 16))
        r = client.get(_edt(inscription))
        assert r.context["lundi"] == D(2026, 10, 5)
        assert (
            "Rien n'est prévu la semaine du 21/09/2026 : voici la prochaine semaine avec des créneaux (du 05/10/2026)."
            in texte(r)
        )
        # A week asked for explicitly stays, and says why it is empty.
        r = client.get(_edt(inscription, "2026-10-19"))
        assert r.context["lundi"] == D(2026, 10, 19)
        assert "Pas de créneau cette semaine : Vacances de la Toussaint." in texte(r)
        r = client.get(_edt(inscription, "2026-09-21"))
        assert "Aucune action du parcours n'a de créneau cette semaine." in texte(r)
        r = client.get(_edt(inscription, "2027-03-01"))
        assert "Cette semaine est hors des dates du parcours (du 14/09/2026 au 13/01/2027)." in texte(r)
