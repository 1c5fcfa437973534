"""The rows of the personal screens (référent, counsellor) and the référent's week, read by hand-written SQL.

The ids come from the screens' visibility-filtered query (`selections.parcours_suivis`): these statements only read
what a row shows for parcours the user may already see, by primary key, as statements prepared once per connection
(`avenirpro/sql.py`). The ORM version (`selections.annoter` and `selections.attendus_de_la_semaine`) built and
compiled the same statements on every request and made three model objects per row and two per timetable slot:
half of the référent's screen computed without the cache. The row
objects carry exactly the attributes the screens, their alerts (`tableaux.vues._alertes_inscription`) and the
calendar rule (`parcours.regles.demi_journees_attendues`) read, with the same names; a test compares them, column by
column, with the ORM version (tests/tableaux/test_lignes_sql.py).
"""

from __future__ import annotations

import datetime
from functools import cache

from django.db import connection

from avenirpro.models import Etablissement, Utilisateur
from avenirpro.sql import Envoi, envoyer
from eleves.models import Jeune
from parcours.models import PFMP, Action, Creneau, Inscription, PointSuivi, Presence


@cache
def _libelles(modele, champ: str) -> dict:
    return dict(modele._meta.get_field(champ).flatchoices)


def libelle(modele, champ: str, valeur) -> str:
    """As Django's `get_<champ>_display()`: the choice's label, else the value."""
    return str(_libelles(modele, champ).get(valeur, valeur))


class JeuneLu:
    __slots__ = ("pk", "id", "uuid", "nom", "prenoms", "telephone", "etablissement")

    def __init__(self, pk, uuid, nom, prenoms, telephone):
        self.pk = self.id = pk
        self.uuid, self.nom, self.prenoms, self.telephone = uuid, nom, prenoms, telephone

    def __str__(self):
        return f"{self.nom} {self.prenoms}"


class EtablissementLu:
    __slots__ = ("pk", "id", "nom", "zone_vacances", "departement")

    def __init__(self, pk, nom, zone_vacances, departement):
        self.pk = self.id = pk
        self.nom, self.zone_vacances, self.departement = nom, zone_vacances, departement


class ReferentLu:
    """What a row shows of its référent: `str()` as `Utilisateur.__str__` (full name, else the address)."""

    __slots__ = ("pk", "first_name", "last_name", "email")

    def __init__(self, pk, first_name, last_name, email):
        self.pk, self.first_name, self.last_name, self.email = pk, first_name, last_name, email

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or self.email


class LigneParcours:
    """A parcours as a row of the personal screens. Like `Inscription` for what the screens read."""

    def __init__(self, ligne):
        (
            self.pk, self.uuid, self.statut, self.mef, self.numero_imilo, self.date_entree, self.date_fin_prevue,
            self.date_sortie, self.campagne_id, self.referent_id, self.jeune_id, self.etablissement_id,
            j_uuid, j_nom, j_prenoms, j_telephone, e_nom, e_zone, e_departement, r_prenom, r_nom, r_email,
            self.dernier_point, self.prochain_point, self.pfmp_signale, self.absences_semaine,
        ) = ligne  # fmt: skip
        self.id = self.pk
        self.jeune = JeuneLu(self.jeune_id, j_uuid, j_nom, j_prenoms, j_telephone)
        self.etablissement = EtablissementLu(self.etablissement_id, e_nom, e_zone, e_departement)
        self.referent = ReferentLu(self.referent_id, r_prenom, r_nom, r_email) if self.referent_id else None
        self.campagne = None  # set by the screen from the campaigns it has read

    def get_mef_display(self):
        return libelle(Inscription, "mef", self.mef)


class ActionLue:
    __slots__ = ("pk", "id", "inscription_id", "inscription", "intitule", "lieu", "type_lieu", "date_debut",
                 "date_fin", "statut")  # fmt: skip

    def __init__(self, pk, inscription, intitule, lieu, type_lieu, date_debut, date_fin, statut):
        self.pk = self.id = pk
        self.inscription, self.inscription_id = inscription, inscription.pk
        self.intitule, self.lieu, self.type_lieu = intitule, lieu, type_lieu
        self.date_debut, self.date_fin, self.statut = date_debut, date_fin, statut

    def get_type_lieu_display(self):
        return libelle(Action, "type_lieu", self.type_lieu)


class CreneauLu:
    # `html` is set by the timetable (tableaux.vues._emploi_du_temps).
    __slots__ = ("pk", "id", "action", "jour", "heure_debut", "heure_fin", "html")

    def __init__(self, pk, action, jour, heure_debut, heure_fin):
        self.pk = self.id = pk
        self.action, self.jour, self.heure_debut, self.heure_fin = action, jour, heure_debut, heure_fin


class PfmpLue:
    __slots__ = ("pk", "id", "inscription_id", "entreprise", "date_debut", "date_fin")

    def __init__(self, pk, inscription_id, entreprise, date_debut, date_fin):
        self.pk = self.id = pk
        self.inscription_id, self.entreprise, self.date_debut, self.date_fin = (
            inscription_id, entreprise, date_debut, date_fin
        )  # fmt: skip


