#!/usr/bin/env python3
"""A fake Cuirass for bench/ci-import.sh: its Web API (/api/evaluations,
/api/latestbuilds?evaluation=, /build/<id>) over generated build results,
deterministic (re-serving the same results gives the same answers).

    ci_fake_cuirass.py --evaluations 100 --builds 10000 --names packages.json --port-file FILE
"""
import argparse
import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

SYSTEMS = ["x86_64-linux", "aarch64-linux", "powerpc64le-linux", "i686-linux"]
# Mostly successes, some failures of each kind, as a build farm has them.
STATUSES = [0] * 14 + [1, 1, 2, 3, 4, 7]
T0 = 1_760_000_000


def build(args, names, build_id):
    evaluation = (build_id - 1) // args.builds + 1
    name, version = names[(build_id * 7919) % len(names)]
    system = SYSTEMS[build_id % len(SYSTEMS)]
    status = STATUSES[(build_id * 31) % len(STATUSES)]
    stop = T0 + evaluation * 3600 + (build_id % args.builds)
    nixname = f"{name}-{version}"
    return {
        "id": build_id, "jobset": "guix", "job": f"{nixname}.{system}", "nixname": nixname,
        "system": system, "buildstatus": status, "weather": -1, "evaluation": evaluation,
        "timestamp": stop - 900, "starttime": stop - 600, "stoptime": stop, "busy": 0, "priority": 9,
        "finished": 1, "derivation": f"/gnu/store/{build_id:032x}-{nixname}.drv",
        "buildoutputs": {"out": {"path": f"/gnu/store/{build_id:032x}-{nixname}"}},
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--evaluations", type=int, default=100)
    p.add_argument("--builds", type=int, default=10000, help="builds per evaluation")
    p.add_argument("--names", required=True, help="a Guix packages.json: the packages built")
    p.add_argument("--port-file", required=True)
    args = p.parse_args()
    with open(args.names) as f:
        names = [(p["name"], p["version"]) for p in json.load(f)]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def answer(self, value, code=200):
            body = json.dumps(value, separators=(",", ":")).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/api/evaluations":
                nr = int(q.get("nr", 0))
                evals = [{"id": e, "specification": "guix", "status": 0, "timestamp": T0 + e * 3600,
                          "checkouttime": T0 + e * 3600, "evaltime": T0 + e * 3600 + 600,
                          "checkouts": [{"commit": f"{e:040x}", "channel": "guix", "directory": "/gnu/store/x"}]}
                         for e in range(args.evaluations, 0, -1)][:nr]
                return self.answer(evals)
            if url.path == "/api/latestbuilds":
                nr = int(q.get("nr", 0))
                e = int(q.get("evaluation", args.evaluations))
                if not 1 <= e <= args.evaluations:
                    return self.answer([])
                first, last = (e - 1) * args.builds + 1, e * args.builds
                ids = range(last, max(first, last - nr + 1) - 1, -1)
                return self.answer([build(args, names, i) for i in ids])
            m = re.fullmatch(r"/build/(\d+)", url.path)
            if m and 1 <= int(m.group(1)) <= args.evaluations * args.builds:
                return self.answer(build(args, names, int(m.group(1))))
            return self.answer({"error": "not found"}, 404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
