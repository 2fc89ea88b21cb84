"""Disclosure control: complementary suppression and an exact audit for recovery by differencing.

Primary suppression (a count, its non-events or its denominator below the indicator's threshold)
is the SQL model ``int_indicator_values_disclosed``. What SQL cannot do well is the second step
(METHODS.md, "Disclosure control"): where a total and its parts are published, a single
suppressed part can be recovered by subtraction — a region minus its other gemeenten, a pooled
period minus its years — and so can roundabout combinations ([2020–2024] − [2022–2024] − 2020
gives 2021; a GGD-regio minus a custom region inside it …). This module

* models every figure of an indicator as a sum of *base cells* (one current gemeente in one
  base period: a year, or a source period that is not a union of published years); a region is
  the sum of its member gemeenten, a pooled period the sum of its years;
* finds recoverable cells in two ways: ``chained_leaks`` (fast, sparse substitution: a total
  with one unknown part gives that part, and so on) and ``audit`` (exact: a cell is recoverable
  when its vector of base cells lies in the span of the published totals restricted to the
  unpublished base cells; an SVD per connected block);
* adds complementary suppression: while a suppressed cell is recoverable, suppress the smallest
  published cell that takes part in its recovery formula (net coefficient ≠ 0, e.g. the
  smallest other gemeente of the region, the smallest other year of the period), then look
  again, until nothing can be recovered.

Every suppressed cell is protected, also the complementary ones. A source-delivered total (e.g.
a national total) is treated as the exact sum of its gemeenten even where it includes a little
more: that can only suppress more. Limits: the audit is linear (exact recovery); it does not
compute feasibility intervals from non-negativity, as tau-ARGUS does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

SUPPRESSED = "suppressed"
OK = "ok"
KEYS = ["indicator_id", "area_code", "period_start_year", "period_end_year"]
SECONDARY_PREFIX = "secundaire onderdrukking"
MAX_ROUNDS = 500
_TOL = 1e-6


@dataclass(frozen=True)
class Structure:
    """How the rows of one indicator are sums of base cells (gemeente × base period).

    Attributes:
        rows: The indicator's rows (index 0..n−1) with ``area_code``, ``area_level``,
            ``period_start_year`` and ``period_end_year``.
        support: Sparse 0/1 matrix rows × base cells: the base cells each row adds up.
        is_base_row: Whether a row is itself a base cell (a gemeente in a base period).
        base_row: For each base cell the row that publishes it, or −1 when there is none.
        pool_years: Sparse rows × rows: a pooled row's own yearly rows (same area).
        is_pool: A pooled (derived) period. Complementary suppression chooses parts
            (gemeente-years) and pooled periods (``pools_for``); a region's yearly total only
            when nothing else takes part in a recovery.
        is_gemeente: The row is a gemeente's.
        area_codes: Area code per row (numpy, for speed).
        labels: 'area period' per row, for status reasons.
        size_rank: Rank of each row by denominator (or count), then area and period; the
            'smallest' cell has the lowest rank.
    """

    rows: pd.DataFrame
    support: sparse.csr_matrix
    is_base_row: np.ndarray
    base_row: np.ndarray
    pool_years: sparse.csr_matrix
    is_pool: np.ndarray
    is_gemeente: np.ndarray
    area_codes: np.ndarray
    labels: np.ndarray
    size_rank: np.ndarray

    def pools_for(self, target: int, totals: set[int], known: np.ndarray) -> set[int]:
        """Pooled totals that may be suppressed to protect ``target``.

        A gemeente's pooled period, or a pooled period of the target's own area (a region
        year is protected by its region's pooled periods rather than by another year); never
        one whose years are all published (that is just their sum).
        """
        if not totals:
            return set()
        summed = self.redundant(known)
        areas = self.area_codes
        return {
            k for k in totals
            if self.is_pool[k] and not summed[k]
            and (self.is_gemeente[k] or areas[k] == areas[target])
        }

    def redundant(self, known: np.ndarray) -> np.ndarray:
        """Pooled rows whose every year is published: the sum of those, nothing more."""
        n_years = np.diff(self.pool_years.indptr)
        published = np.asarray(self.pool_years @ known.astype(float)).ravel()
        return (n_years > 0) & (published >= n_years)


@dataclass(frozen=True)
class Leak:
    """A suppressed row whose value follows from published rows.

    Attributes:
        row: Index of the recoverable row.
        via: A published total used in the recovery (for the reason text), or empty when the
            row is the sum of published parts.
        candidates: Published base rows with a non-zero coefficient in the recovery formula:
            suppressing any one of them breaks this recovery.
    """

    row: int
    via: tuple[int, ...]
    candidates: tuple[int, ...]


def period_label(start: int, end: int) -> str:
    """'2023' or '2019–2023' (en dash), as in the marts."""
    return str(start) if start == end else f"{start}–{end}"


# --------------------------------------------------------------------------------------------
# structure
# --------------------------------------------------------------------------------------------


def _period_expansion(rows: pd.DataFrame) -> tuple[pd.DataFrame, set[tuple[int, int]]]:
    """Each period → its base periods; a pooled period whose years all occur is derived."""
    periods = rows[["period_start_year", "period_end_year"]].drop_duplicates().astype(int)
    years = set(periods.loc[periods.period_start_year == periods.period_end_year,
                            "period_start_year"])
    parts, base = [], set()
    for start, end in periods.itertuples(index=False):
        span = range(start, end + 1)
        if start < end and all(y in years for y in span):
            parts += [(start, end, y, y) for y in span]
        else:
            parts.append((start, end, start, end))
            base.add((start, end))
    frame = pd.DataFrame(
        parts, columns=["period_start_year", "period_end_year", "base_start", "base_end"]
    )
    return frame, base


def build_structure(rows: pd.DataFrame, memberships: pd.DataFrame) -> Structure:
    """Model one indicator's rows as sums of base cells.

    Args:
        rows: One indicator's rows with ``area_code``, ``area_level``, ``period_start_year``
            and ``period_end_year`` (one row per area and period), ``numerator`` and
            ``denominator``.
        memberships: ``area_code`` → ``gemeente_code`` for every region (area_memberships).

    Returns:
        The ``Structure``.
    """
    rows = rows.reset_index(drop=True)
    periods, base_periods = _period_expansion(rows)
    area = rows.area_code.to_numpy(dtype=object)
    start = rows.period_start_year.to_numpy(dtype=int)
    end = rows.period_end_year.to_numpy(dtype=int)
    is_gemeente = (rows.area_level == "gemeente").to_numpy()
    own = pd.DataFrame({"area_code": pd.unique(area[is_gemeente])})
    own["gemeente_code"] = own.area_code
    regions = memberships.loc[
        memberships.area_code.isin(set(area[~is_gemeente])), ["area_code", "gemeente_code"]
    ].astype(object).drop_duplicates()
    keyed = pd.DataFrame(
        {"row": np.arange(len(rows)), "area_code": area, "period_start_year": start,
         "period_end_year": end}
    )
    links = keyed.merge(pd.concat([own, regions], ignore_index=True), on="area_code").merge(
        periods, on=["period_start_year", "period_end_year"]
    )
    gem_id, _ = pd.factorize(links.gemeente_code.to_numpy(dtype=object))
    per_id, _ = pd.factorize(links.base_start.to_numpy() * 10_000 + links.base_end.to_numpy())
    _, base_id = np.unique(gem_id.astype(np.int64) * (per_id.max(initial=0) + 1) + per_id,
                           return_inverse=True)
    n_base = int(base_id.max()) + 1 if len(base_id) else 0
    support = sparse.csr_matrix(
        (np.ones(len(links)), (links.row.to_numpy(), base_id)), shape=(len(rows), n_base)
    )
    base_period = np.array([(a, b) in base_periods for a, b in zip(start, end, strict=True)],
                           dtype=bool)
    is_base_row = is_gemeente & base_period
    base_row = np.full(n_base, -1)
    base_rows = np.flatnonzero(is_base_row)
    base_row[support[base_rows].indices] = base_rows
    pool_years = _pool_years(keyed, periods, base_periods)
    is_pool = np.diff(pool_years.indptr) > 0
    labels = np.array([f"{a} {period_label(b, c)}" for a, b, c in zip(area, start, end,
                                                                      strict=True)],
                      dtype=object)
    size = rows.denominator.fillna(rows.numerator).to_numpy(dtype=float)
    order = np.lexsort((end, start, area.astype(str), np.nan_to_num(size, nan=np.inf)))
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    return Structure(rows, support, is_base_row, base_row, pool_years, is_pool, is_gemeente,
                     area, labels, rank)


def _pool_years(keyed: pd.DataFrame, periods: pd.DataFrame, base: set) -> sparse.csr_matrix:
    """Rows × rows: each derived pooled row → the rows of its years for the same area."""
    derived = periods[[(s, e) not in base for s, e in
                       zip(periods.period_start_year, periods.period_end_year, strict=True)]]
    pooled = keyed.merge(derived, on=["period_start_year", "period_end_year"])
    years = keyed[keyed.period_start_year == keyed.period_end_year].rename(
        columns={"row": "year_row", "period_start_year": "base_start"}
    )[["area_code", "base_start", "year_row"]]
    links = pooled.merge(years, on=["area_code", "base_start"])
    n = len(keyed)
    return sparse.csr_matrix(
        (np.ones(len(links)), (links.row.to_numpy(), links.year_row.to_numpy())), shape=(n, n)
    )


def _base_known(structure: Structure, known: np.ndarray) -> np.ndarray:
    """Per base cell: is its own row published?"""
    out = np.zeros(structure.support.shape[1], bool)
    has_row = structure.base_row >= 0
    out[has_row] = known[structure.base_row[has_row]]
    return out


def _cells(matrix: sparse.csr_matrix, row: int) -> np.ndarray:
    return matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]]


def _known_rows(structure: Structure, cells: np.ndarray, base_known: np.ndarray) -> set[int]:
    """The published base rows among ``cells``."""
    return set(structure.base_row[cells[base_known[cells]]].tolist())


# --------------------------------------------------------------------------------------------
# fast check: chains of single subtractions
# --------------------------------------------------------------------------------------------


def chained_leaks(structure: Structure, known: np.ndarray, sensitive: np.ndarray) -> list[Leak]:
    """Leaks found by substitution: a total with one unknown part gives that part, and so on.

    Fast and sparse; finds every recovery that is a chain of single subtractions (a region
    minus its other gemeenten, a pooled period minus its other years, and chains of those),
    but not recoveries that need several totals at once (``audit`` finds those).

    Args:
        structure: From ``build_structure``.
        known: Per row, whether its counts are published.
        sensitive: Per row, whether its value must stay unknown.

    Returns:
        The recoverable sensitive rows that are not published, with the total giving them away.
    """
    base_known = _base_known(structure, known)
    totals = np.flatnonzero(~structure.is_base_row & known)
    by_total = structure.support[totals]
    by_cell = by_total.T.tocsr()
    open_count = np.asarray(by_total @ (~base_known).astype(float)).ravel().round().astype(int)
    solved = base_known.copy()
    giver = np.full(len(solved), -1)
    queue = list(np.flatnonzero(open_count == 1))
    while queue:
        k = queue.pop()
        if open_count[k] != 1:
            continue
        cells = _cells(by_total, k)
        cell = cells[~solved[cells]][0]
        solved[cell], giver[cell] = True, k
        users = _cells(by_cell, cell)
        open_count[users] -= 1
        queue.extend(users[open_count[users] == 1].tolist())
    leaks = []
    for row in np.flatnonzero(sensitive & ~known):
        cells = _cells(structure.support, row)
        if cells.size == 0 or not solved[cells].all():
            continue
        givers = sorted(set(giver[cells][giver[cells] >= 0].tolist()))
        candidates = set() if structure.is_base_row[row] else _known_rows(
            structure, cells, base_known)
        for k in givers:
            candidates |= _known_rows(structure, _cells(by_total, k), base_known)
        candidates |= structure.pools_for(int(row), set(totals[givers].tolist()), known)
        via = (int(totals[givers[0]]),) if givers else ()
        leaks.append(Leak(int(row), via, tuple(sorted(candidates - {int(row)}))))
    return leaks


# --------------------------------------------------------------------------------------------
# exact audit
# --------------------------------------------------------------------------------------------


def _components(m: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Connected-block labels of unknown base cells and of totals (bipartite graph)."""
    n_u, n_k = m.shape
    if not (n_u and n_k):
        return np.full(n_u, -1), np.full(n_k, -1)
    graph = sparse.bmat([[None, m], [m.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    return labels[:n_u], labels[n_u:]


def _group_indices(labels: np.ndarray) -> dict[int, np.ndarray]:
    """Indices per label value (labels < 0 ignored)."""
    if labels.size == 0:
        return {}
    order = np.argsort(labels, kind="stable")
    values, starts = np.unique(labels[order], return_index=True)
    groups = np.split(order, starts[1:])
    return {int(v): g for v, g in zip(values, groups, strict=True) if v >= 0}


@dataclass
class _Block:
    """One connected block of the audit: unknown base cells × the published totals over them.

    Least squares through the small Gram matrix ``G = MᵀM`` (totals × totals): ``eigh`` gives
    the totals' span (positive eigenvalues) and the null space (combinations of totals that
    coincide on every unknown cell), with one step of iterative refinement.
    """

    cells: np.ndarray  # base-cell ids of the unknown cells
    totals: np.ndarray  # row ids of the published totals
    m: sparse.csr_matrix  # unknown cells × totals (0/1)
    vecs: np.ndarray  # eigenvectors of G with a positive eigenvalue
    vals: np.ndarray
    null: np.ndarray  # eigenvectors of G with eigenvalue 0
    clean: np.ndarray | None = None  # per base cell, see ``clean_cells``

    @classmethod
    def of(cls, m: sparse.csr_matrix, cells: np.ndarray, totals: np.ndarray) -> _Block:
        gram = (m.T @ m).toarray()
        vals, vecs = np.linalg.eigh(gram)
        keep = vals > max(vals.max(initial=0.0), 1.0) * 1e-10
        return cls(cells, totals, m, vecs[:, keep], vals[keep], vecs[:, ~keep])

    def _lstsq(self, rhs: np.ndarray) -> np.ndarray:
        scaled = self.vecs.T @ rhs
        scaled /= self.vals if scaled.ndim == 1 else self.vals[:, None]
        return self.vecs @ scaled

    def solve(self, target: np.ndarray) -> np.ndarray | None:
        """Weights of the totals that give ``target`` exactly, or None when impossible."""
        weights = self._lstsq(self.m.T @ target)
        residual = target - self.m @ weights
        weights = weights + self._lstsq(self.m.T @ residual)
        residual = target - self.m @ weights
        if residual @ residual > 1e-10 * max(target @ target, 1.0):
            return None
        return weights

    def solve_many(self, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``solve`` for the columns of ``targets``: weights and whether each is exact."""
        weights = self._lstsq(self.m.T @ targets)
        residual = targets - self.m @ weights
        weights = weights + self._lstsq(self.m.T @ residual)
        residual = targets - self.m @ weights
        size = np.maximum((targets * targets).sum(axis=0), 1.0)
        return weights, (residual * residual).sum(axis=0) <= 1e-10 * size

    def clean_cells(self, support: sparse.csr_matrix) -> np.ndarray:
        """Per base cell: is its coefficient the same in every recovery formula of this block?

        True when the cell's row over the block's totals is orthogonal to their null space;
        then a non-zero coefficient means that suppressing the cell breaks the recovery.
        """
        if self.clean is None:
            rows = support[self.totals].T.tocsr()
            proj = np.asarray(rows @ self.null) if self.null.size else np.zeros((rows.shape[0], 0))
            self.clean = (np.abs(proj) < _TOL).all(axis=1)
        return self.clean


def _leak_from_weights(structure: Structure, row: int, solved: list[tuple[_Block, np.ndarray]],
                       known: np.ndarray, base_known: np.ndarray) -> Leak:
    """Name the recovery: published cells with a non-zero, formula-independent coefficient."""
    sup = structure.support
    net = np.zeros(sup.shape[1])
    clean = np.ones(sup.shape[1], bool)
    best, via = 0.0, ()
    for block, weights in solved:
        net += np.asarray(sup[block.totals].T @ weights).ravel()
        clean &= block.clean_cells(sup)
        if weights.size and np.abs(weights).max() > best:
            best = np.abs(weights).max()
            via = (int(block.totals[np.argmax(np.abs(weights))]),)
    if not structure.is_base_row[row]:
        net = -net
        net[_cells(sup, row)] += 1.0
    involved = base_known & (np.abs(net) > _TOL)
    parts = set(structure.base_row[np.flatnonzero(involved & clean)].tolist())
    needed, used = set(), set()
    for block, weights in solved:
        fixed = (np.abs(block.null) < _TOL).all(axis=1) if block.null.size else True
        nonzero = np.abs(weights) > _TOL
        needed |= set(block.totals[nonzero & fixed].tolist())
        used |= set(block.totals[nonzero].tolist())
    pools = structure.pools_for(row, needed, known)
    # preferred: a published part or pooled total every formula uses; else any part that takes
    # part (it narrows the formulas down); a region's yearly total only as the last resort
    candidates = (
        (parts | pools)
        or set(structure.base_row[np.flatnonzero(involved)].tolist())
        or needed
        or used
    )
    return Leak(row, via, tuple(sorted(candidates - {row})))


class _Audit:
    """The unknown base cells and the published totals over them, split in connected blocks."""

    def __init__(self, structure: Structure, known: np.ndarray) -> None:
        self.structure, self.known = structure, known
        self.base_known = _base_known(structure, known)
        self.unknown = np.flatnonzero(~self.base_known)
        self.restricted = structure.support[:, self.unknown].tocsr()
        self.touches = np.diff(self.restricted.indptr) > 0
        useful = ~structure.is_base_row & known & self.touches & ~structure.redundant(known)
        self.totals = np.flatnonzero(useful)
        self.m = self.restricted[self.totals].T.tocsr()  # unknown cells × published totals
        u_label, k_label = _components(self.m)
        self.u_label = u_label
        self.u_groups, self.k_groups = _group_indices(u_label), _group_indices(k_label)
        self.blocks: dict[int, _Block] = {}

    def block(self, comp: int) -> _Block:
        if comp not in self.blocks:
            u_in, k_in = self.u_groups[comp], self.k_groups[comp]
            self.blocks[comp] = _Block.of(
                self.m[u_in][:, k_in].tocsr(), self.unknown[u_in], self.totals[k_in]
            )
        return self.blocks[comp]

    def leak(self, row: int, solved: list[tuple[_Block, np.ndarray]]) -> Leak:
        return _leak_from_weights(self.structure, row, solved, self.known, self.base_known)

    def labels(self, row: int) -> np.ndarray:
        """The blocks of a row's unknown parts."""
        return np.unique(self.u_label[_cells(self.restricted, row)])

    def target_blocks(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: lowest and highest block of its unknown parts, and whether every part
        lies in a block with published totals (rows must have at least one unknown part)."""
        if rows.size == 0:
            return rows, rows, rows.astype(bool)
        sub = self.restricted[rows]
        labels = self.u_label[sub.indices]
        has_totals = np.zeros(self.u_label.max(initial=-1) + 2, bool)
        has_totals[list(self.k_groups)] = True
        starts = sub.indptr[:-1]
        lowest = np.minimum.reduceat(labels, starts)
        highest = np.maximum.reduceat(labels, starts)
        covered = np.logical_and.reduceat(has_totals[labels], starts)
        return lowest, highest, covered

    def block_leaks(self, comp: int, rows: list[int]) -> dict[int, Leak]:
        """Leaks among rows whose unknown parts all lie in one block."""
        block, cols = self.block(comp), self.u_groups[comp]
        rows_arr = np.array(rows)
        base = self.structure.is_base_row[rows_arr]
        if base.any() and block.vals.size:  # unit targets: screen by leverage first
            position = np.full(self.unknown.size, -1)
            position[cols] = np.arange(cols.size)
            mv = block.m @ block.vecs
            leverage = (mv * mv / block.vals).sum(axis=1)
            cell_pos = position[self.restricted[rows_arr[base]].indices]
            base_rows = rows_arr[base][leverage[cell_pos] > 1.0 - 1e-6]
        else:
            base_rows = rows_arr[:0]
        out = {}
        checked = np.concatenate([base_rows, rows_arr[~base]])
        for start in range(0, checked.size, 256):
            chunk = checked[start:start + 256]
            target = self.restricted[chunk][:, cols].toarray().T
            weights, exact = block.solve_many(target)
            for j in np.flatnonzero(exact):
                out[int(chunk[j])] = self.leak(int(chunk[j]), [(block, weights[:, j])])
        return out

    def spread_leak(self, row: int, labels: np.ndarray) -> Leak | None:
        """A row whose unknown parts lie in several blocks: recoverable if in each of them."""
        solved = []
        for comp in labels.tolist():
            target = self.restricted[[row]][:, self.u_groups[comp]].toarray().ravel()
            weights = self.block(comp).solve(target)
            if weights is None:
                return None
            solved.append((self.block(comp), weights))
        return self.leak(row, solved)


def audit(structure: Structure, known: np.ndarray, sensitive: np.ndarray) -> list[Leak]:
    """Which sensitive rows can be computed exactly from the known rows (any combination).

    Args:
        structure: From ``build_structure``.
        known: Per row, whether its counts are published.
        sensitive: Per row, whether its value must stay unknown (suppressed rows).

    Returns:
        One ``Leak`` per recoverable sensitive row that is not itself published, by row.
    """
    work = _Audit(structure, known)
    targets = np.flatnonzero(sensitive & ~known)
    leaks: dict[int, Leak] = {}
    for row in targets[~work.touches[targets]]:  # all parts published: the sum of its parts
        cells = _cells(structure.support, row)
        if cells.size and not structure.is_base_row[row]:
            parts = tuple(sorted(_known_rows(structure, cells, work.base_known)))
            leaks[int(row)] = Leak(int(row), (), parts)
    by_block: dict[int, list[int]] = {}
    touching = targets[work.touches[targets]]
    lowest, highest, covered = work.target_blocks(touching)
    for row, lo, hi, ok in zip(touching, lowest, highest, covered, strict=True):
        if not ok:  # some unknown part is in no published total
            continue
        if lo == hi:
            by_block.setdefault(int(lo), []).append(int(row))
        elif (leak := work.spread_leak(int(row), work.labels(int(row)))) is not None:
            leaks[int(row)] = leak
    for comp, rows in by_block.items():
        leaks.update(work.block_leaks(comp, rows))
    return [leaks[r] for r in sorted(leaks)]


# --------------------------------------------------------------------------------------------
# complementary suppression
# --------------------------------------------------------------------------------------------




def _new_singletons(structure: Structure, known: np.ndarray) -> np.ndarray:
    """Per row: would suppressing it leave some published total with exactly one unknown part?

    Such a total would give the newly suppressed cell away at once, so these cells are the
    last choice for complementary suppression (it keeps the cascade short).
    """
    sup = structure.support
    totals = np.flatnonzero(~structure.is_base_row & known)
    unknown = (~_base_known(structure, known)).astype(float)
    closed = (np.asarray(sup[totals] @ unknown).ravel() < 0.5).astype(float)
    per_cell = np.asarray(sup[totals].T @ closed).ravel() > 0
    out = np.zeros(len(known), bool)
    has_row = structure.base_row >= 0
    out[structure.base_row[has_row]] = per_cell[has_row]
    return out


def _smallest(candidates: tuple[int, ...], penalty: np.ndarray, rank: np.ndarray) -> int:
    """The candidate that opens no new leak, then the smallest (denominator, or count)."""
    cands = np.asarray(candidates)
    return int(cands[np.lexsort((rank[cands], penalty[cands]))[0]])


def _reason(structure: Structure, leak: Leak) -> str:
    source = (
        f"{structure.labels[leak.via[0]]} min gepubliceerde delen"
        if leak.via else "de som van de gepubliceerde delen"
    )
    return (
        f"{SECONDARY_PREFIX}: anders is de onderdrukte waarde van "
        f"{structure.labels[leak.row]} terug te rekenen uit {source}"
    )


def _choose(structure: Structure, leaks: list[Leak], known: np.ndarray) -> dict[int, str]:
    """One complementary row per leak; a row chosen for an earlier leak may break several."""
    penalty = _new_singletons(structure, known)
    rank = structure.size_rank
    chosen: dict[int, str] = {}
    for leak in leaks:
        if leak.candidates and not set(leak.candidates) & set(chosen):
            chosen[_smallest(leak.candidates, penalty, rank)] = _reason(structure, leak)
    if chosen:  # a leak without candidates follows from another one; look again next round
        return chosen
    for leak in leaks:  # nothing published takes part but the totals themselves
        if leak.via and leak.via[0] not in chosen:
            chosen[leak.via[0]] = _reason(structure, leak)
            break
    return chosen


def protect_indicator(rows: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Complementary suppression for one indicator's rows, until nothing can be recovered.

    Args:
        rows: One indicator's rows after primary suppression (``status``, ``status_reason``,
            ``numerator``, ``denominator``, ``published_value`` and the key columns).
        memberships: ``area_code`` → ``gemeente_code`` for every region.

    Returns:
        A new frame, same rows and order; rows suppressed here have status 'suppressed', no
        figures and a ``status_reason`` starting with 'secundaire onderdrukking'.

    Raises:
        RuntimeError: If the suppression does not converge (a programming error).
    """
    rows = rows.reset_index(drop=True)
    known = ((rows.status == OK) & rows.numerator.notna()).to_numpy(copy=True)
    sensitive = (rows.status == SUPPRESSED).to_numpy(copy=True)
    if not sensitive.any() or not known.any():
        return rows
    structure = build_structure(rows, memberships)
    reasons: dict[int, str] = {}
    for _ in range(MAX_ROUNDS):
        leaks = chained_leaks(structure, known, sensitive) or audit(structure, known, sensitive)
        if not leaks:
            return _apply(rows, reasons)
        chosen = _choose(structure, leaks, known)
        if not chosen:
            raise RuntimeError(f"cannot protect {rows.indicator_id.iloc[0]}: no cell to suppress")
        for row, reason in chosen.items():
            known[row], sensitive[row] = False, True
            reasons[row] = reason
    raise RuntimeError(
        f"complementary suppression of {rows.indicator_id.iloc[0]} did not converge"
    )


def _apply(rows: pd.DataFrame, reasons: dict[int, str]) -> pd.DataFrame:
    if not reasons:
        return rows
    idx = np.fromiter(reasons, dtype=int)
    out = rows.copy()
    out.loc[idx, ["numerator", "denominator", "published_value"]] = np.nan
    out.loc[idx, "status"] = SUPPRESSED
    out.loc[idx, "status_reason"] = [reasons[i] for i in idx]
    return out


def complementary_suppression(values: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Apply ``protect_indicator`` to every indicator of a long table.

    Args:
        values: Rows of ``int_indicator_values_disclosed`` (all indicators).
        memberships: ``area_code`` → ``gemeente_code`` for every region.

    Returns:
        A new frame with the same rows (sorted by the key) and columns.
    """
    if values.empty:
        return values.copy()
    ordered = values.sort_values(KEYS, kind="stable").reset_index(drop=True)
    parts = [
        protect_indicator(group, memberships)
        for _, group in ordered.groupby("indicator_id", sort=True)
    ]
    return pd.concat(parts, ignore_index=True)[values.columns]


def recoverable_cells(
    values: pd.DataFrame, memberships: pd.DataFrame, known: pd.Series | None = None
) -> pd.DataFrame:
    """Every suppressed row that published rows determine exactly (for the leak scan).

    Args:
        values: Rows with the key columns, ``area_level``, ``status`` and ``numerator``.
        memberships: ``area_code`` → ``gemeente_code`` for every region.
        known: Per row (aligned to ``values``), whether its counts are published anywhere;
            default: status 'ok' with a numerator.

    Returns:
        The recoverable rows' keys with ``via`` (a total used, as 'area period' text).
    """
    if known is None:
        known = (values.status == OK) & values.numerator.notna()
    out = []
    for _, group in values.assign(_known=known.to_numpy()).groupby("indicator_id"):
        group = group.reset_index(drop=True)
        sensitive = (group.status == SUPPRESSED).to_numpy()
        if not sensitive.any():
            continue
        structure = build_structure(group, memberships)
        published = group._known.to_numpy(copy=True)
        for leak in chained_leaks(structure, published, sensitive) or audit(
            structure, published, sensitive
        ):
            row = group.iloc[leak.row]
            via = structure.labels[leak.via[0]] if leak.via else "de som van de delen"
            out.append({**{k: row[k] for k in KEYS}, "via": via})
    return pd.DataFrame(out, columns=[*KEYS, "via"])
