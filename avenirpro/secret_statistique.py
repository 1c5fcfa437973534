"""Secret statistique (R12) : ce qui sort d'un lycée n'en sort qu'agrégé, et aucun effectif inférieur au seuil
ne doit pouvoir être lu ni recalculé (ADR 0010).

Deux étages :

- `proteger(valeurs, relations)` : l'algorithme, indépendant des écrans. Les cellules sont des effectifs (entiers
  ≥ 0) ; une relation `(total, parties)` dit que `total = somme des parties` (une marge, un regroupement, une colonne
  somme d'autres colonnes). Masquage primaire : toute cellule sous le seuil (zéro compris). Masquage secondaire :
  tant qu'une cellule masquée est déterminée par ce qui reste visible (élimination de Gauss exacte sur les relations,
  plus la positivité : une combinaison de cellules masquées de même signe qui vaut 0 les fixe toutes à 0), on masque
  en complément la plus petite cellule visible d'une relation qui la contient, de préférence une partie (un lycée)
  plutôt qu'un total.
- `TableauProtege` : les chiffres d'une campagne lycée par lycée, regroupés selon la hiérarchie
  lycée → bassin → département → académie → ensemble, protégés une seule fois pour TOUS les lycées. Chaque écran et
  chaque export de pilotage (toutes portées, tous regroupements, CSV, XLSX, graphique) lit ses cellules dans ce même
  tableau : un même chiffre est masqué partout ou nulle part, et un regroupement ne peut pas servir à recalculer
  l'autre.
"""

from __future__ import annotations

import datetime
from collections import defaultdict, deque
from fractions import Fraction

SEUIL = 5
MASQUE = "secret"


def _ordre(cellule) -> str:
    return repr(cellule)


# --- L'algorithme ---------------------------------------------------------------------------------------------


def _equations(valeurs: dict, relations, masques: set) -> list[tuple[dict, Fraction]]:
    """Chaque relation réécrite sur les seules cellules masquées : Σ coef·x = constante (ce qui est visible)."""
    equations = []
    for total, parties in relations:
        coefs: dict = defaultdict(int)
        constante = 0
        for cellule, coef in [(total, 1)] + [(p, -1) for p in parties]:
            if cellule in masques:
                coefs[cellule] += coef
            else:
                constante -= coef * valeurs[cellule]
        coefs = {c: Fraction(v) for c, v in coefs.items() if v}
        if coefs:
            equations.append((coefs, Fraction(constante)))
    return equations


def _echelonner(equations) -> list[tuple[dict, Fraction]]:
    """Forme échelonnée réduite (Gauss-Jordan, fractions exactes, lignes creuses). Une équation incohérente ou
    redondante est écartée."""
    pivots: dict = {}
    contient: dict = defaultdict(set)  # cellule → pivots dont la ligne la contient
    for coefs, constante in equations:
        coefs = dict(coefs)
        for c in [c for c in coefs if c in pivots]:
            f = coefs.get(c)
            if not f:
                continue
            ligne, k = pivots[c]
            for cc, v in ligne.items():
                nv = coefs.get(cc, 0) - f * v
                if nv:
                    coefs[cc] = nv
                else:
                    coefs.pop(cc, None)
            constante -= f * k
        if not coefs:
            continue
        p = min(coefs, key=_ordre)
        f = coefs[p]
        coefs = {c: v / f for c, v in coefs.items()}
        constante /= f
        for q in list(contient[p]):
            ligne, k = pivots[q]
            g = ligne[p]
            for cc, v in coefs.items():
                nv = ligne.get(cc, 0) - g * v
                if nv:
                    ligne[cc] = nv
                    contient[cc].add(q)
                else:
                    ligne.pop(cc, None)
                    contient[cc].discard(q)
            pivots[q] = (ligne, k - g * constante)
        pivots[p] = (coefs, constante)
        for cc in coefs:
            contient[cc].add(p)
    return list(pivots.values())


