#!/usr/bin/env python3
"""Builds the demo data set in server/demo/ from the shared data sets.

- spack.json: about 300 real Spack packages (the seeds below and their
  dependencies), facts only: names, versions, hashes, URLs, licences,
  maintainers, dependencies, variants (without Spack's prose). Synopses are
  written for this project (SYNOPSES) or, for dependency libraries, derived
  from facts.
- guix-packages.json: the same software in the real GNU Guix channel at
  commit 4dffeced (2022), from the shared export.json (the shape of
  scripts/guix/export-packages.scm): real names, every version Guix lists,
  source integrity hashes and URLs, licences (Guix licence names), inputs and
  locations. Synopses are ours (SYNOPSES, GUIX_SYNOPSES); Guix's own
  synopses and descriptions are not copied.
- guix-science-packages.json, nix-packages.json: demo channels in their
  published formats for software absent from that Guix snapshot (guix-science)
  and for Nix, named by each ecosystem's conventions; versions and source
  hashes are the Spack facts of the same upstream release (same tarball,
  same sha256).

Usage: python3 scripts/demo/make_demo.py [spack/packages.json [guix/export.json]]
(default: ../shared/data/… next to the repository).
"""
import base64
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "spack", "packages.json")
GUIX_SRC = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "..", "shared", "data", "guix", "export.json")
OUT = os.path.join(ROOT, "server", "demo")
CAP = 300

SYNOPSES = {
    "hdf5": "Parallel I/O library and file format for large scientific data sets",
    "hdf5-vol-async": "HDF5 connector that makes file operations asynchronous",
    "netcdf-c": "C library for the self-describing netCDF array data format",
    "netcdf-fortran": "Fortran interface to the netCDF data format library",
    "openmpi": "Open source implementation of the MPI message-passing standard",
    "mpich": "Portable high-performance implementation of the MPI standard",
    "mvapich2": "MPI implementation tuned for InfiniBand and high-speed networks",
    "petsc": "Toolkit of parallel solvers for partial differential equations",
    "slepc": "Parallel eigenvalue problem solvers built on PETSc",
    "trilinos": "Collection of parallel solver and numerics libraries from Sandia",
    "hypre": "Scalable preconditioners and linear solvers for sparse systems",
    "mumps": "Parallel direct solver for large sparse linear systems",
    "scotch": "Graph and mesh partitioning and sparse matrix ordering",
    "metis": "Serial graph partitioning and fill-reducing matrix ordering",
    "parmetis": "Parallel graph partitioning and sparse matrix ordering",
    "suite-sparse": "Suite of sparse matrix factorization and ordering libraries",
    "sundials": "Suite of nonlinear and differential-algebraic equation solvers",
    "fftw": "Library for computing discrete Fourier transforms",
    "openblas": "Optimized BLAS and LAPACK implementation",
    "netlib-lapack": "Reference implementation of the LAPACK linear algebra routines",
    "netlib-scalapack": "Distributed-memory linear algebra routines (ScaLAPACK)",
    "intel-oneapi-mkl": "Intel's math kernel library for BLAS, LAPACK and FFT",
    "eigen": "C++ template library for linear algebra",
    "boost": "Peer-reviewed portable C++ source libraries",
    "cmake": "Cross-platform build system generator",
    "gcc": "The GNU Compiler Collection for C, C++ and Fortran",
    "llvm": "Modular compiler infrastructure with the Clang front end",
    "cuda": "NVIDIA's parallel computing platform and GPU toolkit",
    "hip": "C++ runtime API and kernel language for AMD and NVIDIA GPUs",
    "kokkos": "C++ performance portability programming model",
    "raja": "C++ abstractions for portable loop execution",
    "gromacs": "Molecular dynamics simulation package",
    "lammps": "Classical molecular dynamics simulator",
    "quantum-espresso": "Electronic-structure calculations and materials modelling",
    "cp2k": "Quantum chemistry and solid state physics simulations",
    "nwchem": "Computational chemistry package for high-performance computers",
    "paraview": "Parallel data analysis and visualization application",
    "vtk": "Toolkit for 3D graphics, image processing and visualization",
    "dealii": "C++ finite element library",
    "mfem": "Lightweight scalable C++ finite element library",
    "julia": "High-level, high-performance language for technical computing",
    "python": "The Python programming language",
    "perl": "The Perl programming language",
    "r": "Language and environment for statistical computing",
    "py-numpy": "Array computing for Python",
    "py-numpydoc": "Sphinx extension for NumPy-style docstrings",
    "py-scipy": "Scientific computing library for Python",
    "py-pandas": "Data structures and analysis tools for Python",
    "py-matplotlib": "Plotting library for Python",
    "py-mpi4py": "Python bindings for MPI",
    "py-h5py": "Python interface to HDF5 files",
    "py-torch": "Tensors and neural networks in Python with GPU acceleration",
    "py-tensorflow": "Machine learning framework with Python bindings",
    "r-ggplot2": "Grammar-of-graphics plotting for R",
    "r-dplyr": "Data manipulation verbs for R data frames",
    "openfoam": "Computational fluid dynamics toolbox",
    "hwloc": "Portable discovery of hardware topology",
    "libfabric": "Open fabric interfaces for high-performance networking",
    "ucx": "Unified communication framework for HPC networks",
    "zlib": "General-purpose lossless data compression library",
    "zlib-ng": "Zlib-compatible compression library with modern optimizations",
    "zstd": "Fast lossless compression algorithm and tools",
    "bzip2": "Block-sorting file compressor",
    "xz": "LZMA compression utilities and library",
    "openssl": "Toolkit for TLS and general-purpose cryptography",
    "curl": "Command-line tool and library for transferring data with URLs",
    "git": "Distributed version control system",
    "tar": "GNU archiving utility",
    "gmake": "GNU Make build automation tool",
    "autoconf": "Generator of configure scripts",
    "automake": "Generator of portable Makefiles",
    "libtool": "Generic library support script",
    "pkgconf": "Package compiler and linker metadata toolkit",
    "ncurses": "Terminal-independent text user interface library",
    "readline": "Line editing and history library",
    "sqlite": "Self-contained SQL database engine",
    "libxml2": "XML parsing library",
    "numactl": "NUMA policy control tools and library",
}
SEEDS = list(SYNOPSES)

