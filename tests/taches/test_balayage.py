"""The sweep's rules, one test each, run in the test process (no broker needed: e-mails go after commit)."""

import datetime

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from avenirpro.models import Notification
from parcours.balayage import CLE_DERNIER_PASSAGE, MOTIF_A_CLOTURER, VERROU, balayer
from parcours.models import PFMP, Bilan, Inscription, PointSuivi, Presence
from tests.eleves.factories import ReperageFactory
from tests.horloge import AUJOURDHUI
from tests.taches.factories import Lycee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sans_dernier_passage():
    cache.delete(CLE_DERNIER_PASSAGE)


@pytest.fixture
def ly():
    return Lycee()


def cles(user):
    return set(Notification.objects.filter(destinataire=user).values_list("cle", flat=True))


def _avec(user, prefixe):
    return {c for c in cles(user) if c.startswith(prefixe)}


@pytest.mark.parametrize(("jours", "palier"), [(30, 30), (15, 15), (7, 7), (12, 15), (1, 7)])
def test_paliers_de_la_limite_referent_et_chef_une_seule_fois(ly, jours, palier):
    i = ly.parcours(fin_dans=jours)
    premier = balayer(rappels=False)
    second = balayer(rappels=False)

    attendu = {f"parcours-limite-J{palier}:{i.uuid}"}
    assert _avec(ly.referent, "parcours-limite") == attendu
    assert _avec(ly.chef, "parcours-limite") == attendu
    assert premier[f"limite_J{palier}"] == 1
    assert Notification.objects.filter(cle__startswith="parcours-limite").count() == 2
    assert second["notifications"] == 0


def test_loin_de_la_limite_rien(ly):
    ly.parcours(fin_dans=31)
    balayer(rappels=False)
    assert not _avec(ly.referent, "parcours-limite") and not _avec(ly.chef, "parcours-limite")


def test_limite_atteinte_sans_sortie_a_cloturer_et_chef_chaque_jour(ly):
    i = ly.parcours(fin_dans=0)
    version = i.version
    balayer(rappels=False)
    balayer(rappels=False)
    i.refresh_from_db()
    assert i.statut == Inscription.Statut.A_CLOTURER
    assert i.version == version + 1
    assert _avec(ly.chef, "parcours-a-cloturer") == {f"parcours-a-cloturer:{i.uuid}:{AUJOURDHUI.isoformat()}"}
    assert not _avec(ly.referent, "parcours-a-cloturer")

    demain = AUJOURDHUI + datetime.timedelta(days=1)
    balayer(aujourdhui=demain, rappels=False)
    assert len(_avec(ly.chef, "parcours-a-cloturer")) == 2
    i.refresh_from_db()
    assert i.version == version + 1  # already «à clôturer»: not changed again


def test_passage_a_cloturer_dans_l_historique_du_parcours(ly):
    i = ly.parcours(fin_dans=0)
    avant = i.history.count()
    balayer(rappels=False)
    balayer(rappels=False)
    assert i.history.count() == avant + 1  # once: the second run changes nothing
    trace = i.history.first()
    assert trace.statut == Inscription.Statut.A_CLOTURER and trace.history_type == "~"
    assert trace.history_change_reason == MOTIF_A_CLOTURER


def test_parcours_clos_plus_de_rappel(ly):
    i = ly.parcours(fin_dans=-3)
    Inscription.objects.filter(pk=i.pk).update(
        statut="sortie", date_sortie=i.date_fin_prevue, motif_sortie="fin_parcours", situation_sortie="emploi"
    )
    balayer(rappels=False)
    assert not _avec(ly.chef, "parcours-a-cloturer")


def _pfmp(i, debut, fin):
    return PFMP.objects.create(inscription=i, entreprise="Garage", date_debut=debut, date_fin=fin)


def test_plafond_pfmp_depasse_signale(ly):
    i = ly.parcours(fin_dans=60, duree=90)
    ok = ly.parcours(fin_dans=60, duree=90)
    _pfmp(i, i.date_entree, i.date_entree + datetime.timedelta(days=75))
    _pfmp(ok, ok.date_entree, ok.date_entree + datetime.timedelta(days=20))
    comptes = balayer(rappels=False)
    assert PFMP.objects.get(inscription=i).depassement_signale
    assert not PFMP.objects.get(inscription=ok).depassement_signale
    assert comptes["pfmp_depassements"] == 1
    assert _avec(ly.referent, "pfmp-depassement") == {f"pfmp-depassement:{i.uuid}"}
    assert _avec(ly.chef, "pfmp-depassement") == {f"pfmp-depassement:{i.uuid}"}


