#!/usr/bin/env python3
"""A Guix packages.json of N packages, one tarball source each with its own
sha256 (flat hash), for bench/archival.sh.

    gen_archival.py N OUT
"""
import base64
import hashlib
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
hosts = ["github.com", "gitlab.com", "gitlab.inria.fr", "ftp.gnu.org", "pypi.org", "example.org"]
with open(out, "w") as f:
    f.write("[\n")
    for i in range(n):
        digest = hashlib.sha256(f"bench-{i}".encode()).digest()
        rec = {"name": f"bench-{i}", "version": "1.0", "synopsis": "Benchmark package", "homepage": None,
               "location": f"bench.scm:{i}", "license": ["GPL 3+"],
               "source": [{"type": "url", "urls": [f"https://{hosts[i % len(hosts)]}/bench/bench-{i}-1.0.tar.gz"],
                           "integrity": "sha256-" + base64.b64encode(digest).decode()}]}
        f.write(("," if i else "") + json.dumps(rec) + "\n")
    f.write("]\n")
