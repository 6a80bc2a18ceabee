#!/usr/bin/env python3
"""Generates a made-up catalog for the criticality benchmark, as COPY text
files in DIR: 200,000 packages (names bench-…, plainly not real) in three
channels (Guix 60,000, Spack 40,000, Nix 100,000), about 130,000 projects
(a third of the software in two or three ecosystems), 1,000,000 distinct
dependency edges, maintainers, CI status, sources with archival checks and
a few hundred sponsorships.

Shape: within a channel packages are in a build order; a package depends on
earlier ones, the earliest most (target index = i * u^3: a few hubs, like
zlib or cmake, get tens of thousands of direct dependents), so the graph is
mostly a DAG; then cycles are added: a bootstrap loop of 40 packages per
channel and 300 short back edges per channel (2-6 packages each).

usage: gen_criticality.py DIR [PACKAGES] [EDGES]
"""
import os
import random
import sys

out = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
M = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
rng = random.Random(14)
os.makedirs(out, exist_ok=True)

channels = [(1, "guix", "bench-guix", 0.30), (2, "spack", "bench-spack", 0.20), (3, "nix", "bench-nix", 0.50)]
DOMAINS = ["hpc", "io", "math", "compression", "build-tools", "mpi", "bio", "chemistry", "physics", "climate",
           "visualization", "python", "r", "gpu", "linear-algebra", "fft", "mesh", "ml", "database", "network"]

# Software: 130,000 names; each channel packages a subset, popular software first.
SOFTWARE = 130_000
with open(f"{out}/projects.tsv", "w") as f:
    for s in range(1, SOFTWARE + 1):
        f.write(f"{s}\tbench-{s:06d}\tbench-{s:06d}\n")

pkg_id = 0
packages = []  # (id, channel, software)
per_channel = []
for cid, eco, name, share in channels:
    n = int(N * share)
    # Software 1..n/2 shared by every channel (the popular third), the rest spread.
    chosen = set(range(1, n // 3 + 1))
    while len(chosen) < n:
        chosen.add(rng.randint(1, SOFTWARE))
    order = sorted(chosen)
    ids = []
    for s in order:
        pkg_id += 1
        packages.append((pkg_id, cid, s))
        ids.append(pkg_id)
    per_channel.append((cid, ids))

software_of = {p: s for p, _, s in packages}
with open(f"{out}/packages.tsv", "w") as f:
    for pid, cid, s in packages:
        tags = []
        if rng.random() < 0.6:
            tags.append(DOMAINS[min(int(rng.paretovariate(1.2)) - 1, len(DOMAINS) - 1)])
        if rng.random() < 0.2:
            tags.append(rng.choice(DOMAINS))
        tags = sorted(set(tags))
        arr = "{" + ",".join(tags) + "}"
        f.write(f"{pid}\t{cid}\tbench-{s:06d}\tbench-{s:06d}\t{s}\t\\\\x00\t{arr}\n")

edges = set()
share_edges = M / N
for cid, ids in per_channel:
    n = len(ids)
    target_edges = int(share_edges * n)
    local = set()
    # DAG part: i depends on j < i, skewed to the earliest.
    while len(local) < target_edges - 340:
        i = rng.randint(1, n - 1)
        j = int(i * rng.random() ** 3)
        local.add((i, j))
    # Cycles: a bootstrap loop of 40, and 300 short back edges.
    for k in range(40):
        local.add((1000 + k, 1000 + (k + 1) % 40))
    for _ in range(300):
        i = rng.randint(2000, n - 10)
        local.add((i, i + rng.randint(1, 5)))
        local.add((i + rng.randint(1, 5), i))
    for i, j in local:
        if i != j:
            edges.add((ids[i], ids[j]))

name_of = {p: f"bench-{s:06d}" for p, s in software_of.items()}
with open(f"{out}/dependencies.tsv", "w") as f:
    position = {}
    for a, b in edges:
        k = position.get(a, 0)
        position[a] = k + 1
        f.write(f"{a}\t{k}\t{name_of[b]}\n")

# Maintainers: 8,000 people; Spack and Nix packages have 0-3 of them, Guix none.
with open(f"{out}/maintainers.tsv", "w") as f:
    for m in range(1, 8001):
        f.write(f"{m}\tgithub\tbench-user-{m}\n")
with open(f"{out}/package_maintainers.tsv", "w") as f:
    for pid, cid, s in packages:
        if cid == 1:
            continue
        k = rng.choice([0, 0, 1, 1, 1, 2, 3])
        for m in set(rng.randint(1, 8000) for _ in range(k)):
            f.write(f"{pid}\t{m}\n")

# CI: 30% of packages, 10% of them failing. Sources: one each, half checked (80% archived).
with open(f"{out}/package_ci.tsv", "w") as f, open(f"{out}/sources.tsv", "w") as src, \
        open(f"{out}/archival_checks.tsv", "w") as chk:
    for pid, cid, s in packages:
        if rng.random() < 0.3:
            f.write(f"{pid}\t{'failing' if rng.random() < 0.1 else 'passing'}\n")
        sha = f"{rng.getrandbits(256):064x}"
        src.write(f"{pid}\t{pid}\turl\t{sha}\n")
        if rng.random() < 0.5:
            status = "archived" if rng.random() < 0.8 else "missing"
            chk.write(f"sha256:{sha}\t{status}\tcontent-sha256\t2026-11-01T00:00:00Z\n")

# Funding: 400 projects sponsored.
with open(f"{out}/sponsorships.tsv", "w") as f:
    for s in rng.sample(range(1, 5000), 400):
        f.write(f"1\tproject\t{s}\ttrue\t2025-01-01\n")

print(f"{len(packages)} packages, {len(edges)} edges, {SOFTWARE} software names", file=sys.stderr)
