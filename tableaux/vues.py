"""Dashboards: chef d'établissement, référent, counsellor, pilotage (figures only)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from avenirpro import cache_ecrans
from avenirpro.acces import perimetre
from avenirpro.exports import reponse_csv, reponse_xlsx
from avenirpro.html import echapper
from avenirpro.journal import journaliser
from avenirpro.memo import Memo
from avenirpro.models import Etablissement, JournalAcces
from avenirpro.parametres import entier_parametre
from avenirpro.secret_statistique import MASQUE, SEUIL, TableauProtege, duree_en_jours, libelle_noeud
from avenirpro.sql import ensemble, envoyer
from avenirpro.templatetags.jeunes_tags import lien_jeune
from eleves.models import Reperage
from parcours import regles
from parcours.models import Action, Inscription, Presence
from tableaux import lignes, selections
from tableaux.filters import ParcoursSuivisFilter
from tableaux.graphiques import barres, nombre
from tableaux.selections import (
    COLONNES_COMPTEES,
    COLONNES_EXPORT,
    COLONNES_PILOTAGE,
    alertes,
    lien,
    portees,
    tableau_protege,
)
from tableaux.statistiques import (
    DIMENSIONS,
    JOURS_FIN_PROCHE,
    envoyer_chiffres,
)

PAR_PAGE = 50


_UUID_MODELE = "00000000-0000-0000-0000-000000000000"


def lien_objet(nom: str, uuid) -> str | None:
    """The URL of an object's page by its uuid; None while that page does not exist yet. One reverse() per name
    (and URL configuration) rather than one per row: a page of 50 parcours resolved 50 URLs."""
    modele = modele_url(nom)
    return modele.replace(_UUID_MODELE, str(uuid)) if modele else None


def modele_url(nom: str) -> str | None:
    """The URL of `nom` for the uuid `_UUID_MODELE` (None while that page does not exist yet): `lien_objet`'s, for a
    loop over a page's rows."""
    cle = (nom, get_urlconf(), get_script_prefix())
    if cle not in _MODELES_URL:
        try:
            _MODELES_URL[cle] = reverse(nom, kwargs={"uuid": _UUID_MODELE})
        except NoReverseMatch:
            _MODELES_URL[cle] = None
    return _MODELES_URL[cle]


_MODELES_URL: dict = {}


# --- Chef d'établissement ---------------------------------------------------------------------------------


def entonnoir(c: dict) -> list[tuple[str, int, str | None]]:
    return [
        ("Identifiés", c["identifies"], lien("eleves:liste")),
        ("Contactés", c["contactes"], lien("eleves:liste", etape="contactes")),
        ("Invités à la réunion", c["invites"], lien("eleves:liste", etape="invites")),
        ("Présents à la réunion", c["presents"], lien("eleves:liste", etape="presents")),
        ("Reçus en entretien", c["entretiens"], lien("eleves:liste", etape="entretien")),
        ("Inscrits APRO PLUS 3", c["inscrits_apro_plus_3"], lien("parcours:liste", mef=Inscription.Mef.NIVEAU3)),
        ("Inscrits APRO PLUS 4", c["inscrits_apro_plus_4"], lien("parcours:liste", mef=Inscription.Mef.NIVEAU4)),
        ("En cours", c["en_cours"], lien("parcours:liste", statut=Inscription.Statut.EN_COURS)),
        ("Sortis", c["sortis"], lien("parcours:liste", statut=Inscription.Statut.SORTIE)),
    ]


