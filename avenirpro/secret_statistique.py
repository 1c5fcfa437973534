"""Secret statistique (R12) : ce qui sort d'un lycée n'en sort qu'agrégé, et aucun effectif inférieur au seuil
ne doit pouvoir être lu ni recalculé (ADR 0010).

Deux étages :

- `proteger(valeurs, relations)` : l'algorithme, indépendant des écrans. Les cellules sont des effectifs (entiers
  ≥ 0) ; une relation `(total, parties)` dit que `total = somme des parties` (une marge, un regroupement, une colonne
  somme d'autres colonnes). Masquage primaire : toute cellule sous le seuil (zéro compris). Masquage secondaire :
  tant qu'une cellule masquée est déterminée par ce qui reste visible (élimination de Gauss exacte sur les relations,
  plus la positivité : les cases nulles dans toute solution, trouvées par une programmation linéaire), on masque
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
import math
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
        coefs: dict = {}
        if total in masques:
            coefs[total] = 1
            constante = 0
        else:
            constante = -valeurs[total]
        for p in parties:
            if p in masques:
                coefs[p] = coefs.get(p, 0) - 1
            else:
                constante += valeurs[p]
        coefs = {c: v for c, v in coefs.items() if v}
        if coefs:
            equations.append((coefs, constante))
    return equations


def _diviser(v, f):
    """v / f exactement : un entier tant que c'est possible (le cas courant, coefficients ±1), une fraction
    sinon ; une fraction entière redevient un entier (l'arithmétique entière est bien plus rapide)."""
    if f == 1:
        return v
    if f == -1:
        return -v
    q = Fraction(v) / f
    return q.numerator if q.denominator == 1 else q


def _entier(v):
    return v.numerator if isinstance(v, Fraction) and v.denominator == 1 else v


def _echelonner(equations, rangs: dict | None = None, *, creux: bool = False) -> list[tuple[dict, Fraction]]:
    """Forme échelonnée réduite (Gauss-Jordan, exacte : entiers et fractions, lignes creuses), pivots choisis dans
    l'ordre fixe des cases (`_ordre`, ou `rangs` : les mêmes clés déjà calculées). Une équation incohérente ou
    redondante est écartée.

    `creux` : le pivot d'une équation est sa case présente dans le moins de lignes déjà réduites (degré minimal,
    puis l'ordre fixe) : beaucoup moins de remplissage sur un grand tableau. La forme obtenue diffère, mais une case
    est fixée par les relations si et seulement si une ligne réduite ne contient qu'elle, quel que soit l'ordre des
    pivots : ce que la protection en lit (`_lire_echelonnees`, les cases seules) ne change pas."""
    pivots: dict = {}
    contient: dict = defaultdict(set)  # cellule → pivots dont la ligne la contient
    if rangs is None:
        rangs = {c: _ordre(c) for coefs, _ in equations for c in coefs}
    ordre = rangs.__getitem__
    fraction = Fraction
    for coefs, constante in equations:
        coefs = dict(coefs)
        for c in [c for c in coefs if c in pivots]:
            f = coefs.get(c)
            if not f:
                continue
            ligne, k = pivots[c]
            for cc, v in ligne.items():
                nv = coefs.get(cc, 0) - f * v
                if type(nv) is fraction and nv.denominator == 1:
                    nv = nv.numerator
                if nv:
                    coefs[cc] = nv
                else:
                    coefs.pop(cc, None)
            constante = _entier(constante - f * k)
        if not coefs:
            continue
        p = min(coefs, key=(lambda c: (len(contient[c]), ordre(c))) if creux else ordre)
        f = coefs[p]
        if f != 1:
            coefs = {c: _diviser(v, f) for c, v in coefs.items()}
            constante = _diviser(constante, f)
        for q in list(contient[p]):
            ligne, k = pivots[q]
            g = ligne[p]
            for cc, v in coefs.items():
                nv = ligne.get(cc, 0) - g * v
                if type(nv) is fraction and nv.denominator == 1:
                    nv = nv.numerator
                if nv:
                    ligne[cc] = nv
                    contient[cc].add(q)
                else:
                    ligne.pop(cc, None)
                    contient[cc].discard(q)
            pivots[q] = (ligne, _entier(k - g * constante))
        pivots[p] = (coefs, constante)
        for cc in coefs:
            contient[cc].add(p)
    return list(pivots.values())


def cellules_determinees(valeurs: dict, relations, masques: set) -> dict:
    """{cellule masquée: valeur} pour celles qu'un lecteur recalcule à partir des cellules visibles et des
    relations, sachant que les effectifs sont positifs. Exact : l'élimination trouve ce que les relations fixent,
    `zeros_forces` ce que la positivité fixe à 0 ; quand il n'y a plus de zéro forcé, l'ensemble des solutions a
    un point où toutes les cases sont > 0, et une case y est fixée si et seulement si l'élimination la fixe."""
    equations = _equations(valeurs, relations, masques)
    trouvees: dict = {}
    while True:
        nouvelles = _lire_echelonnees(_echelonner(equations))
        if not {c for c in nouvelles if c not in trouvees}:
            inconnues = {c for coefs, _ in equations for c in coefs}
            nouvelles = dict.fromkeys(zeros_forces(equations, inconnues), Fraction(0))
        nouvelles = {c: v for c, v in nouvelles.items() if c not in trouvees}
        if not nouvelles:
            return trouvees
        trouvees.update(nouvelles)
        equations = equations + [({c: 1}, _entier(v)) for c, v in nouvelles.items()]


def zeros_forces(equations, inconnues) -> set:
    """Les cases masquées que la positivité fixe à 0 : nulles dans TOUTE solution de Σ coef·x = constante, x ≥ 0.

    Une seule programmation linéaire (HiGHS, par scipy) : maximiser Σ t sous coef·x = λ·constante, t ≤ x,
    0 ≤ t ≤ 1, λ ≥ 1. Une case positive dans une solution l'est dans la moyenne de ces solutions, qu'on agrandit
    (λ) jusqu'à ce que chacune de ces cases vaille au moins 1 : à l'optimum, t = 1 pour elles et t = 0 pour les
    cases toujours nulles. C'est le cas que l'élimination ne voit pas : 1 = t1 + t3, t1 = x1 + y1 + w1,
    t3 = x3 + y3 + w3 et 1 = y1 + y3 fixent x1 = w1 = x3 = w3 = 0 sans qu'aucune ligne réduite ne le dise."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix, hstack, identity

    cases = sorted(inconnues, key=_ordre)
    if not cases:
        return set()
    index = {c: k for k, c in enumerate(cases)}
    n = len(cases)
    lignes, colonnes, coefficients, constantes = [], [], [], []
    for coefs, constante in equations:
        r = len(constantes)
        for c, v in coefs.items():
            if c in index:
                lignes.append(r)
                colonnes.append(index[c])
                coefficients.append(float(v))
        constantes.append(float(constante))
    m = len(constantes)
    # Variables : x (n), t (n), λ (1).
    a_x = coo_matrix((coefficients, (lignes, colonnes)), shape=(m, n))
    a_eq = hstack([a_x, coo_matrix((m, n)), coo_matrix(-np.array(constantes).reshape(m, 1))]).tocsc()
    a_ub = hstack([-identity(n), identity(n), coo_matrix((n, 1))]).tocsc()  # t − x ≤ 0
    cout = np.concatenate([np.zeros(n), -np.ones(n), [0.0]])
    bornes = [(0, None)] * n + [(0, 1)] * n + [(1, None)]
    resultat = linprog(cout, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=np.zeros(m), bounds=bornes, method="highs")
    if resultat.status != 0:  # pragma: no cover - le système est réalisable (la vérité le satisfait)
        raise RuntimeError(f"secret statistique : audit de positivité impossible ({resultat.message})")
    t = resultat.x[n : 2 * n]
    return {c for c, k in index.items() if t[k] < 0.5}


def _lire_echelonnees(lignes) -> dict:
    """Ce qu'une forme échelonnée réduite donne d'un coup : une ligne d'une seule case la fixe ; une ligne nulle
    de coefficients tous de même signe fixe ses cases à 0 (positivité)."""
    nouvelles = {}
    for coefs, constante in lignes:
        if len(coefs) == 1:
            ((c, v),) = coefs.items()
            nouvelles[c] = Fraction(_diviser(constante, v))
        elif constante == 0 and (all(v > 0 for v in coefs.values()) or all(v < 0 for v in coefs.values())):
            nouvelles.update(dict.fromkeys(coefs, Fraction(0)))
    return nouvelles


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
    cycle between relations. Then propagating bounds relation by relation (`_encadrer`) gives each cell's exact
    range under "counts are ≥ 0", and no elimination is needed. (Propagating values alone, `_propager`, is not
    enough: 5 = a + B, B = b + 5 fixes a = b = 0 by positivity while no relation has a single unknown.)"""
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
    Les blocs de relations indépendants sont traités à part (`_proteger_bloc`) : un bloc en arbre (une colonne le
    long de la hiérarchie) est audité par encadrement, exact sur un arbre ; les autres aussi par élimination."""
    relations = [(t, tuple(p)) for t, p in relations]
    masques = {c for c, v in valeurs.items() if v < seuil}
    for bloc in _blocs(relations):
        rel = [relations[i] for i in bloc]
        cellules = {c for t, p in rel for c in (t, *p)}
        vals = {c: valeurs[c] for c in cellules}
        masques |= _proteger_bloc(vals, rel, {c for c in cellules if c in masques})
    return masques


def _proteger_bloc(valeurs: dict, relations, masques: set) -> set:
    """Boucle d'audit et de complément, en trois étages du moins cher au plus complet, chacun seulement quand le
    précédent ne trouve plus rien :

    1. point fixe local (`_point_fixe_local`) : plus aucune relation n'a une seule case masquée ni un total visible
       déjà atteint par ses parties visibles ; c'est exactement la condition pour que la propagation ne trouve rien ;
    2. pour un bloc qui n'est pas un arbre, l'élimination de Gauss de `cellules_determinees` (même ordre des
       pivots, donc même forme réduite ; en entiers tant que possible) : ce qui est déterminé linéairement, et les
       zéros forcés par la positivité dans une ligne réduite ;
    3. encadrement (`_encadrer`) : les bornes [min, max] de chaque case masquée, effectifs ≥ 0, propagées de
       relation en relation ; une case dont le min est le max est recalculée. Pour un arbre (une colonne le long de
       la hiérarchie), c'est l'audit exact (programmation linéaire sur un système sans cycle).
    4. pour un bloc qui n'est pas un arbre, les zéros forcés par la positivité (`zeros_forces`, une programmation
       linéaire) : quand il n'y en a aucun, une case n'est fixée que si l'élimination de l'étage 2 la fixe ; les
       étages 2 et 4 ensemble sont donc l'audit exact d'un bloc quelconque.

    Une case trouvée reçoit un complément, et l'on recommence en 1."""
    arbre = _est_arbre(relations)
    par_cellule: dict = defaultdict(list)
    for i, (total, parties) in enumerate(relations):
        for c in (total, *parties):
            par_cellule[c].append(i)
    rangs = {c: _ordre(c) for c in par_cellule}  # l'ordre fixe des cases, calculé une fois
    masques = set(masques)
    while True:
        _point_fixe_local(valeurs, relations, par_cellule, masques, rangs)
        exposees: dict = {}
        if not arbre:
            # Un seul passage suffit : s'il ne trouve rien, la clôture de `cellules_determinees` (qui repart des
            # cases trouvées) ne trouve rien non plus ; s'il trouve, on complète et on recommence de toute façon.
            exposees = _lire_echelonnees(_echelonner(_equations(valeurs, relations, masques), rangs, creux=True))
        if not exposees:
            exposees, complet = _encadrer(valeurs, relations, par_cellule, masques)
            if not exposees and arbre and not complet:  # pragma: no cover - un arbre converge bien avant
                exposees = _lire_echelonnees(_echelonner(_equations(valeurs, relations, masques)))
        if not exposees and not arbre:
            # 4. Les zéros que seule la positivité force (une programmation linéaire) : sans eux, l'élimination
            # exacte de l'étage 2 est l'audit complet.
            exposees = dict.fromkeys(zeros_forces(_equations(valeurs, relations, masques), masques), Fraction(0))
        if not exposees:
            return masques
        ajoutees = set()
        touchees: set = set()  # relations qui ont déjà reçu un complément à ce tour
        for c in sorted(exposees, key=_ordre):
            if touchees.intersection(par_cellule[c]):
                continue
            # `masques` reçoit les compléments au fil du tour (ce que la recherche suivante doit voir masqué), sans
            # copie de l'ensemble à chaque case exposée.
            complement = _complement(c, relations, par_cellule, masques, valeurs)
            if complement is not None:
                ajoutees.add(complement)
                masques.add(complement)
                touchees.update(par_cellule[complement])
                touchees.update(par_cellule[c])
        if not ajoutees:
            return masques  # plus rien de visible autour : tout ce qui pouvait l'être est masqué


