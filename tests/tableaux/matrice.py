"""Access matrix of the dashboards (tests/matrice.py): screens without a record in the URL (403 for others)."""

from tests.matrice import Cas

CAS = [
    Cas("tableaux:chef", type="tableau", objet=False, autorises={"chef_a", "chef_b"}),
    Cas("tableaux:referent", type="tableau", objet=False, autorises={"referent_a", "referent_a2"}),
    Cas("tableaux:conseiller", type="tableau", objet=False, autorises={"conseiller_a", "conseiller_b"}),
    Cas("tableaux:pilotage", type="statistiques", objet=False, autorises={"pilotage", "chef_a", "chef_b"}),
    Cas(
        "tableaux:mes_jeunes_export",
        kwargs=lambda s: {"role": "referent", "format": "csv"},
        type="export",
        action="export",
        objet=False,
        autorises={"referent_a", "referent_a2"},
    ),
    Cas(
        "tableaux:mes_jeunes_export",
        kwargs=lambda s: {"role": "conseiller", "format": "xlsx"},
        type="export",
        action="export",
        objet=False,
        autorises={"conseiller_a", "conseiller_b"},
    ),
    Cas(
        "tableaux:mes_jeunes_export",
        kwargs=lambda s: {"role": "referent", "format": "xlsx"},
        methode="post",
        type="export",
        action="export",
        objet=False,
        autorises={"referent_a", "referent_a2"},
        succes=(302,),
    ),
]
