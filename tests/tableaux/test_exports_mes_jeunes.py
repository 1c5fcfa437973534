"""«Mes jeunes» exports: exactly the screen's young people, journalised, in CSV and XLSX."""

import io
import zipfile

from django.urls import reverse

from avenirpro.models import JournalAcces
from tests.parcours.factories import InscriptionFactory


def _contenu(reponse) -> str:
    corps = b"".join(reponse.streaming_content) if reponse.streaming else reponse.content
    if corps[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(corps)) as z:
            return "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    return corps.decode("utf-8-sig")


def test_le_referent_exporte_ses_jeunes_et_rien_d_autre(cast, client):
    a = InscriptionFactory(jeune__etablissement=cast.lycee_a, jeune__nom="SUIVI", referent=cast.referent_a)
    InscriptionFactory(jeune__etablissement=cast.lycee_a, jeune__nom="AUTRUI", referent=cast.referent_a2)
    client.force_login(cast.referent_a)
    for format in ("csv", "xlsx"):
        r = client.get(reverse("tableaux:mes_jeunes_export", kwargs={"role": "referent", "format": format}))
        assert r.status_code == 200
        texte = _contenu(r)
        assert "SUIVI" in texte and "AUTRUI" not in texte
        assert a.date_fin_prevue.strftime("%d/%m/%Y") in texte or format == "xlsx"
    assert JournalAcces.objects.filter(utilisateur=cast.referent_a, action="export").count() == 2


def test_le_conseiller_exporte_ses_parcours(cast, client):
    InscriptionFactory(jeune__etablissement=cast.lycee_a, jeune__nom="SUIVIML", conseiller=cast.conseiller_a)
    client.force_login(cast.conseiller_a)
    r = client.get(reverse("tableaux:mes_jeunes_export", kwargs={"role": "conseiller", "format": "csv"}))
    assert r.status_code == 200 and "SUIVIML" in _contenu(r)


def test_un_role_sans_liste_n_exporte_rien(cast, client):
    client.force_login(cast.chef_a)
    r = client.get(reverse("tableaux:mes_jeunes_export", kwargs={"role": "referent", "format": "csv"}))
    assert r.status_code == 403