def _encadrer(valeurs: dict, relations, par_cellule: dict, masques: set, plafond: int = 50) -> tuple[dict, bool]:
    """({case masquée: valeur} pour celles que les bornes fixent, complet). Une case visible vaut sa valeur, une
    case masquée est dans [0, ∞[ ; chaque relation resserre les bornes de ses cases (le total entre la somme des
    min et la somme des max des parties, chaque partie entre le total moins les autres), et une relation est revue
    quand une de ses cases change. Sur un arbre, ces bornes sont exactement le min et le max que donnerait la
    programmation linéaire. `complet` est faux si la propagation a été arrêtée (plus de `plafond` révisions par
    relation, possible seulement avec des cycles) : ce qui a été trouvé reste vrai, mais rien ne prouve le reste."""
    infini = math.inf
    bas, haut = {}, {}
    for c in par_cellule:
        if c in masques:
            bas[c], haut[c] = 0, infini
        else:
            bas[c] = haut[c] = valeurs[c]
    a_voir = deque(i for i, (t, p) in enumerate(relations) if t in masques or any(c in masques for c in p))
    en_file = set(a_voir)
    revisions, limite = 0, plafond * len(relations)
    while a_voir and revisions < limite:
        revisions += 1
        i = a_voir.popleft()
        en_file.discard(i)
        total, parties = relations[i]
        bas_p = [bas[p] for p in parties]
        haut_p = [haut[p] for p in parties]
        somme_bas = sum(bas_p)
        somme_haut = sum(haut_p)  # infinie si une partie n'a pas de borne haute
        changees = []
        bt, ht = bas[total], haut[total]
        nb = somme_bas if somme_bas > bt else bt
        nh = somme_haut if somme_haut < ht else ht
        if nb != bt or nh != ht:
            bas[total], haut[total] = bt, ht = nb, nh
            changees.append(total)
        if bt or ht != infini:
            infinis = haut_p.count(infini)
            finie = somme_haut if not infinis else sum(h for h in haut_p if h != infini)
            for p, pb, ph in zip(parties, bas_p, haut_p, strict=True):
                # Les autres parties : au plus `autres_haut`, au moins somme_bas - pb.
                if infinis > (ph == infini):
                    nb = pb
                else:
                    autres_haut = finie - (ph if ph != infini else 0)
                    nb = max(pb, bt - autres_haut)
                nh = min(ph, ht - (somme_bas - pb))
                if nb != pb or nh != ph:
                    bas[p], haut[p] = nb, nh
                    changees.append(p)
        for c in changees:
            for j in par_cellule[c]:
                if j != i and j not in en_file:
                    en_file.add(j)
                    a_voir.append(j)
    exposees = {c: Fraction(bas[c]) for c in masques if c in bas and bas[c] == haut[c]}
    return exposees, not a_voir


