#!/usr/bin/env python3
"""The baseline odf-export is measured against: a plain xmlrpc.client script.

    xmlrpc_export.py URL DB LOGIN PASSWORD MODEL [--batch-size N] [--fields a,b/id]

It does what a hand-written migration script does: log in, search the ids,
then export_data in batches, writing one JSON object a line to stdout in
odf's record format (external ids, selection keys, null for empty,
relations as {"id": ...}). Without --fields it exports the fields odf-export
exports by default: "id" and every stored, writable field but one2many and
the magic ones.
"""
import argparse
import json
import sys
import xmlrpc.client

MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date",
         "__last_update", "display_name"}
RELATIONAL = {"many2one", "many2many", "one2many"}


def default_paths(fields):
    paths = ["id"]
    for name in sorted(fields):
        f = fields[name]
        if (not f.get("store", True) or f.get("readonly") or name in MAGIC
                or f["type"] in ("one2many", "properties")):
            continue
        paths.append(name + "/id" if f["type"] in RELATIONAL else name)
    return paths


def converter(fields, paths):
    """One function per column: an export_data cell -> (key, JSON value)."""
    def plain(key, ftype, labels):
        def conv(cell):
            if ftype == "boolean":
                return key, bool(cell)
            if cell == "" or cell is False:
                return key, None
            if ftype == "selection":
                return key, labels.get(cell, cell)
            return key, cell
        return conv

    def ref(key, many):
        def conv(cell):
            if not cell:
                return key, [] if many else None
            if many:
                return key, [{"id": x} for x in cell.split(",")]
            return key, {"id": cell}
        return conv

    convs = []
    for path in paths:
        name = path.split("/")[0]
        f = fields.get(name, {})
        if path == "id":
            convs.append(lambda cell: ("id", cell))
        elif f.get("type") in RELATIONAL:
            convs.append(ref(name, f["type"] != "many2one"))
        else:
            labels = {label: key for key, label in f.get("selection") or []}
            convs.append(plain(name, f.get("type"), labels))
    return convs


def main():
    p = argparse.ArgumentParser()
    for arg in ("url", "db", "login", "password", "model"):
        p.add_argument(arg)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--fields")
    a = p.parse_args()

    common = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/common", allow_none=True)
    uid = common.login(a.db, a.login, a.password)
    if not uid:
        sys.exit("login refused")
    obj = xmlrpc.client.ServerProxy(a.url + "/xmlrpc/2/object", allow_none=True)

    def call(method, *args, **kw):
        return obj.execute_kw(a.db, uid, a.password, a.model, method, list(args), kw)

    fields = call("fields_get", attributes=["type", "store", "readonly", "selection"])
    paths = a.fields.split(",") if a.fields else default_paths(fields)
    convs = converter(fields, paths)
    ids = call("search", [], order="id")
    out = sys.stdout
    for i in range(0, len(ids), a.batch_size):
        rows = call("export_data", ids[i:i + a.batch_size], paths)["datas"]
        for row in rows:
            out.write(json.dumps(dict(c(cell) for c, cell in zip(convs, row)),
                                 ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
    out.flush()


if __name__ == "__main__":
    main()