def main():
    corpus = json.load(open(SRC))
    by_name = {p["name"]: p for p in corpus["packages"]}
    order, seen = [], set()
    queue = [s for s in SEEDS if s in by_name]
    while queue and len(order) < CAP:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        order.append(name)
        for d in by_name[name]["dependencies"]:
            dn = d.get("name")
            if dn and dn in by_name and dn not in seen and "link" in d.get("type", []):
                queue.append(dn)
    packages = [facts(by_name[n]) for n in sorted(order)]
    json.dump({"source": corpus["source"], "commit": corpus["commit"], "commit_date": corpus["commit_date"],
               "generated_by": "scripts/demo/make_demo.py", "notes": "Facts-only subset for the Pacatlas demo.",
               "packages": packages}, open(os.path.join(OUT, "spack.json"), "w"), indent=1, sort_keys=True)
    science, nix = other_ecosystems(packages)
    guix = real_guix(json.load(open(GUIX_SRC)))
    json.dump(guix, open(os.path.join(OUT, "guix-packages.json"), "w"), indent=1)
    json.dump(science, open(os.path.join(OUT, "guix-science-packages.json"), "w"), indent=1)
    json.dump({"version": 2, "packages": nix}, open(os.path.join(OUT, "nix-packages.json"), "w"), indent=1, sort_keys=True)
    print(f"spack {len(packages)}, guix {len(guix)}, guix-science {len(science)}, nix {len(nix)}")

