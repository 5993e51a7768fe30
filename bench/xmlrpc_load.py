#!/usr/bin/env python3
"""The baseline of bench/import.sh: a plain xmlrpc.client load loop.

  xmlrpc_load.py URL DB LOGIN PASSWORD MODEL BATCH FILE

Reads NDJSON records (flat or one level nested: {"id": x} references),
turns each into load's cells the simple way (x/id paths, booleans as 1/0,
lists of references comma-joined) and calls load once a batch, one call at
a time, with the context odf-import uses by default. Prints the number of
records loaded; exits 1 when load refused any.
"""
import json
import sys
import xmlrpc.client


def cells(rec):
    out = {}
    for key, value in rec.items():
        if key.startswith("_odf"):
            continue
        if isinstance(value, dict) or (value is None and key.endswith("_id")):
            key, value = key + "/id", (value or {}).get("id") or ""
        elif isinstance(value, list):
            key, value = key + "/id", ",".join(v["id"] for v in value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        elif value is None:
            value = ""
        else:
            value = str(value)
        out[key.replace(".", "/")] = value
    return out


def main():
    url, db, login, password, model, batch, path = sys.argv[1:8]
    batch = int(batch)
    common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common", allow_none=True)
    uid = common.login(db, login, password)
    obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
    loaded = refused = 0

    def send(rows):
        nonlocal loaded, refused
        fields = sorted({k for r in rows for k in r}, key=lambda k: (k != "id", k))
        data = [[r.get(f, "") for f in fields] for r in rows]
        res = obj.execute_kw(db, uid, password, model, "load", [fields, data],
                             {"context": {"tracking_disable": True}})
        if res["ids"]:
            loaded += len(res["ids"])
        else:
            refused += len(rows)

    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(cells(json.loads(line)))
            if len(rows) == batch:
                send(rows)
                rows = []
    if rows:
        send(rows)
    print(loaded)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