def graphiques_chef(c: dict, masquer=None):
    return {
        "entonnoir": barres("graphique-entonnoir", "Du repérage à la sortie", entonnoir(c), masquer),
        "typologies": barres(
            "graphique-typologies",
            "Jeunes repérés par typologie",
            [
                (t.label, c[f"typologie_{t.value}"], lien("eleves:liste", typologie=t.value))
                for t in Reperage.Typologie
            ],
            masquer,
        ),
        "sorties": barres(
            "graphique-sorties",
            "Sorties par situation",
            [
                (s.label, c[f"situation_{s.value}"], lien("parcours:liste", situation_sortie=s.value))
                for s in Inscription.SituationSortie
            ],
            masquer,
        ),
        "motifs": barres(
            "graphique-motifs",
            "Sorties par motif",
            [
                (m.label, c[f"motif_{m.value}"], lien("parcours:liste", motif_sortie=m.value))
                for m in Inscription.MotifSortie
            ],
            masquer,
        ),
    }


def _contenu_chef(request, p) -> str:
    from avenirpro.campagnes import campagne_choisie

    campagne, campagnes = campagne_choisie(request.GET)
    # The lycées' names and their figures: sent together, in one round trip.
    with ensemble():
        envoi_noms = envoyer(*Etablissement.objects.filter(pk__in=p.chef).values_list("nom").query.sql_with_params())
        lire_chiffres = envoyer_chiffres(campagne, {"pk__in": sorted(p.chef)}) if campagne else None
    lycees = [nom for (nom,) in envoi_noms.lignes()]
    c = lire_chiffres().get(None) if lire_chiffres else None
    contexte = {"campagne": campagne, "campagnes": campagnes, "lycees": lycees, "c": c}
    if c is not None:
        # The parcours list honours `?campagne=`: its links keep the campaign shown (the other lists do not).
        liste = lien("parcours:liste")

        def suivre(url):
            if url and liste and campagne and request.GET.get("campagne") and url.startswith(liste):
                return f"{url}{'&' if '?' in url else '?'}{urlencode({'campagne': campagne.session})}"
            return url

        contexte.update(
            alertes=[{**a, "lien": suivre(a["lien"])} for a in alertes(c)],
            graphiques=graphiques_chef(c),
            mef=[
                (
                    "APRO PLUS 3",
                    c["inscrits_apro_plus_3"],
                    suivre(lien("parcours:liste", mef=Inscription.Mef.NIVEAU3)),
                ),
                (
                    "APRO PLUS 4",
                    c["inscrits_apro_plus_4"],
                    suivre(lien("parcours:liste", mef=Inscription.Mef.NIVEAU4)),
                ),
            ],
            lien_absences=suivre(lien("parcours:liste", alerte="absences")),
            lien_sortis=suivre(lien("parcours:liste", statut=Inscription.Statut.SORTIE)),
        )
    return render_to_string("tableaux/_chef.html", contexte, request=request)


@require_GET
def chef(request):
    p = perimetre(request.user)
    if not p.chef:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "chef", p.chef, lambda: _contenu_chef(request, p))
    return render(request, "tableaux/ecran.html", {"titre": "Tableau de bord", "contenu": contenu})


# --- Référent de parcours ---------------------------------------------------------------------------------


def _alertes_inscription(i, jour, campagne) -> list[tuple[str, str]]:
    out = []
    if i.statut == Inscription.Statut.A_CLOTURER:
        out.append(("À clôturer", "error"))
    reste = (i.date_fin_prevue - jour).days
    if 0 <= reste <= JOURS_FIN_PROCHE and i.statut != Inscription.Statut.A_CLOTURER:
        out.append((f"Fin dans {reste} j", "warning"))
    if i.pfmp_signale:
        out.append(("Plafond PFMP dépassé", "error"))
    if i.referent_id is None:
        out.append(("Sans référent", "warning"))
    if i.statut == Inscription.Statut.EN_PREPARATION and i.date_entree < jour:
        out.append((f"Toujours en préparation depuis l'entrée du {i.date_entree:%d/%m/%Y}", "warning"))
    if i.prochain_point and i.prochain_point < jour:
        out.append((f"Point prévu le {i.prochain_point:%d/%m/%Y} en retard", "error"))
    delai = i.campagne.jours_sans_point_suivi
    # Counted from the last point, or from the entry for a parcours that has none yet (not from the beginning
    # of time: a parcours started 6 days ago is not «without a point for more than 14 days»).
    depuis = i.dernier_point or i.date_entree
    if i.statut == Inscription.Statut.EN_COURS and (jour - depuis).days > delai:
        out.append((f"Pas de point de suivi depuis plus de {delai} j", "info"))
    if i.absences_semaine and i.absences_semaine >= i.campagne.seuil_absences_semaine:
        out.append((f"{i.absences_semaine} absences non justifiées cette semaine", "warning"))
    return out