def cellules_determinees(valeurs: dict, relations, masques: set) -> dict:
    """{cellule masquée: valeur} pour celles qu'un lecteur recalcule à partir des cellules visibles et des
    relations, sachant que les effectifs sont positifs."""
    equations = _equations(valeurs, relations, masques)
    trouvees: dict = {}
    while True:
        nouvelles = {}
        for coefs, constante in _echelonner(equations):
            if len(coefs) == 1:
                ((c, v),) = coefs.items()
                nouvelles[c] = constante / v
            elif constante == 0 and (all(v > 0 for v in coefs.values()) or all(v < 0 for v in coefs.values())):
                nouvelles.update(dict.fromkeys(coefs, Fraction(0)))
        nouvelles = {c: v for c, v in nouvelles.items() if c not in trouvees}
        if not nouvelles:
            return trouvees
        trouvees.update(nouvelles)
        equations = equations + [({c: Fraction(1)}, v) for c, v in nouvelles.items()]


def _complement(cellule, relations, par_cellule, masques, valeurs):
    """La cellule visible à masquer pour couvrir `cellule` : la plus petite partie visible d'une relation qui la
    contient, sinon le plus petit total visible ; à défaut, en s'éloignant de proche en proche par les cellules
    masquées."""
    vues_rel, vues_cel = set(), {cellule}
    file = deque([cellule])
    while file:
        courante = file.popleft()
        candidats = []
        for i in par_cellule[courante]:
            if i in vues_rel:
                continue
            vues_rel.add(i)
            total, parties = relations[i]
            for p in parties:
                if p not in masques:
                    candidats.append((0, valeurs[p], _ordre(p), p))
            if total not in masques:
                candidats.append((1, valeurs[total], _ordre(total), total))
            for c in (total, *parties):
                if c in masques and c not in vues_cel:
                    vues_cel.add(c)
                    file.append(c)
        if candidats:
            return min(candidats)[3]
    return None


