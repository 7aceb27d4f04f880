"""Node positions, computed once in Python so the browser draws with physics off.

Small graphs use networkx's ``spring_layout`` (Fruchterman-Reingold) with a
few iterations. Larger ones use :func:`grid_force_layout`, the same forces
with the all-pairs repulsion computed on a grid by FFT convolution
(particle-mesh), so one iteration costs O(n + m + G log G) instead of O(n^2):
20,000 nodes lay out in a few seconds with numpy alone (networkx's own
large-graph path needs scipy, which ``kg`` does not depend on).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

#: Below this many nodes networkx's dense spring_layout is used.
SMALL_GRAPH = 400
#: Pixels between two nodes at the ideal edge length.
SPACING = 140.0
#: Typical edge length in pixels in a small graph, where labels need room.
SMALL_EDGE = 210.0


def _typical_edge(arr: np.ndarray, edges: np.ndarray) -> float:
    """Median edge length of a layout (or nearest-neighbour distance when there are no edges)."""
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    e = e[e[:, 0] != e[:, 1]]
    if len(e):
        d = np.sqrt(((arr[e[:, 0]] - arr[e[:, 1]]) ** 2).sum(axis=1))
    else:
        diff = arr[:, None, :] - arr[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        np.fill_diagonal(dist, np.inf)
        d = dist.min(axis=1)
    med = float(np.median(d)) if len(d) else 0.0
    return med if med > 1e-9 else 1.0


def positions(n: int, edges: np.ndarray, *, seed: int = 42) -> np.ndarray:
    """Lay out ``n`` nodes joined by ``edges``.

    Graphs under :data:`SMALL_GRAPH` nodes use networkx's spring_layout (60
    iterations), scaled so the median edge is :data:`SMALL_EDGE` pixels;
    larger ones use :func:`grid_force_layout` for the connected nodes and a
    grid to the right for nodes without relations.

    Args:
        n: number of nodes (ids ``0 .. n-1``).
        edges: integer array of shape ``(m, 2)``: pairs of node ids (direction
            and repeats are ignored).
        seed: random seed; the same input gives the same layout.

    Returns:
        Float array of shape ``(n, 2)``: x, y in screen pixels, centred on 0,
        about :data:`SPACING` pixels between neighbours.
    """
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    if n < SMALL_GRAPH:
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from((int(a), int(b)) for a, b in edges if a != b)
        pos = nx.spring_layout(g, seed=seed, iterations=60)
        arr = np.array([pos[i] for i in range(n)], dtype=float)
        arr -= arr.mean(axis=0)
        return arr * (SMALL_EDGE / _typical_edge(arr, edges))
    return _with_isolated_aside(n, edges, seed=seed)


def _with_isolated_aside(n: int, edges: np.ndarray, *, seed: int) -> np.ndarray:
    """Lay out the connected nodes by force; put relation-less ones in a block to the right."""
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    e = e[e[:, 0] != e[:, 1]]
    deg = np.bincount(e.ravel(), minlength=n)
    conn = np.flatnonzero(deg > 0)
    iso = np.flatnonzero(deg == 0)
    out = np.zeros((n, 2))
    if len(conn) >= 2:
        remap = np.full(n, -1, dtype=np.int64)
        remap[conn] = np.arange(len(conn))
        out[conn] = grid_force_layout(len(conn), remap[e], seed=seed) * SPACING
    if len(iso):
        cols = math.ceil(math.sqrt(len(iso)))
        step = SPACING * 0.8
        x0 = (out[conn, 0].max() + 2 * SPACING) if len(conn) else 0.0
        y0 = -((math.ceil(len(iso) / cols) - 1) * step) / 2
        k = np.arange(len(iso))
        out[iso, 0] = x0 + (k % cols) * step
        out[iso, 1] = y0 + (k // cols) * step
    return out


def _kernel_fft(m: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the 2-D repulsion kernel (x and y parts) on a 2m x 2m grid."""
    size = 2 * m
    off = np.fft.fftfreq(size, d=1.0 / size)  # 0, 1, ..., m-1, -m, ..., -1
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx = dx / r2
    ky = dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    kx[m, :] = 0.0  # the wrap-around row/column is not a real offset
    ky[:, m] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def grid_force_layout(
    n: int, edges: np.ndarray, *, iterations: int | None = None, seed: int = 42
) -> np.ndarray:
    """Force-directed layout with grid (particle-mesh) repulsion and a central pull.

    Forces, with ideal distance 1: attraction ``d`` along each edge (linear,
    as in ForceAtlas2: Fruchterman-Reingold's ``d^2`` packs graphs as dense
    as ours into overlapping cores);
    repulsion ``1/d`` between all pairs, approximated by depositing nodes on an
    ``M x M`` grid (cloud-in-cell) and convolving with the kernel by FFT;
    a linear pull to the centre, which balances the repulsion in a disc of
    about one node per unit area. Moves are capped by a temperature that
    cools linearly.

    Args:
        n: number of nodes.
        edges: ``(m, 2)`` integer array of node ids.
        iterations: steps to run; by default 120 for small graphs down to 60
            for 20,000 nodes.
        seed: random seed.

    Returns:
        ``(n, 2)`` positions in units of the ideal edge length, centred on 0.

    Source: Fruchterman & Reingold (1991) and Jacomy et al., ForceAtlas2
    (PLoS ONE 2014) for the forces; particle-mesh repulsion as in Hockney &
    Eastwood, *Computer Simulation Using Particles* (1988). Measured on a
    5,000-entity synthetic graph (kg.viz.synthetic): median nearest-neighbour
    distance 0.75 with linear attraction against 0.28 with ``d^2``.
    """
    rng = np.random.default_rng(seed)
    if iterations is None:
        iterations = 120 if n <= 2000 else 90 if n <= 8000 else 60
    radius = math.sqrt(n / math.pi)
    ang = rng.uniform(0, 2 * math.pi, n)
    rad = radius * np.sqrt(rng.uniform(0, 1, n))
    pos = np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    e = e[e[:, 0] != e[:, 1]]
    src, dst = e[:, 0], e[:, 1]

    m = int(min(512, max(64, 2 ** math.floor(math.log2(2.0 * math.sqrt(n))))))
    kfx, kfy = _kernel_fft(m)
    size = 2 * m
    gravity = 1.0
    t0 = radius / 4.0
    for step in range(iterations):
        temp = t0 * (1.0 - step / iterations) + 0.02
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) + 1e-9
        h = span / (m - 2)
        u = (pos - lo) / h
        i0 = np.floor(u).astype(np.int64)
        w = u - i0
        ix, iy = i0[:, 0], i0[:, 1]
        wx, wy = w[:, 0], w[:, 1]
        corners = (
            (ix, iy, (1 - wx) * (1 - wy)),
            (ix + 1, iy, wx * (1 - wy)),
            (ix, iy + 1, (1 - wx) * wy),
            (ix + 1, iy + 1, wx * wy),
        )
        rho = np.zeros(size * size)
        for cx, cy, cw in corners:
            rho += np.bincount(cx * size + cy, weights=cw, minlength=size * size)
        rf = np.fft.rfft2(rho.reshape(size, size))
        fx = np.fft.irfft2(rf * kfx, s=(size, size)).ravel()
        fy = np.fft.irfft2(rf * kfy, s=(size, size)).ravel()
        disp = np.zeros_like(pos)
        for cx, cy, cw in corners:
            flat = cx * size + cy
            disp[:, 0] += fx[flat] * cw
            disp[:, 1] += fy[flat] * cw
        disp /= h  # kernel offsets were in cells
        if len(src):
            delta = pos[dst] - pos[src]
            pull = delta
            for axis in (0, 1):
                disp[:, axis] += np.bincount(src, weights=pull[:, axis], minlength=n)
                disp[:, axis] -= np.bincount(dst, weights=pull[:, axis], minlength=n)
        disp -= gravity * (pos - pos.mean(axis=0))
        length = np.sqrt((disp**2).sum(axis=1))[:, None]
        pos += disp / np.maximum(length, 1e-9) * np.minimum(length, temp)
    return pos - pos.mean(axis=0)