def _t(modele) -> str:
    return connection.ops.quote_name(modele._meta.db_table)


def _c(modele, champ: str) -> str:
    return connection.ops.quote_name(modele._meta.get_field(champ).column)


def _litteral(valeur: str) -> str:
    """A constant of the code (a choice's value) written into a statement: in the text, not as a parameter, so that
    the plan made once for any parameters can read the partial index that holds only the rows of that value
    (`presence_absences_idx`): PostgreSQL matches an index's condition with the statement's constants only."""
    if not valeur.replace("_", "").isalnum():
        raise ValueError(valeur)
    return f"'{valeur}'"


@cache
def _sql_lignes() -> str:
    i, j, e, u = _t(Inscription), _t(Jeune), _t(Etablissement), _t(Utilisateur)
    p, f, a = _t(PointSuivi), _t(PFMP), _t(Presence)
    colonnes_i = ", ".join(
        f"i.{_c(Inscription, c)}"
        for c in ("id", "uuid", "statut", "mef", "numero_imilo", "date_entree", "date_fin_prevue", "date_sortie",
                  "campagne", "referent", "jeune", "etablissement")
    )  # fmt: skip
    return f"""
        SELECT {colonnes_i},
               j.{_c(Jeune, "uuid")}, j.{_c(Jeune, "nom")}, j.{_c(Jeune, "prenoms")}, j.{_c(Jeune, "telephone")},
               e.{_c(Etablissement, "nom")}, e.{_c(Etablissement, "zone_vacances")},
               e.{_c(Etablissement, "departement")},
               u.{_c(Utilisateur, "first_name")}, u.{_c(Utilisateur, "last_name")}, u.{_c(Utilisateur, "email")},
               dp.{_c(PointSuivi, "date")}, dp.{_c(PointSuivi, "prochaine_date")},
               EXISTS (SELECT 1 FROM {f} f WHERE f.{_c(PFMP, "inscription")} = i.id
                       AND f.{_c(PFMP, "depassement_signale")}),
               (SELECT count(*) FROM {a} a WHERE a.{_c(Presence, "inscription")} = i.id
                       AND a.{_c(Presence, "date")} BETWEEN %(lundi)s AND %(dimanche)s
                       AND a.{_c(Presence, "statut")} = {_litteral(Presence.Statut.ABSENT_NON_JUSTIFIE)})
        FROM {i} i
        JOIN {j} j ON j.id = i.{_c(Inscription, "jeune")}
        JOIN {e} e ON e.id = i.{_c(Inscription, "etablissement")}
        LEFT JOIN {u} u ON u.id = i.{_c(Inscription, "referent")}
        LEFT JOIN LATERAL (
            SELECT p.{_c(PointSuivi, "date")}, p.{_c(PointSuivi, "prochaine_date")} FROM {p} p
            WHERE p.{_c(PointSuivi, "inscription")} = i.id
            ORDER BY p.{_c(PointSuivi, "date")} DESC, p.id DESC LIMIT 1
        ) dp ON TRUE
        WHERE i.id = ANY(%(ids)s)
        ORDER BY j.{_c(Jeune, "nom")}, i.id
    """


def lignes(ids, jour: datetime.date) -> list[LigneParcours]:
    """The rows of the parcours `ids` (by the young person's name, then id), with the last and next follow-up
    points, the PFMP flag and the unexcused absences of the week of `jour`: one statement (on PostgreSQL; the ORM's
    rows, which read the same, on the SQLite of `make run`)."""
    return envoyer_lignes(ids, jour).lignes()


def envoyer_lignes(ids, jour: datetime.date) -> Envoi:
    """`lignes`, sent (`avenirpro.sql.envoyer`: with others in one round trip within `ensemble()`)."""
    if connection.vendor != "postgresql":
        return Envoi(lignes=_lignes_orm(ids, jour))
    lundi = jour - datetime.timedelta(days=jour.weekday())
    dimanche = lundi + datetime.timedelta(days=6)
    return envoyer(
        _sql_lignes(),
        {"ids": list(ids), "lundi": lundi, "dimanche": dimanche},
        apres=lambda lignes: [LigneParcours(ligne) for ligne in lignes],
    )


@cache
def _sql_creneaux() -> str:
    c, a = _t(Creneau), _t(Action)
    return f"""
        SELECT c.id, c.{_c(Creneau, "jour")}, c.{_c(Creneau, "heure_debut")}, c.{_c(Creneau, "heure_fin")},
               a.id, a.{_c(Action, "inscription")}, a.{_c(Action, "intitule")}, a.{_c(Action, "lieu")},
               a.{_c(Action, "type_lieu")}, a.{_c(Action, "date_debut")}, a.{_c(Action, "date_fin")},
               a.{_c(Action, "statut")}
        FROM {c} c JOIN {a} a ON a.id = c.{_c(Creneau, "action")}
        WHERE a.{_c(Action, "inscription")} = ANY(%(ids)s)
          AND a.{_c(Action, "date_debut")} <= %(dimanche)s AND a.{_c(Action, "date_fin")} >= %(lundi)s
        ORDER BY c.{_c(Creneau, "jour")}, c.{_c(Creneau, "heure_debut")}, c.id
    """


