#!/usr/bin/env python3
"""Tiny JSON-RPC client for shell tests.

  call.py --url URL --db DB [--login admin --password admin] MODEL METHOD ARGS_JSON [KWARGS_JSON]
      prints the JSON ``result`` of object.execute_kw; exit 1 (envelope on stderr) on an error
  call.py --url URL --service common --method version [ARGS_JSON]
  call.py --url URL --get /odf-test/stats        | --post /odf-test/faults JSON

An https URL is not verified (the test servers' certificates are throwaway).
"""
import argparse
import json
import ssl
import sys
import urllib.error
import urllib.request


def http(url, data=None, timeout=30):
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    with urllib.request.urlopen(req, timeout=timeout, context=context) as resp:
        return resp.read()


def rpc(url, service, method, args, timeout=30):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                       "params": {"service": service, "method": method, "args": args}}).encode()
    return json.loads(http(url.rstrip("/") + "/jsonrpc", body, timeout))


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--db")
    p.add_argument("--login", default="admin")
    p.add_argument("--password", default="admin")
    p.add_argument("--uid", type=int, default=2)
    p.add_argument("--service")
    p.add_argument("--method")
    p.add_argument("--get")
    p.add_argument("--post")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("rest", nargs="*")
    a = p.parse_args(argv)
    try:
        if a.get:
            print(http(a.url.rstrip("/") + a.get, timeout=a.timeout).decode())
            return 0
        if a.post:
            print(http(a.url.rstrip("/") + a.post, (a.rest[0] if a.rest else "{}").encode(), a.timeout).decode())
            return 0
        if a.service:
            reply = rpc(a.url, a.service, a.method, json.loads(a.rest[0]) if a.rest else [], a.timeout)
        else:
            if len(a.rest) < 3:
                p.error("MODEL METHOD ARGS_JSON [KWARGS_JSON] expected")
            model, method, args = a.rest[0], a.rest[1], json.loads(a.rest[2])
            kwargs = json.loads(a.rest[3]) if len(a.rest) > 3 else {}
            reply = rpc(a.url, "object", "execute_kw",
                        [a.db, a.uid, a.password, model, method, args, kwargs], a.timeout)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print("call.py: %s" % exc, file=sys.stderr)
        return 2
    if "error" in reply:
        print(json.dumps(reply["error"], ensure_ascii=False), file=sys.stderr)
        return 1
    print(json.dumps(reply.get("result"), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