def _creneau_referent(debut: datetime.time, fin: datetime.time, intitule: str, jeune: str, lieu: str) -> SafeString:
    """A slot of the référent's timetable (tableaux/_referent.html), built here rather than field by field by the
    template engine (84 slots in a référent's week): `jeune` is the link's HTML, the texts are escaped, and a time
    is digits and a colon."""
    lieu = f" — {echapper(lieu)}" if lieu else ""
    return SafeString(
        f'<li class="fr-mb-1w"><strong>{debut.hour:02d}:{debut.minute:02d}–{fin.hour:02d}:{fin.minute:02d}</strong>'
        f'<br>{echapper(intitule)}<br><span class="fr-text--sm">{jeune}{lieu}</span></li>'
    )


def _emploi_du_temps(creneaux, lundi, jour):
    """The days of the week of `lundi` (Monday to Friday, Saturday when it has a slot) with the slots held that day,
    each as its HTML (`c.html`), and the day's slots as one piece of HTML (`html`)."""
    jours = []
    for n in range(6):
        date = lundi + datetime.timedelta(days=n)
        jours.append({"date": date, "libelle": date, "creneaux": [], "aujourdhui": date == jour})
    liens = {}
    for c in creneaux:
        date = jours[c.jour]["date"]
        action = c.action
        if not (action.date_debut <= date <= action.date_fin):
            continue
        if not (action.inscription.date_entree <= date <= action.inscription.date_fin_prevue):
            continue
        if action.inscription_id not in liens:
            liens[action.inscription_id] = lien_jeune(action.inscription.jeune)
        c.html = _creneau_referent(
            c.heure_debut, c.heure_fin, action.intitule, liens[action.inscription_id], action.lieu
        )
        jours[c.jour]["creneaux"].append(c)
    for j in jours:  # a day's slots as one piece of HTML: one variable for the template, not one per slot
        j["html"] = SafeString("".join(c.html for c in j["creneaux"]))
    return [j for j in jours if j["creneaux"] or j["date"].weekday() < 5]


def _parcours_suivis(request, suivis, jour, campagnes, lignes_de=None):
    """The page of parcours shown, with their alerts and links, and the ids of all of them (for the timetable,
    attendance and interviews), from `suivis` (`selections.ids_suivis`: one light query for the visible, ordered
    ids) and one query for the page's rows — rather than counting, paging and repeating the visibility filter as a
    subquery of every other list. `lignes_de(all ids, page ids)`, when given, returns the page's rows
    (`lignes.LigneParcours`) instead of that query."""
    ids, jeunes = [pk for pk, _ in suivis], [j for _, j in suivis]
    page = Paginator(suivis, PAR_PAGE).get_page(request.GET.get("page"))
    rang = {pk: n for n, (pk, _) in enumerate(page.object_list)}
    if lignes_de is not None:
        return page, _lignes_suivies(lignes_de(ids, list(rang)), rang, jour, campagnes), ids, jeunes
    # The page's rows by their ids alone: those ids were just read through the visibility filter, which is not
    # evaluated a second time (it is a union of index reads: a third of the query's cost for a counsellor). One
    # hand-written statement (`tableaux/lignes.py`) rather than the ORM's, built and compiled on every request.
    return page, _lignes_suivies(lignes.lignes(list(rang), jour), rang, jour, campagnes), ids, jeunes