def facts(p):
    deps = [d for d in p["dependencies"] if d.get("name")]
    described = SYNOPSES.get(p["name"])
    if not described:
        kinds = sorted({t for d in deps for t in d["type"]})
        described = f"{p['build_system'].capitalize()}-built package" + (
            f" with {len({d['name'] for d in deps})} dependencies" if deps else "")
    return {
        "name": p["name"], "file": p["file"], "class_name": p["class_name"], "base_classes": p["base_classes"],
        "build_system": p["build_system"], "description": described, "homepage": p["homepage"], "url": p["url"],
        "git": p["git"], "list_url": p["list_url"], "tags": p["tags"], "maintainers": p["maintainers"],
        "licenses": [{"spdx": l["spdx"], "when": l.get("when")} for l in p["licenses"]],
        "versions": p["versions"], "latest_version": p["latest_version"],
        "variants": [{"name": v["name"], "default": v.get("default"), "description": None, "values": v.get("values")} for v in p["variants"]],
        "dependencies": [{"spec": d["spec"], "name": d["name"], "type": d["type"], "when": d.get("when")} for d in deps],
        "conflicts": [{"spec": c.get("spec"), "when": c.get("when"), "msg": None} for c in p["conflicts"]],
        "provides": p["provides"], "gpu": p["gpu"],
    }

# SPDX -> Guix licence name (`license-name`, what the exporter writes).
GUIX_LICENSE_NAMES = {"MIT": "Expat", "BSD-3-Clause": "Modified BSD", "BSD-2-Clause": "FreeBSD",
                      "Apache-2.0": "ASL 2.0", "GPL-2.0-or-later": "GPL 2+", "GPL-3.0-or-later": "GPL 3+",
                      "LGPL-2.1-or-later": "LGPL 2.1+", "Zlib": "Zlib", "BSL-1.0": "Boost 1.0",
                      "MPL-2.0": "MPL 2.0", "GPL-2.0-only": "GPL 2", "LGPL-3.0-or-later": "LGPL 3+"}
# The demo guix-science channel: software absent from the 2022 Guix snapshot.
GUIX_SCIENCE = ("paraview", "cp2k", "nwchem", "lammps", "quantum-espresso")

def guix_name(n):
    if n.startswith("py-"):
        return "python-" + n[3:]
    return n

def nix_attr(n):
    if n.startswith("py-"):
        return "python312Packages." + n[3:]
    if n.startswith("r-"):
        return "rPackages." + n[2:]
    return n

def release(p):
    """The newest numbered version with a sha256 and its URL, if any."""
    for v in p["versions"]:
        if v.get("sha256") and v["version"][0].isdigit() and not v.get("deprecated"):
            return v
    return None

def other_ecosystems(packages):
    science, nix = [], {}
    named = [p for p in packages if p["name"] in SYNOPSES]
    for i, p in enumerate(named):
        v = release(p)
        if not v:
            continue
        if p["name"] in GUIX_SCIENCE:
            lic = [GUIX_LICENSE_NAMES.get(l["spdx"], l["spdx"]) for l in p["licenses"] if l["spdx"]]
            origin = {"type": "url", "urls": [v["url"]] if v.get("url") else ([p["url"]] if p["url"] else []),
                      "integrity": "sha256-" + base64.b64encode(bytes.fromhex(v["sha256"])).decode()}
            science.append({"name": guix_name(p["name"]), "version": v["version"], "synopsis": p["description"],
                            "homepage": p["homepage"], "location": f"guix-science/packages/demo.scm:{100 + 10 * i}",
                            "license": lic, "source": [origin],
                            "inputs": [guix_name(d["name"]) for d in p["dependencies"]
                                       if "link" in d["type"] and d["name"] in SYNOPSES]})
        spdx = [l["spdx"] for l in p["licenses"] if l["spdx"] and l["spdx"] != "custom"]
        nix[nix_attr(p["name"])] = {
            "name": f"{p['name'].removeprefix('py-').removeprefix('r-')}-{v['version']}",
            "pname": p["name"].removeprefix("py-").removeprefix("r-"), "version": v["version"],
            "system": "x86_64-linux", "outputName": "out",
            "meta": {"description": p["description"], "homepage": p["homepage"],
                     "license": [{"spdxId": s, "shortName": s.lower(), "free": True} for s in spdx],
                     "maintainers": [], "platforms": ["x86_64-linux", "aarch64-linux"],
                     "position": f"pkgs/by-name/demo/{p['name']}/package.nix:1"}}
    return science, nix