def _point_fixe_local(valeurs: dict, relations, par_cellule: dict, masques: set, rangs: dict) -> None:
    """Masque des compléments (dans `masques`, en place) jusqu'à ce qu'aucune relation n'ait une seule case masquée
    ni un total visible atteint par ses parties visibles avec des parties masquées. Le complément est la plus petite
    partie visible de la relation (un lycée plutôt qu'un total), sinon son total. Chaque relation n'est revue que
    lorsqu'une de ses cases vient d'être masquée : le coût est linéaire en la taille des relations touchées."""
    a_voir = deque(range(len(relations)))
    en_file = set(a_voir)
    while a_voir:
        i = a_voir.popleft()
        en_file.discard(i)
        total, parties = relations[i]
        masquees = [c for c in (total, *parties) if c in masques]
        if not masquees:
            continue
        if len(masquees) > 1:
            if total in masques:
                continue
            visibles = sum(valeurs[p] for p in parties if p not in masques)
            if visibles != valeurs[total]:
                continue  # les parties masquées ne sont pas toutes forcées à 0
        visibles = [p for p in parties if p not in masques]
        if visibles:
            complement = min(visibles, key=lambda p: (valeurs[p], rangs[p]))
        elif total not in masques:
            complement = total
        else:  # pragma: no cover - une seule case masquée implique une case visible
            continue
        masques.add(complement)
        for j in par_cellule[complement]:
            if j not in en_file:
                en_file.add(j)
                a_voir.append(j)
        if i not in en_file:
            en_file.add(i)
            a_voir.append(i)


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
    masquées. `colonnes` : les effectifs publiés ; `sommes` : {colonne: [colonnes dont elle est la somme]}, ou
    {colonne: [[…], […]]} quand elle est la somme de plusieurs ventilations."""

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
        ordre = sorted(self.membres, key=lambda n: (_rang(n), _ordre(n)))  # des lycées vers l'ensemble
        for n in ordre:
            if n in enfants:
                parties = list(enfants[n])
                for col in self.colonnes:
                    self.valeurs[(n, col)] = sum(self.valeurs[(b, col)] for b in parties)
            else:
                ligne = lignes_lycees[n[1]]
                for col in self.colonnes:
                    self.valeurs[(n, col)] = ligne.get(col, 0)
        relations = []
        for haut in [n for n in ordre if n in enfants]:  # de bas en haut : les audits convergent plus vite
            bas = enfants[haut]
            for col in self.colonnes:
                relations.append(((haut, col), [(b, col) for b in sorted(bas, key=_ordre)]))
        for n in self.membres:
            for col, parties in sommes.items():
                # One list of parts, or several (a total that is the sum of two breakdowns).
                for groupe in parties if parties and isinstance(parties[0], list | tuple) else [parties]:
                    relations.append(((n, col), [(n, p) for p in groupe]))
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