def _lignes_suivies(lignes_page, rang, jour, campagnes) -> list:
    """The page's rows in the page's order, each with its campaign (one of `campagnes`, every campaign), alerts
    (and their badges' HTML) and link."""
    inscriptions = sorted(lignes_page, key=lambda i: rang[i.pk])
    par_pk = {c.pk: c for c in campagnes}
    modele = modele_url("parcours:detail")
    for i in inscriptions:
        i.campagne = par_pk[i.campagne_id]
        i.alertes = _alertes_inscription(i, jour, i.campagne)
        i.badges = badges_alertes(i.alertes)
        i.lien = modele.replace(_UUID_MODELE, str(i.uuid)) if modele else None
    return inscriptions


def badges_alertes(alertes) -> SafeString:
    """The alerts of a row as DSFR badges (and the line end the former per-row template left), built here rather
    than by a template included per row (a page of 50 rows rendered 50 includes)."""
    if not alertes:
        return mark_safe('<span class="fr-sr-only">Aucune alerte</span>\n')
    return SafeString(
        "".join(
            f'<p class="fr-badge fr-badge--sm fr-badge--{_NIVEAUX.get(niveau, "info")} fr-mr-1v">{echapper(texte)}</p>'
            for texte, niveau in alertes
        )
        + "\n"
    )


_NIVEAUX = {"error": "error", "warning": "warning"}  # a badge's DSFR level; any other is «info»


def _assiduite_a_saisir(attendus, saisies, jour):
    """The half-days of this week, up to today, on which a followed young person is expected (timetable slots and
    PFMP days, holidays excluded: `regles.demi_journees_attendues`) and nothing is recorded yet; the parcours with
    nothing expected this week (no slot, no PFMP), so that an empty list is never read as «all recorded»; and how
    many half-days were expected. `attendus` is `selections.attendus_de_la_semaine(ids, lundi)` (three queries, also
    the timetable's), `saisies` `lignes.presences_saisies(ids, lundi, jour)` (one query more, whatever the number
    of parcours)."""
    inscriptions, creneaux, pfmps = attendus
    lundi, _ = selections.semaine(jour)
    a_saisir, vides, total = [], [], 0
    for i in inscriptions:
        semaine = regles.demi_journees_attendues(
            i, creneaux.get(i.pk, []), pfmps.get(i.pk, []), lundi, lundi + datetime.timedelta(days=6)
        )
        if not semaine and i.statut == Inscription.Statut.EN_COURS:
            vides.append({"inscription": i, "lien": lien_objet("parcours:emploi_du_temps", i.uuid)})
        for d, per in semaine:
            if d > jour:
                continue
            total += 1
            if (i.pk, d, per) not in saisies:
                a_saisir.append(
                    {
                        "date": d,
                        "periode": Presence.Periode(per).label,
                        "cle": (d, per, i.jeune.nom),
                        "inscription": i,
                        "lien": lien_objet("parcours:presences", i.uuid),
                    }
                )
    a_saisir.sort(key=lambda x: (x["date"], x["cle"][1] != "matin", x["cle"][2]))
    return a_saisir, vides, total


@require_GET
def referent(request):
    p = perimetre(request.user)
    if not p.referent:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "referent", p.referent, lambda: _contenu_referent(request))
    return render(request, "tableaux/ecran.html", {"titre": "Mes jeunes", "contenu": contenu})


