#!/usr/bin/env python3
"""A fake Software Heritage Web API for bench/archival.sh: answers
/api/1/extid/<type>/hex:<h>/, /api/1/content/sha256:<h>/, /api/1/revision/<id>/
and /api/1/origin/<url>/visit/latest/ in the documented JSON shapes,
deterministically from the hash (three in four archived), and counts the
requests it served (GET /count).

    swh_fake.py --port-file FILE
"""
import argparse
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COUNT = 0
LOCK = threading.Lock()


def archived(h):
    return h[0] not in "cdef"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("x-ratelimit-limit", "1200")
        self.send_header("x-ratelimit-remaining", "1000")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        global COUNT
        path = self.path
        if path == "/count":
            return self.reply(200, {"requests": COUNT})
        with LOCK:
            COUNT += 1
        m = re.match(r"^/api/1/extid/([a-z0-9-]+)/hex:([0-9a-f]{40,64})/", path)
        if m:
            h = m.group(2)
            if archived(h):
                return self.reply(200, {"extid_type": m.group(1), "extid": h, "extid_version": 1,
                                        "target": "swh:1:dir:" + h[:40]})
            return self.reply(404, {"exception": "NotFoundExc", "reason": "not found"})
        m = re.match(r"^/api/1/content/sha256:([0-9a-f]{64})/$", path)
        if m:
            return self.reply(404, {"exception": "NotFoundExc", "reason": "not found"})
        m = re.match(r"^/api/1/revision/([0-9a-f]{40})/$", path)
        if m:
            h = m.group(1)
            if archived(h):
                return self.reply(200, {"id": h, "message": "bench"})
            return self.reply(404, {"exception": "NotFoundExc", "reason": "not found"})
        if path.startswith("/api/1/origin/"):
            return self.reply(200, {"visit": 1, "status": "full", "snapshot": "0" * 40})
        return self.reply(400, {"exception": "BadInputExc", "reason": "unknown path"})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
