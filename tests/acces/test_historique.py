"""The reusable history component: who, when, field: before → after, in French (avenirpro.historique)."""

from django.template import Context, Template

from avenirpro.historique import changements
from avenirpro.models import Affectation
from tests.eleves.factories import JeuneFactory


def test_changements_d_un_jeune_avec_libelles_francais(cast):
    jeune = JeuneFactory(etablissement=cast.lycee_a, telephone="0600000000", boursier=False)
    jeune._history_user = cast.chef_a
    jeune.telephone = "0611111111"
    jeune.boursier = True
    jeune.etablissement = cast.lycee_b
    jeune.save()
    c = changements(jeune)
    assert [x.type for x in c] == ["Modification", "Création"]
    assert c[0].auteur == str(cast.chef_a)
    diffs = {d.champ: (d.avant, d.apres) for d in c[0].differences}
    assert diffs["téléphone"] == ("0600000000", "0611111111")
    assert diffs["boursier"] == ("non", "oui")
    assert diffs["lycée"] == (str(cast.lycee_a), str(cast.lycee_b))
    assert "modifie le" not in diffs  # automatic timestamps are noise
    html = Template("{% load historique %}{% historique jeune %}").render(Context({"jeune": jeune}))
    assert "Téléphone</strong> : 0600000000 → 0611111111" in html
    assert str(cast.chef_a) in html


def test_choix_et_dates_affiches_en_clair(cast):
    aff = Affectation.objects.get(utilisateur=cast.chef_a)
    aff.fonction = "ddfpt"
    aff.save()
    diffs = {d.champ: (d.avant, d.apres) for d in changements(aff)[0].differences}
    assert diffs["fonction"] == ("—", "DDFPT")


def test_le_mot_de_passe_n_apparait_jamais(cast):
    u = cast.referent_a
    u.set_password("Nouveau-mot-de-passe-9")
    u.first_name = "Zoé"
    u.save()
    champs = [d.champ for c in changements(u) for d in c.differences]
    assert "mot de passe" not in champs and "password" not in champs
    assert "prénom" in champs


def test_objet_sans_historique(cast):
    assert changements(cast.campagne) == []