def _contenu_referent(request) -> str:
    from avenirpro.campagnes import envoyer_toutes

    jour = timezone.localdate()
    lundi, dimanche = selections.semaine(jour)
    # Campaign switch: every campaign unless one is asked for (?campagne=<session>), as the parcours list does;
    # the cached fragment is keyed on the full path, so each campaign has its own. With none asked for (the screen
    # as a référent opens it), the ids of every campaign do not wait for the campaigns: both in one round trip.
    with ensemble():
        envoi_campagnes = envoyer_toutes()
        envoi_suivis = None
        if "campagne" not in request.GET:
            envoi_suivis = selections.envoyer_ids_suivis(request.user, role="referent", campagne=None)
    campagnes = envoi_campagnes.lignes()
    if envoi_suivis is not None:
        choisie, suivis = None, envoi_suivis.lignes()
    else:
        choisie = ParcoursSuivisFilter(request.GET, queryset=Inscription.objects.none(), campagnes=campagnes).choisie()
        suivis = selections.ids_suivis(request.user, role="referent", campagne=choisie)
    tous, jeunes_suivis = [pk for pk, _ in suivis], [j for _, j in suivis]
    # The followed parcours (annotated as rows), their slots and PFMP of the week, read once for the page's rows,
    # the timetable and the attendance: a référent follows a few parcours, rarely more than a page. Those five
    # statements depend only on the ids just read: sent together, in one round trip rather than five.
    with ensemble():
        lire_attendus = selections.envoyer_attendus_de_la_semaine(tous, lundi, jour)
        envoi_saisies = lignes.envoyer_presences_saisies(tous, lundi, jour)
        envoi_entretiens = selections.envoyer_entretiens_du_tableau(request.user, jeunes=jeunes_suivis, limite=20)
    attendus = lire_attendus()

    def lignes_de(_tous, de_la_page):
        voulus = set(de_la_page)
        return [i for i in attendus[0] if i.pk in voulus]

    page, inscriptions, _ids, _jeunes = _parcours_suivis(request, suivis, jour, campagnes, lignes_de=lignes_de)
    creneaux = sorted(
        (c for liste in attendus[1].values() for c in liste if c.action.statut != Action.Statut.ABANDONNEE),
        key=lambda c: (c.jour, c.heure_debut, c.pk),
    )
    jours = _emploi_du_temps(creneaux, lundi, jour)
    a_saisir, sans_emploi_du_temps, attendues_total = _assiduite_a_saisir(attendus, envoi_saisies.lignes(), jour)
    # Every planned point, the overdue ones first and flagged as such (they used to vanish from the list).
    points = sorted((i for i in inscriptions if i.prochain_point), key=lambda i: i.prochain_point)
    for i in inscriptions:
        i.point_en_retard = bool(i.prochain_point and i.prochain_point < jour)
        i.html = _ligne_referent(i)
    points_html = SafeString("".join(_point_html(i) for i in points))
    entretiens = envoi_entretiens.lignes()
    return render_to_string(
        "tableaux/_referent.html",
        {
            "page": page,
            "inscriptions": inscriptions,
            "lignes_html": SafeString("".join(i.html for i in inscriptions)),
            "jours": jours,
            "lundi": lundi,
            "vendredi": lundi + datetime.timedelta(days=4),
            "a_saisir": a_saisir,
            "attendues_total": attendues_total,
            "sans_emploi_du_temps": sans_emploi_du_temps,
            "lien_appel": lien("parcours:appel"),
            "points": points,
            "points_html": points_html,
            "entretiens": entretiens,
            "jour": jour,
            "campagne": choisie,
            "campagnes": campagnes,
        },
        request=request,
    )


# A row of the référent's parcours (tableaux/_referent.html), filled once per row (each text escaped here, as
# `format_html` would) rather than cell by cell by the template engine.
LIGNE_REFERENT = """
            <tr>
              <th scope="row">{jeune}{telephone}{parcours}</th>
              <td>{lycee}</td>
              <td>{mef}</td>
              <td>{fin}</td>
              <td>{point}{retard}</td>
              <td>{badges}</td>
            </tr>
          """
BADGE_RETARD = mark_safe(' <span class="fr-badge fr-badge--sm fr-badge--error">en retard</span>')


def _ligne_referent(i) -> SafeString:
    telephone = i.jeune.telephone
    if telephone:
        telephone = (
            f'<br><a class="fr-text--sm" href="tel:{echapper(telephone.replace(" ", ""))}">{echapper(telephone)}</a>'
        )
    return SafeString(
        LIGNE_REFERENT.format(
            jeune=lien_jeune(i.jeune),
            telephone=telephone or "",
            parcours=_lien_parcours(i.lien),
            lycee=echapper(i.etablissement.nom),
            mef=echapper(i.get_mef_display()),
            fin=f"{i.date_fin_prevue:%d/%m/%Y}",
            point=f"{i.prochain_point:%d/%m/%Y}" if i.prochain_point else "–",
            retard=BADGE_RETARD if i.point_en_retard else "",
            badges=i.badges,
        )
    )


