#!/usr/bin/env python3
"""Builds the demo data set in server/demo/ from the shared Spack corpus.

- spack.json: about 300 real Spack packages (the seeds below and their
  dependencies), facts only: names, versions, hashes, URLs, licences,
  maintainers, dependencies, variants (without Spack's prose). Synopses are
  written for this project (SYNOPSES) or, for dependency libraries, derived
  from facts.
- guix-packages.json, guix-science-packages.json, nix-packages.json: Guix and
  Nix channels in their published formats covering the same software, named
  by each ecosystem's conventions; versions and source hashes are the Spack
  facts of the same upstream release (same tarball, same sha256).

Usage: python3 scripts/demo/make_demo.py [path/to/shared/data/spack/packages.json]
"""
import base64
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "spack", "packages.json")
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
    guix, science, nix = other_ecosystems(packages)
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

GUIX_LICENSES = {"MIT": "expat", "BSD-3-Clause": "bsd-3", "BSD-2-Clause": "bsd-2", "Apache-2.0": "asl2.0",
                 "GPL-2.0-or-later": "gpl2+", "GPL-3.0-or-later": "gpl3+", "LGPL-2.1-or-later": "lgpl2.1+",
                 "Zlib": "zlib", "BSL-1.0": "boost1.0", "MPL-2.0": "mpl2.0", "GPL-2.0-only": "gpl2"}

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
    guix, science, nix = [], [], {}
    named = [p for p in packages if p["name"] in SYNOPSES]
    for i, p in enumerate(named):
        v = release(p)
        if not v:
            continue
        lic = [GUIX_LICENSES.get(l["spdx"], l["spdx"].lower()) for l in p["licenses"] if l["spdx"]]
        origin = {"type": "url", "urls": [v["url"]] if v.get("url") else ([p["url"]] if p["url"] else []),
                  "integrity": "sha256-" + base64.b64encode(bytes.fromhex(v["sha256"])).decode()}
        entry = {"name": guix_name(p["name"]), "version": v["version"], "synopsis": p["description"],
                 "homepage": p["homepage"], "location": f"gnu/packages/demo.scm:{100 + 10 * i}",
                 "license": lic, "source": [origin],
                 "inputs": [guix_name(d["name"]) for d in p["dependencies"]
                            if "link" in d["type"] and d["name"] in SYNOPSES]}
        (science if p["name"] in ("paraview", "openfoam", "julia", "cp2k", "nwchem") else guix).append(entry)
        spdx = [l["spdx"] for l in p["licenses"] if l["spdx"] and l["spdx"] != "custom"]
        nix[nix_attr(p["name"])] = {
            "name": f"{p['name'].removeprefix('py-').removeprefix('r-')}-{v['version']}",
            "pname": p["name"].removeprefix("py-").removeprefix("r-"), "version": v["version"],
            "system": "x86_64-linux", "outputName": "out",
            "meta": {"description": p["description"], "homepage": p["homepage"],
                     "license": [{"spdxId": s, "shortName": s.lower(), "free": True} for s in spdx],
                     "maintainers": [], "platforms": ["x86_64-linux", "aarch64-linux"],
                     "position": f"pkgs/by-name/demo/{p['name']}/package.nix:1"}}
    # Guix lists one name once per version: several GCC releases.
    gcc = next(p for p in packages if p["name"] == "gcc")
    for v in [v for v in gcc["versions"] if v.get("sha256")][1:4]:
        guix.append({"name": "gcc", "version": v["version"], "synopsis": SYNOPSES["gcc"], "homepage": gcc["homepage"],
                     "location": "gnu/packages/gcc.scm:1", "license": ["gpl3+"],
                     "source": [{"type": "url", "urls": [v["url"]] if v.get("url") else [],
                                 "integrity": "sha256-" + base64.b64encode(bytes.fromhex(v["sha256"])).decode()}]})
    return guix, science, nix

if __name__ == "__main__":
    main()