# --- The real Guix channel (export.json, commit 4dffeced) -------------------

# Spack seed -> Guix name where Guix spells the software differently
# (otherwise py-x -> python-x, else the same name).
GUIX_NAMES = {"netcdf-c": "netcdf", "netlib-lapack": "lapack", "netlib-scalapack": "scalapack",
              "suite-sparse": "suitesparse", "py-torch": "python-pytorch", "py-tensorflow": "tensorflow",
              "gmake": "make"}
# Seeds that are not the same software in Guix (pkgconf is not pkg-config).
GUIX_SKIP = {"pkgconf"}
# Synopses (ours) where the Guix package differs from the Spack seed.
GUIX_SYNOPSES = {"make": "GNU Make build automation tool", "tensorflow": "Machine learning framework with Python bindings"}

# Facts the static reader behind export.json could not fold (licences and
# sources built by procedures), read from gnu/packages/maths.scm at the same
# versions: hdf5 is `(license:x11-style …)`; the 1.10.7 and 1.12.1 origins
# are url-fetch with these nix-base32 sha256s.
HDF5_RELEASES = "https://support.hdfgroup.org/ftp/HDF5/releases"
GUIX_SOURCE_FACTS = {
    ("hdf5", "1.8.22"): {"license": ["X11-style"]},
    ("hdf5", "1.10.7"): {"license": ["X11-style"], "base32": "0pm5xxry55i0h7wmvc7svzdaa90rnk7h78rrjmnlkz2ygsn8y082"},
    ("hdf5", "1.12.1"): {"license": ["X11-style"], "base32": "074g3z504xf77ff38igs30i1aqxpm508p7yw78ykva7dncrgbyda"},
}

NIX32 = "0123456789abcdfghijklmnpqrsvwxyz"

def nix_base32_to_integrity(text):
    """Guix's nix-base32 sha256 -> `sha256-<base64>` (the exporter's form)."""
    size = len(text) * 5 // 8
    out = bytearray(size)
    for n, c in enumerate(reversed(text)):
        digit, bit = NIX32.index(c), n * 5
        i, j = bit // 8, bit % 8
        out[i] |= (digit << j) & 0xFF
        if i + 1 < size:
            out[i + 1] |= digit >> (8 - j)
    return "sha256-" + base64.b64encode(bytes(out)).decode()

def hdf5_origin(version):
    minor = ".".join(version.split(".")[:2])
    return [f"{HDF5_RELEASES}/hdf5-{minor}/hdf5-{version}/src/hdf5-{version}.tar.bz2",
            f"https://support.hdfgroup.org/ftp/HDF5/current{minor.replace('.', '')}/src/hdf5-{version}.tar.bz2"]

def real_guix(export):
    """The seeds as the real Guix channel packages them: every version Guix
    lists, with its facts; synopses written here."""
    by_name = {}
    for p in export:
        by_name.setdefault(p["name"], []).append(p)
    out = []
    for seed in SEEDS:
        if seed in GUIX_SKIP:
            continue
        name = GUIX_NAMES.get(seed, guix_name(seed))
        for p in by_name.get(name, []):
            entry = {"name": name, "version": p["version"],
                     "synopsis": GUIX_SYNOPSES.get(name, SYNOPSES[seed]),
                     "homepage": p.get("homepage"), "location": p["location"],
                     "license": p["license"], "source": p["source"],
                     "inputs": p["inputs"], "propagated_inputs": p["propagated_inputs"],
                     "native_inputs": p["native_inputs"]}
            extra = GUIX_SOURCE_FACTS.get((name, p["version"]), {})
            if extra.get("license") and not entry["license"]:
                entry["license"] = extra["license"]
            if extra.get("base32") and not entry["source"]:
                entry["source"] = [{"type": "url", "urls": hdf5_origin(p["version"]),
                                    "integrity": nix_base32_to_integrity(extra["base32"])}]
            out.append({k: v for k, v in entry.items() if v is not None})
    out.sort(key=lambda e: (e["name"], e["version"]))
    return out

if __name__ == "__main__":
    main()