def _point_html(i) -> str:
    """A planned follow-up point of the référent's list: its date, flagged when overdue, and the young person."""
    return f"<li>{i.prochain_point:%d/%m/%Y}{BADGE_RETARD if i.point_en_retard else ''} : {lien_jeune(i.jeune)}</li>"


def _lien_parcours(lien) -> str:
    return f'<br><a class="fr-text--sm" href="{echapper(lien)}">Voir le parcours</a>' if lien else ""


# --- Conseiller mission locale ----------------------------------------------------------------------------


@require_GET
def conseiller(request):
    p = perimetre(request.user)
    if not p.missions_locales:
        raise PermissionDenied
    contenu = cache_ecrans.fragment(request, "conseiller", p.couverts, lambda: _contenu_conseiller(request))
    return render(request, "tableaux/ecran.html", {"titre": "Mes jeunes (mission locale)", "contenu": contenu})


def _contenu_conseiller(request) -> str:
    from avenirpro.campagnes import campagne_parmi, envoyer_toutes

    jour = timezone.localdate()
    # Statements that depend on nothing read yet: sent together, in one round trip. The counts per lycée are of the
    # campaign shown: with none asked for (the screen as a counsellor opens it), the newest, which the statement
    # reads itself; a campaign asked for (?campagne=<session>) is known once the campaigns are read.
    demandee = "campagne" in request.GET
    with ensemble():
        envoi_campagnes = envoyer_toutes()
        envoi_par_lycee = None
        if not demandee:
            envoi_par_lycee = selections.envoyer_jeunes_par_lycee(request.user, selections.LA_PLUS_RECENTE)
        envoi_suivis = selections.envoyer_ids_suivis(request.user, role="conseiller")
        envoi_entretiens = selections.envoyer_entretiens_du_tableau(request.user, participant=True, limite=50)
    campagne, campagnes = campagne_parmi(request.GET, envoi_campagnes.lignes())
    if envoi_par_lycee is None:
        envoi_par_lycee = selections.envoyer_jeunes_par_lycee(request.user, campagne)
    par_lycee = list(envoi_par_lycee.lignes())
    for ligne in par_lycee:
        ligne["lien"] = lien("eleves:suivis", etablissement=ligne["etablissement__uuid"])
    page, inscriptions, _ids, _jeunes = _parcours_suivis(request, envoi_suivis.lignes(), jour, campagnes)
    for i in inscriptions:
        i.html = _ligne_conseiller(i)
    entretiens = envoi_entretiens.lignes()
    for e in entretiens:
        e.lien = lien_objet("entretiens:detail", e.uuid)
    return render_to_string(
        "tableaux/_conseiller.html",
        {
            "campagne": campagne,
            "campagnes": campagnes,
            "par_lycee": par_lycee,
            "total_jeunes": sum(ligne["jeunes"] for ligne in par_lycee),
            "page": page,
            "inscriptions": inscriptions,
            "lignes_html": SafeString("".join(i.html for i in inscriptions)),
            "entretiens": entretiens,
            "lien_entretiens": lien("entretiens:reunions"),
            "lien_suivis": lien("eleves:suivis"),
        },
        request=request,
    )


# A row of the counsellor's parcours (tableaux/_conseiller.html), filled once per row (each text escaped here, as
# `format_html` would) rather than cell by cell by the template engine.
LIGNE_CONSEILLER = """
            <tr>
              <th scope="row">{jeune}{parcours}</th>
              <td>{lycee}</td>
              <td>{referent}</td>
              <td>{imilo}</td>
              <td>{fin}</td>
              <td>{badges}</td>
            </tr>
          """