def test_sortie_anticipee_revérifiee_contre_la_fin_reelle(ly):
    i = ly.parcours(fin_dans=60, duree=120)
    # 30 days of PFMP: fine against 120 days, over two thirds once the young person leaves after 35 days.
    _pfmp(i, i.date_entree, i.date_entree + datetime.timedelta(days=29))
    balayer(rappels=False)
    assert not PFMP.objects.get(inscription=i).depassement_signale

    Inscription.objects.filter(pk=i.pk).update(
        statut="sortie",
        date_sortie=i.date_entree + datetime.timedelta(days=34),
        motif_sortie="solution_avant_terme",
        situation_sortie="emploi",
        modifie_le=timezone.now(),
    )
    comptes = balayer(rappels=False)
    assert comptes["pfmp_verifiees"] == 1
    assert PFMP.objects.get(inscription=i).depassement_signale


def test_pfmp_seulement_les_parcours_modifies_depuis_le_dernier_passage(ly):
    i = ly.parcours(fin_dans=60, duree=90)
    _pfmp(i, i.date_entree, i.date_entree + datetime.timedelta(days=10))
    assert balayer(rappels=False)["pfmp_verifiees"] == 1
    assert balayer(rappels=False).get("pfmp_verifiees", 0) == 0
    # A PFMP edit (history row) puts the parcours back in the set.
    p = PFMP.objects.get(inscription=i)
    p.date_fin = i.date_entree + datetime.timedelta(days=80)
    p.save()
    assert balayer(rappels=False)["pfmp_verifiees"] == 1
    assert PFMP.objects.get(inscription=i).depassement_signale


def test_sans_point_de_suivi(ly):
    sans = ly.parcours(fin_dans=60, duree=90)
    avec = ly.parcours(fin_dans=60, duree=90)
    PointSuivi.objects.create(inscription=avec, date=AUJOURDHUI - datetime.timedelta(days=3), contenu="ok")
    balayer(rappels=False)
    assert {c.split(":")[1] for c in _avec(ly.referent, "sans-point-suivi")} == {str(sans.uuid)}
    # N days later still no point: notified again.
    balayer(aujourdhui=AUJOURDHUI + datetime.timedelta(days=ly.campagne.jours_sans_point_suivi), rappels=False)
    assert len(_avec(ly.referent, "sans-point-suivi")) == 3  # sans (2 periods) + avec (now 17 days old)


def test_bilan_non_planifie_15_jours_avant_la_fin(ly):
    sans = ly.parcours(fin_dans=10)
    planifie = ly.parcours(fin_dans=10)
    Bilan.objects.create(inscription=planifie, date_entretien=AUJOURDHUI + datetime.timedelta(days=5))
    loin = ly.parcours(fin_dans=16)
    balayer(rappels=False)
    attendu = {f"bilan-non-planifie:{sans.uuid}"}
    assert _avec(ly.referent, "bilan-non-planifie") == attendu
    assert _avec(ly.conseiller, "bilan-non-planifie") == attendu
    assert str(loin.uuid) not in str(cles(ly.referent) & {f"bilan-non-planifie:{loin.uuid}"})


def test_jeunes_non_contactes_apres_n_jours(ly):
    vieux = timezone.now() - datetime.timedelta(days=ly.campagne.jours_sans_contact + 1)
    for _ in range(3):
        ReperageFactory(jeune__etablissement=ly.lycee, campagne=ly.campagne, importe_le=vieux)
    ReperageFactory(jeune__etablissement=ly.lycee, campagne=ly.campagne, importe_le=vieux, statut_contact="contacte")
    ReperageFactory(jeune__etablissement=ly.lycee, campagne=ly.campagne)  # imported today
    comptes = balayer(rappels=False)
    assert comptes["non_contactes"] == 3
    notif = Notification.objects.get(destinataire=ly.chef, cle__startswith="non-contactes")
    assert notif.sujet == "3 jeune(s) repéré(s) non contacté(s)"
    assert not _avec(ly.referent, "non-contactes")


