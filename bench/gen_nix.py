#!/usr/bin/env python3
"""Writes a Nix channel packages.json (version 2) with N packages, shaped like
nixpkgs' (top-level attributes and python/R/haskell package sets, licences as
objects or lists, maintainers, platforms, positions). Deterministic for a
given N and seed, so runs compare."""
import json
import random
import sys

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    out = sys.argv[2] if len(sys.argv) > 2 else "/dev/stdout"
    rnd = random.Random(42)
    sets = ["", "python312Packages.", "python313Packages.", "rPackages.", "haskellPackages.", "perlPackages.", "ocamlPackages."]
    words = ["lib", "tool", "mpi", "hdf", "fft", "blas", "solver", "mesh", "cuda", "rocm", "parallel", "sparse",
             "linear", "graph", "io", "net", "xml", "json", "zip", "crypt", "plot", "stats", "quantum", "chem"]
    licenses = [
        {"spdxId": "MIT", "shortName": "mit", "fullName": "MIT License", "free": True},
        {"spdxId": "BSD-3-Clause", "shortName": "bsd3", "fullName": "BSD 3-clause", "free": True},
        {"spdxId": "GPL-3.0-or-later", "shortName": "gpl3Plus", "fullName": "GNU GPL v3.0 or later", "free": True},
        {"spdxId": "Apache-2.0", "shortName": "asl20", "fullName": "Apache License 2.0", "free": True},
        {"spdxId": "LGPL-2.1-only", "shortName": "lgpl21Only", "fullName": "GNU LGPL v2.1 only", "free": True},
    ]
    platforms = ["x86_64-linux", "aarch64-linux", "x86_64-darwin", "aarch64-darwin", "powerpc64le-linux", "riscv64-linux"]
    packages = {}
    for i in range(n):
        s = sets[rnd.randrange(len(sets))] if i % 3 else ""
        base = f"{words[i % len(words)]}{words[(i // len(words)) % len(words)]}-{i}"
        attr = s + base
        version = f"{rnd.randrange(0, 20)}.{rnd.randrange(0, 30)}.{rnd.randrange(0, 10)}"
        lic = licenses[i % len(licenses)]
        meta = {
            "description": f"The {words[i % len(words)]} {words[(i * 7) % len(words)]} package number {i}",
            "homepage": f"https://example.org/{base}",
            "license": lic if i % 5 else [lic, licenses[(i + 1) % len(licenses)]],
            "maintainers": [{"github": f"maint{i % 997}", "githubId": i % 997, "name": f"Maintainer {i % 997}"}] if i % 4 else [],
            "platforms": platforms[: 1 + i % len(platforms)],
            "position": f"pkgs/by-name/{base[:2]}/{base}/package.nix:{1 + i % 200}",
            "broken": False,
            "available": True,
        }
        if i % 10 == 0:
            meta["longDescription"] = "A longer description.\nIt has several lines.\n" * 3
        packages[attr] = {
            "name": f"{base}-{version}", "pname": base, "version": version,
            "system": "x86_64-linux", "outputName": "out", "meta": meta,
        }
    with open(out, "w") as f:
        json.dump({"version": 2, "packages": packages}, f)

if __name__ == "__main__":
    main()