def _ligne_conseiller(i) -> SafeString:
    return SafeString(
        LIGNE_CONSEILLER.format(
            jeune=lien_jeune(i.jeune),
            parcours=_lien_parcours(i.lien),
            lycee=echapper(i.etablissement.nom),
            referent=echapper(i.referent or "–"),
            imilo=echapper(i.numero_imilo or "–"),
            fin=f"{i.date_fin_prevue:%d/%m/%Y}",
            badges=i.badges,
        )
    )


# --- Pilotage ---------------------------------------------------------------------------------------------


def ligne_publiee(tableau: TableauProtege, lycees, libelle: str) -> dict:
    """One published row: counts or the mask, and the average and the rate, masked with the people behind them."""
    valeurs, masquees = tableau.cellules(lycees)
    ligne = {"libelle": libelle}
    for champ in COLONNES_COMPTEES:
        ligne[champ] = MASQUE if champ in masquees else valeurs[champ]
    bruts = [tableau.lignes[pk] for pk in lycees if pk in tableau.lignes]
    sortis = sum(b["sortis"] for b in bruts if duree_en_jours(b.get("duree_moyenne")) is not None)
    jours = sum(b["sortis"] * duree_en_jours(b.get("duree_moyenne")) for b in bruts if b.get("duree_moyenne"))
    ligne["duree_moyenne_jours"] = MASQUE if "sortis" in masquees else (round(jours / sortis) if sortis else None)
    inscrits = sum(b["inscrits"] for b in bruts)
    demi_journees = sum(b["demi_journees"] for b in bruts)
    presentes = sum(b["demi_journees_presentes"] for b in bruts)
    ligne["taux_assiduite"] = (
        MASQUE if inscrits < tableau.seuil else (round(100 * presentes / demi_journees) if demi_journees else None)
    )
    return ligne


def _masque_publie(valeur) -> str | None:
    return valeur if valeur == MASQUE else None


@require_GET
def pilotage(request):
    choix = portees(request.user)
    if not choix:
        raise PermissionDenied
    index = entier_parametre(request.GET, "portee", maximum=len(choix) - 1)
    portee = choix[index]
    dimension = request.GET.get("par") or portee["dimension"]
    if dimension not in DIMENSIONS:
        dimension = portee["dimension"]
    from avenirpro.campagnes import campagne_choisie

    campagne, campagnes = campagne_choisie(request.GET)
    tableau_secret = tableau_protege(campagne)

    def lycees():
        return set(Etablissement.objects.filter(**portee["portee"]).values_list("pk", flat=True))

    format_export = request.GET.get("format")
    if format_export in ("csv", "xlsx"):
        return _export_pilotage(request, portee, dimension, campagne, tableau_secret, lycees(), format_export)
    # The main block is a function of the table (the beat stores a new one every minute, under a new stamp), of the
    # scope, the grouping and what the form offers: rendered once per process and table for those, not per request.
    # The lycées of the scope are read with it: a lycée moved to another académie leaves the page with the next
    # table, a minute at most, like the figures themselves.
    cle = (
        getattr(tableau_secret, "tampon", None),
        repr(portee),
        dimension,
        index,
        tuple(c["libelle"] for c in choix),
        campagne.pk if campagne else None,
        tuple((c.pk, str(c)) for c in campagnes),
    )
    contenu = _BLOCS_PILOTAGE.lire(
        cle,
        lambda: _bloc_pilotage(choix, index, portee, dimension, campagne, campagnes, tableau_secret, lycees()),
    )
    return render(request, "tableaux/ecran.html", {"titre": "Pilotage", "contenu": contenu})


