from eleves.models import Jeune
from tests.matrice import construire_scenario


def test_le_scenario_se_construit_et_chacun_voit_son_perimetre(cast):
    s = construire_scenario(cast)
    assert set(Jeune.objects.visibles_par(s.chef_a)) == {s.jeune_a}
    assert set(Jeune.objects.visibles_par(s.chef_b)) == {s.jeune_b}
    assert set(Jeune.objects.visibles_par(s.referent_a)) == {s.jeune_a}
    assert set(Jeune.objects.visibles_par(s.referent_a2)) == set()
    assert set(Jeune.objects.visibles_par(s.conseiller_a)) == {s.jeune_a}
    assert set(Jeune.objects.visibles_par(s.conseiller_b)) == {s.jeune_b}
    assert set(Jeune.objects.visibles_par(s.psy_a)) == {s.jeune_a}
    assert set(Jeune.objects.visibles_par(s.pilotage)) == set()
    assert set(Jeune.objects.visibles_par(s.admin)) == set()
    assert set(Jeune.objects.visibles_par(s.sans_role)) == set()