@cache
def _sql_pfmp() -> str:
    f = _t(PFMP)
    return f"""
        SELECT f.id, f.{_c(PFMP, "inscription")}, f.{_c(PFMP, "entreprise")}, f.{_c(PFMP, "date_debut")},
               f.{_c(PFMP, "date_fin")}
        FROM {f} f
        WHERE f.{_c(PFMP, "inscription")} = ANY(%(ids)s)
          AND f.{_c(PFMP, "date_debut")} <= %(dimanche)s AND f.{_c(PFMP, "date_fin")} >= %(lundi)s
        ORDER BY f.id
    """


def semaine(inscriptions: list[LigneParcours], lundi: datetime.date):
    """The timetable slots (ordered by day, start time and id, abandoned actions included: the rule and the
    timetable leave them out) and the PFMP of the week of `lundi` of these parcours, by parcours id; each slot's
    action carries its parcours (one of `inscriptions`). Two statements."""
    return envoyer_semaine([i.pk for i in inscriptions], lundi)(inscriptions)


def envoyer_semaine(ids, lundi: datetime.date):
    """`semaine` of the parcours `ids`, its two statements sent (with others in one round trip within
    `ensemble()`): returns the function that reads them, given the rows of those parcours (`lignes`), which the
    slots' actions carry."""
    ids = list(ids)
    if connection.vendor != "postgresql":
        return lambda inscriptions: _semaine_orm({i.pk: i for i in inscriptions}, lundi)
    params = {"ids": ids, "lundi": lundi, "dimanche": lundi + datetime.timedelta(days=6)}
    envoi_creneaux, envoi_pfmp = envoyer(_sql_creneaux(), params), envoyer(_sql_pfmp(), params)

    def lire(inscriptions):
        par_pk = {i.pk: i for i in inscriptions}
        creneaux, pfmps, actions = {}, {}, {}
        for pk, jour, debut, fin, a_pk, inscription_id, *action in envoi_creneaux.lignes():
            if inscription_id not in par_pk:
                continue  # a parcours deleted between the two reads
            if a_pk not in actions:
                actions[a_pk] = ActionLue(a_pk, par_pk[inscription_id], *action)
            creneaux.setdefault(inscription_id, []).append(CreneauLu(pk, actions[a_pk], jour, debut, fin))
        for ligne in envoi_pfmp.lignes():
            pfmps.setdefault(ligne[1], []).append(PfmpLue(*ligne))
        return creneaux, pfmps

    return lire


def presences_saisies(inscription_ids, debut: datetime.date, fin: datetime.date) -> set:
    """(parcours id, day, half-day) of every attendance row recorded for these parcours between `debut` and `fin`:
    one prepared statement (the référent's «à saisir» list reads it on every visit), the ORM elsewhere."""
    return envoyer_presences_saisies(inscription_ids, debut, fin).lignes()


def envoyer_presences_saisies(inscription_ids, debut: datetime.date, fin: datetime.date) -> Envoi:
    """`presences_saisies`, sent (with others in one round trip within `ensemble()`)."""
    if connection.vendor != "postgresql":
        return Envoi(
            lignes=set(
                Presence.objects.filter(
                    inscription_id__in=list(inscription_ids), date__range=(debut, fin)
                ).values_list("inscription_id", "date", "periode")
            )
        )
    return envoyer(_sql_presences(), {"ids": list(inscription_ids), "debut": debut, "fin": fin}, apres=set)


@cache
def _sql_presences() -> str:
    i, d = _c(Presence, "inscription"), _c(Presence, "date")
    return f"""
        SELECT a.{i}, a.{d}, a.{_c(Presence, "periode")}
        FROM {_t(Presence)} a
        WHERE a.{i} = ANY(%(ids)s) AND a.{d} BETWEEN %(debut)s AND %(fin)s
    """


# --- The same through the ORM, for the SQLite of `make run` (no arrays, dates and uuids as text) --------------------


def _lignes_orm(ids, jour: datetime.date):
    from tableaux.selections import annoter

    qs = annoter(Inscription.objects.filter(pk__in=list(ids)), jour)
    return list(qs.select_related("jeune", "etablissement", "referent").order_by("jeune__nom", "pk"))


def _semaine_orm(par_pk: dict, lundi: datetime.date):
    dimanche = lundi + datetime.timedelta(days=6)
    creneaux, pfmps = {}, {}
    for c in (
        Creneau.objects.filter(action__inscription_id__in=list(par_pk))
        .filter(action__date_debut__lte=dimanche, action__date_fin__gte=lundi)
        .select_related("action")
        .order_by("jour", "heure_debut", "pk")
    ):
        c.action.inscription = par_pk[c.action.inscription_id]
        creneaux.setdefault(c.action.inscription_id, []).append(c)
    for p in PFMP.objects.filter(inscription_id__in=list(par_pk), date_debut__lte=dimanche, date_fin__gte=lundi):
        pfmps.setdefault(p.inscription_id, []).append(p)
    return creneaux, pfmps