def _lignes_pilotage(tableau_secret, lycees, dimension):
    """The published rows of the scope grouped by `dimension`, in order, and the scope's published total."""
    noms = {pk: ligne.get("libelle", "") for pk, ligne in tableau_secret.lignes.items()}
    ordonnees = sorted(
        (
            ligne_publiee(tableau_secret, membres, libelle_noeud(noeud, noms))
            for noeud, membres in tableau_secret.groupes(lycees, dimension)
        ),
        key=lambda v: str(v["libelle"]),
    )
    return ordonnees, ligne_publiee(tableau_secret, lycees, "Total")


def _export_pilotage(request, portee, dimension, campagne, tableau_secret, lycees, format_export):
    ordonnees, somme = _lignes_pilotage(tableau_secret, lycees, dimension)
    libelle_dimension = DIMENSIONS[dimension][0]
    entetes = [libelle_dimension] + [libelle for _, libelle in COLONNES_EXPORT]
    donnees = [[v["libelle"]] + [v[champ] for champ, _ in COLONNES_EXPORT] for v in ordonnees + [somme]]
    nom = f"avenirpro-pilotage-{campagne.session if campagne else 'aucune'}-{dimension}"
    journaliser(
        request.user,
        JournalAcces.Action.EXPORT,
        f"Statistiques de pilotage ({portee['libelle']}, par {libelle_dimension.lower()}, {format_export})",
        len(donnees),
    )
    if format_export == "csv":
        return reponse_csv(f"{nom}.csv", entetes, donnees)
    return reponse_xlsx(f"{nom}.xlsx", "Pilotage", entetes, donnees)


_BLOCS_PILOTAGE = Memo(64)


def _bloc_pilotage(choix, index, portee, dimension, campagne, campagnes, tableau_secret, lycees) -> SafeString:
    ordonnees, somme = _lignes_pilotage(tableau_secret, lycees, dimension)
    libelle_dimension = DIMENSIONS[dimension][0]
    tableau = [
        {
            "libelle": v["libelle"],
            "valeurs": [nombre(v[champ]) if isinstance(v[champ], int) else v[champ] for champ, _ in COLONNES_PILOTAGE],
        }
        for v in ordonnees
    ]
    ligne_total = [nombre(somme[c]) if isinstance(somme[c], int) else somme[c] for c, _ in COLONNES_PILOTAGE]
    graphique = barres(
        "graphique-pilotage",
        "Du repérage à la sortie (total du périmètre)",
        [(libelle_f, valeur, None) for libelle_f, valeur, _ in entonnoir(somme)],
        _masque_publie,
    )
    # The exits of the scope by situation and by motif (the memento: «la date et le motif de sortie … afin de pouvoir
    # apprécier le devenir des élèves»), from the published total: a masked cell stays «secret».
    graphiques_sorties = [
        barres(
            "graphique-pilotage-situations",
            "Sorties par situation (total du périmètre)",
            [(s.label, somme[f"situation_{s.value}"], None) for s in Inscription.SituationSortie],
            _masque_publie,
        ),
        barres(
            "graphique-pilotage-motifs",
            "Sorties par motif (total du périmètre)",
            [(m.label, somme[f"motif_{m.value}"], None) for m in Inscription.MotifSortie],
            _masque_publie,
        ),
    ]
    base = {"portee": index}
    return render_to_string(
        "tableaux/_pilotage.html",
        {
            "campagne": campagne,
            "campagnes": campagnes,
            "choix": [{"libelle": c["libelle"], "index": i} for i, c in enumerate(choix)],
            "index": index,
            "portee": portee,
            "dimension": dimension,
            "dimensions": [(cle, lib) for cle, (lib, _) in DIMENSIONS.items()],
            "libelle_dimension": libelle_dimension,
            "colonnes": [lib for _, lib in COLONNES_PILOTAGE],
            "tableau": tableau,
            "ligne_total": ligne_total,
            "graphique": graphique,
            "graphiques_sorties": graphiques_sorties,
            "export_csv": "?" + urlencode({**base, "par": dimension, "format": "csv"}),
            "export_xlsx": "?" + urlencode({**base, "par": dimension, "format": "xlsx"}),
            "seuil": SEUIL,
            "masque": MASQUE,
        },
    )