def _blocs(relations) -> list[list[int]]:
    """Relations grouped by the cells they share: blocks that do not share any cell are protected apart."""
    parent = list(range(len(relations)))

    def racine(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    premiere: dict = {}
    for i, (total, parties) in enumerate(relations):
        for c in (total, *parties):
            if c in premiere:
                parent[racine(i)] = racine(premiere[c])
            else:
                premiere[c] = i
    blocs = defaultdict(list)
    for i in range(len(relations)):
        blocs[racine(i)].append(i)
    return list(blocs.values())


def _est_arbre(relations) -> bool:
    """True when the relations form a tree (a hierarchy for one column): each cell in at most two relations and no
    cycle between relations. Then a cell is determined exactly when it is the only unknown of a relation, step by
    step (`_propager`), and no elimination is needed."""
    parent = list(range(len(relations)))

    def racine(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vues: dict = {}
    for i, (total, parties) in enumerate(relations):
        cellules = (total, *parties)
        if len(set(cellules)) != len(cellules):
            return False
        for c in cellules:
            if c in vues:
                if vues[c] is None:
                    return False  # a third relation
                j = vues[c]
                if racine(i) == racine(j):
                    return False
                parent[racine(i)] = racine(j)
                vues[c] = None
            else:
                vues[c] = i
    return True


def _propager(valeurs: dict, relations, masques: set) -> dict:
    """Determined masked cells of a tree of relations: the only unknown of a relation, and the unknown parts of a
    known total whose known parts already make it (they are all 0), until nothing changes."""
    par_cellule: dict = defaultdict(list)
    for i, (total, parties) in enumerate(relations):
        for c in (total, *parties):
            par_cellule[c].append(i)
    connues = {c: valeurs[c] for c in par_cellule if c not in masques}
    trouvees: dict = {}
    a_voir = list(range(len(relations)))
    while a_voir:
        i = a_voir.pop()
        total, parties = relations[i]
        inconnues = [c for c in (total, *parties) if c not in connues]
        nouvelles = {}
        if len(inconnues) == 1:
            (c,) = inconnues
            if c == total:
                nouvelles[c] = sum(connues[p] for p in parties)
            else:
                nouvelles[c] = connues[total] - sum(connues[p] for p in parties if p != c)
        elif inconnues and total in connues and connues[total] == sum(connues[p] for p in parties if p in connues):
            nouvelles = dict.fromkeys(inconnues, 0)
        for c, v in nouvelles.items():
            connues[c] = trouvees[c] = Fraction(v)
            a_voir.extend(par_cellule[c])
    return trouvees


def proteger(valeurs: dict, relations, *, seuil: int = SEUIL) -> set:
    """Les cellules à masquer : sous le seuil (masquage primaire) et leurs compléments (masquage secondaire).
    Les blocs de relations indépendants sont traités à part ; un bloc en arbre (une colonne le long de la
    hiérarchie) par propagation, les autres par élimination de Gauss."""
    relations = [(t, tuple(p)) for t, p in relations]
    masques = {c for c, v in valeurs.items() if v < seuil}
    for bloc in _blocs(relations):
        rel = [relations[i] for i in bloc]
        cellules = {c for t, p in rel for c in (t, *p)}
        vals = {c: valeurs[c] for c in cellules}
        masques |= _proteger_bloc(vals, rel, {c for c in cellules if c in masques})
    return masques


def _proteger_bloc(valeurs: dict, relations, masques: set) -> set:
    """A tree is audited by propagation alone. Otherwise propagation first (cheap, finds most exposures), and the
    elimination only once propagation finds nothing more: its verdict is the one that ends the loop."""
    arbre = _est_arbre(relations)
    par_cellule: dict = defaultdict(list)
    for i, (total, parties) in enumerate(relations):
        for c in (total, *parties):
            par_cellule[c].append(i)
    masques = set(masques)
    while True:
        exposees = _propager(valeurs, relations, masques)
        if not exposees and not arbre:
            exposees = cellules_determinees(valeurs, relations, masques)
        if not exposees:
            return masques
        ajoutees = set()
        touchees: set = set()  # relations qui ont déjà reçu un complément à ce tour
        for c in sorted(exposees, key=_ordre):
            if touchees.intersection(par_cellule[c]):
                continue
            complement = _complement(c, relations, par_cellule, masques | ajoutees, valeurs)
            if complement is not None:
                ajoutees.add(complement)
                touchees.update(par_cellule[complement])
                touchees.update(par_cellule[c])
        if not ajoutees:
            return masques  # plus rien de visible autour : tout ce qui pouvait l'être est masqué
        masques |= ajoutees


# --- Les chiffres de pilotage ------------------------------------------------------------------------------------

NIVEAUX = ("lycee", "bassin", "departement", "academie")


def noeuds_de(info: dict) -> dict:
    """{niveau: nœud} d'un lycée ; un nœud porte tout son chemin, donc la hiérarchie est un arbre même si deux
    départements ont un bassin du même nom."""
    aca, dep, bas = info["academie"], info["departement"], info["bassin"]
    return {
        "lycee": ("lycee", info["pk"]),
        "bassin": ("bassin", aca, dep, bas),
        "departement": ("departement", aca, dep),
        "academie": ("academie", aca),
        None: ("ensemble",),
    }


def libelle_noeud(noeud, noms: dict) -> str:
    if noeud[0] == "lycee":
        return noms.get(noeud[1], "")
    if noeud[0] == "ensemble":
        return "Total"
    return noeud[-1] or "Non renseigné"


class TableauProtege:
    """Les effectifs d'une campagne lycée par lycée et à chaque niveau de la hiérarchie, avec les cellules
    masquées. `colonnes` : les effectifs publiés ; `sommes` : {colonne: [colonnes dont elle est la somme]}."""

    def __init__(self, lignes_lycees: dict, infos: dict, colonnes, sommes: dict, *, seuil: int = SEUIL):
        self.colonnes = list(colonnes)
        self.infos = infos
        self.lignes = lignes_lycees
        membres: dict = defaultdict(set)
        for pk in lignes_lycees:
            chemin = noeuds_de(infos[pk])
            for n in [chemin[n] for n in NIVEAUX] + [chemin[None]]:
                membres[n].add(pk)
        membres = {n: frozenset(m) for n, m in membres.items()}
        self.par_membres = {}
        for n in sorted(membres, key=lambda n: (_rang(n), _ordre(n))):
            self.par_membres.setdefault(membres[n], n)  # le nœud le plus fin qui a ces membres
        # A node with the same lycées as the one below it (a bassin of one lycée…) IS that node: one set of cells.
        self.membres = {n: membres[n] for n in self.par_membres.values()}
        enfants: dict = defaultdict(set)
        for pk in lignes_lycees:
            chemin = noeuds_de(infos[pk])
            niveaux = []
            for n in [chemin[n] for n in NIVEAUX] + [chemin[None]]:
                canon = self.par_membres[membres[n]]
                if not niveaux or niveaux[-1] != canon:
                    niveaux.append(canon)
            for bas, haut in zip(niveaux, niveaux[1:], strict=False):
                enfants[haut].add(bas)
        self.valeurs = {}
        for n, m in self.membres.items():
            for col in self.colonnes:
                self.valeurs[(n, col)] = sum(lignes_lycees[pk].get(col, 0) for pk in m)
        relations = []
        for haut, bas in enfants.items():
            for col in self.colonnes:
                relations.append(((haut, col), [(b, col) for b in sorted(bas, key=_ordre)]))
        for n in self.membres:
            for col, parties in sommes.items():
                relations.append(((n, col), [(n, p) for p in parties]))
        self.relations = relations
        self.masques = proteger(self.valeurs, relations, seuil=seuil)
        self.seuil = seuil

    def cellules(self, lycees) -> tuple[dict, set]:
        """({colonne: effectif}, {colonnes masquées}) pour un ensemble de lycées. Un nœud de la hiérarchie a ses
        cellules protégées ; un autre ensemble (les lycées d'un chef) ne montre une somme que si toutes ses
        parties sont visibles au niveau lycée."""
        lycees = frozenset(pk for pk in lycees if pk in self.lignes)
        noeud = self.par_membres.get(lycees)
        if noeud is not None:
            valeurs = {col: self.valeurs[(noeud, col)] for col in self.colonnes}
            return valeurs, {col for col in self.colonnes if (noeud, col) in self.masques}
        valeurs = {col: sum(self.lignes[pk].get(col, 0) for pk in lycees) for col in self.colonnes}
        masquees = {
            col
            for col in self.colonnes
            if any((("lycee", pk), col) in self.masques for pk in lycees) or valeurs[col] < self.seuil
        }
        return valeurs, masquees

    def groupes(self, lycees, niveau: str) -> list[tuple[tuple, frozenset]]:
        """[(nœud, lycées de la portée qu'il contient)] au niveau demandé."""
        groupes = defaultdict(set)
        for pk in lycees:
            if pk in self.lignes:
                groupes[noeuds_de(self.infos[pk])[niveau]].add(pk)
        return sorted(((n, frozenset(m)) for n, m in groupes.items()), key=lambda g: _ordre(g[0]))


def _rang(noeud) -> int:
    return {"lycee": 0, "bassin": 1, "departement": 2, "academie": 3, "ensemble": 4}[noeud[0]]


def duree_en_jours(valeur) -> float | None:
    if isinstance(valeur, datetime.timedelta):
        return valeur.total_seconds() / 86400
    if isinstance(valeur, (int, float)):
        return float(valeur)
    return None