def test_absences_au_dessus_du_seuil_de_la_semaine(ly):
    trop = ly.parcours(fin_dans=60, duree=60)
    assez = ly.parcours(fin_dans=60, duree=60)
    lundi = AUJOURDHUI - datetime.timedelta(days=AUJOURDHUI.weekday())
    seuil = ly.campagne.seuil_absences_semaine
    for i, n in ((trop, seuil + 1), (assez, seuil)):
        for k in range(n):
            Presence.objects.create(
                inscription=i,
                date=lundi - datetime.timedelta(days=7 - k // 2),
                periode=["matin", "apres_midi"][k % 2],
                statut="absent_non_justifie",
            )
    balayer(rappels=False)
    annee, semaine, _ = (lundi - datetime.timedelta(days=7)).isocalendar()
    assert _avec(ly.referent, "absences") == {f"absences:{trop.uuid}:{annee}-S{semaine:02d}"}


def test_resume_hebdomadaire_du_chef_une_fois_par_semaine(ly):
    ly.parcours(fin_dans=20)
    ly.parcours(fin_dans=100, statut="en_preparation")
    balayer(rappels=False)
    balayer(aujourdhui=AUJOURDHUI, rappels=False)
    resumes = Notification.objects.filter(destinataire=ly.chef, cle__startswith="resume-hebdo")
    assert resumes.count() == 1
    assert "parcours en cours : 1" in resumes.get().message
    assert "fins de parcours dans les 30 jours : 1" in resumes.get().message
    assert not _avec(ly.referent, "resume-hebdo")


def test_deux_balayages_simultanes_le_second_ne_fait_rien(ly):
    ly.parcours(fin_dans=15)
    s = connection.settings_dict
    with psycopg.connect(
        dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"], host=s["HOST"], port=s["PORT"] or 5432
    ) as autre:
        autre.execute("SELECT pg_advisory_lock(%s)", [VERROU])
        assert balayer(rappels=False) == {"deja_en_cours": 1}
        autre.execute("SELECT pg_advisory_unlock(%s)", [VERROU])
    assert Notification.objects.count() == 0
    assert balayer(rappels=False)["limite_J15"] == 1


def test_referent_absent_ou_inactif_ne_bloque_pas(ly):
    ly.parcours(fin_dans=15, referent=None)
    ly.referent.is_active = False
    ly.referent.save()
    ly.parcours(fin_dans=15)
    comptes = balayer(rappels=False)
    assert comptes["limite_J15"] == 2
    assert not cles(ly.referent)
    assert len(_avec(ly.chef, "parcours-limite")) == 2


def test_commande_sweep_affiche_les_nombres(ly, capsys):
    ly.parcours(fin_dans=15)
    call_command("sweep", "--sans-rappels")
    sortie = capsys.readouterr().out
    assert "parcours à J-15 de leur limite : 1" in sortie
    assert "notifications créées :" in sortie
    call_command("sweep", "--sans-rappels")
    assert "notifications créées : 0" in capsys.readouterr().out


def test_commande_sweep_date_invalide(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="jj/mm/aaaa"):
        call_command("sweep", "--date", "2026-11-23")


def test_tache_quotidienne_planifiee_et_executable(ly, settings, django_capture_on_commit_callbacks):
    from parcours.tasks import balayage_quotidien

    assert settings.CELERY_BEAT_SCHEDULE["balayage-quotidien"]["task"] == balayage_quotidien.name
    assert balayage_quotidien.acks_late and balayage_quotidien.reject_on_worker_lost
    ly.parcours(fin_dans=15)
    with django_capture_on_commit_callbacks() as rappels:
        resultat = balayage_quotidien.apply()
    assert resultat.successful()
    assert resultat.result["limite_J15"] == 1
    assert rappels  # e-mails and the daily digests are queued after commit, never sent in the sweep itself


def test_decompte_des_jours_ouvres_egal_au_decompte_jour_par_jour():
    """The sweep counts PFMP days with parcours.regles (the one implementation of R4's unit)."""
    import holidays

    from parcours.regles import compter_jours

    feries = set(holidays.France(years=[2026, 2027], language="fr"))
    debut = datetime.date(2026, 10, 20)
    for longueur in range(0, 80, 3):
        for decalage in range(7):
            a = debut + datetime.timedelta(days=decalage)
            b = a + datetime.timedelta(days=longueur)
            jours = [a + datetime.timedelta(days=k) for k in range(longueur + 1)]
            assert compter_jours([(a, b)], "jours_ouvres") == sum(
                1 for j in jours if j.weekday() < 5 and j not in feries
            )
            assert compter_jours([(a, b)], "jours_calendaires") == longueur + 1


def test_pfmp_qui_se_chevauchent_comptees_une_fois(ly):
    i = ly.parcours(fin_dans=60, duree=90)
    # Two overlapping periods of ~50 days each, together 55 days: under two thirds of 90.
    _pfmp(i, i.date_entree, i.date_entree + datetime.timedelta(days=49))
    _pfmp(i, i.date_entree + datetime.timedelta(days=5), i.date_entree + datetime.timedelta(days=54))
    balayer(rappels=False)
    assert not PFMP.objects.filter(inscription=i, depassement_signale=True).exists()
