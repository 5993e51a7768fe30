#!/usr/bin/env python3
"""Baselines of bench/real.sh, measured against a real Odoo (standard library only).

  real_baseline.py export CONF MODEL FIELDS DOMAIN BATCH        > rows.ndjson
  real_baseline.py rows CONF MODEL FIELDS DOMAIN FILE           (untimed: the rows, for "limit")
  real_baseline.py script SRC_CONF DST_CONF MODEL FIELDS DOMAIN EXPORT_BATCH IMPORT_BATCH
  real_baseline.py limit DST_CONF MODEL FILE BATCH WORKERS
  real_baseline.py count CONF MODEL                              (records, archived too)

export: the plain script a user writes: log in, search the ids, export_data by BATCH,
one JSON line a row.  script: export_data rows straight into load, one worker, in
the order export_data gives them.  limit: the server's own limit: the rows already
in memory, companies first, then the contacts sorted by parent, load only, BATCH
rows a call, WORKERS threads each with its own connection.  CONF is an odf
connection file (jsonrpc or json2); FIELDS are export_data paths (a/id); DOMAIN
is JSON.  Prints one JSON line of counts on stderr.
"""
import configparser
import http.client
import json
import queue
import sys
import threading


class Odoo:
    """One keep-alive connection: JSON-RPC execute_kw, or JSON-2."""
    NAMES = {"search": ["domain"], "export_data": ["ids", "fields_to_export"],
             "load": ["fields", "data"], "search_count": ["domain"]}

    def __init__(self, path, uid=None):
        cp = configparser.ConfigParser()
        cp.read(path)
        c = cp["Connection"]
        self.host, self.port = c.get("hostname"), c.getint("port", 8069)
        self.db, self.login, self.password = c.get("database"), c.get("login"), c.get("password")
        self.json2 = c.get("protocol", "jsonrpc").startswith("json2")
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=3600)
        self.uid = uid
        if not self.json2 and uid is None:
            self.uid = self.rpc("common", "login", [self.db, self.login, self.password])
        if not self.json2 and not self.uid:
            sys.exit("login refused")

    def post(self, path, body, headers):
        self.conn.request("POST", path, json.dumps(body), dict(headers, **{"Content-Type": "application/json"}))
        resp = self.conn.getresponse()
        data = json.loads(resp.read())
        if resp.status != 200:
            raise RuntimeError("%s: HTTP %d %s" % (path, resp.status, data.get("message")))
        return data

    def rpc(self, service, method, args):
        r = self.post("/jsonrpc", {"jsonrpc": "2.0", "method": "call", "id": 1,
                                   "params": {"service": service, "method": method, "args": args}}, {})
        if r.get("error"):
            raise RuntimeError(r["error"]["data"]["message"])
        return r["result"]

    def call(self, model, method, args, kw=None):
        if self.json2:
            body = dict(zip(self.NAMES[method], args), **(kw or {}))
            return self.post("/json/2/%s/%s" % (model, method), body,
                             {"Authorization": "bearer " + self.password, "X-Odoo-Database": self.db})
        return self.rpc("object", "execute_kw", [self.db, self.uid, self.password, model, method, args, kw or {}])


def cell(v):
    """An export_data cell as load takes it."""
    if v is True:
        return "1"
    if v is False or v is None:
        return ""
    return v if isinstance(v, str) else str(v)


def rows(odoo, model, fields, domain, batch, archived=False):
    kw = {"order": "id"}
    if archived:        # as odf migrate, which copies archived records too
        kw["context"] = {"active_test": False}
    ids = odoo.call(model, "search", [domain], kw)
    for i in range(0, len(ids), batch):
        yield from odoo.call(model, "export_data", [ids[i:i + batch], fields])["datas"]


def load(odoo, model, fields, data, stats):
    r = odoo.call(model, "load", [fields, data], {"context": {"tracking_disable": True}})
    if r.get("ids"):
        stats["loaded"] += len(r["ids"])
    else:
        stats["refused"] += len(data)
        stats.setdefault("message", (r.get("messages") or [{}])[0].get("message"))


def main():
    mode, a = sys.argv[1], sys.argv[2:]
    stats = {"loaded": 0, "refused": 0}
    if mode == "export":
        conf, model, fields, domain, batch = a[0], a[1], a[2].split(","), json.loads(a[3]), int(a[4])
        out, n = sys.stdout, 0
        for row in rows(Odoo(conf), model, fields, domain, batch):
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
        stats = {"rows": n}
    elif mode == "rows":
        conf, model, fields, domain, path = a[0], a[1], a[2].split(","), json.loads(a[3]), a[4]
        data = [[cell(v) for v in row] for row in rows(Odoo(conf), model, fields, domain, 500, True)]
        with open(path, "w") as fh:
            json.dump({"fields": fields, "rows": data}, fh)
        stats = {"rows": len(data)}
    elif mode == "script":
        src, dst, model, fields, domain = Odoo(a[0]), Odoo(a[1]), a[2], a[3].split(","), json.loads(a[4])
        ebatch, ibatch = int(a[5]), int(a[6])
        chunk = []
        for row in rows(src, model, fields, domain, ebatch, True):
            chunk.append([cell(v) for v in row])
            if len(chunk) == ibatch:
                load(dst, model, fields, chunk, stats)
                chunk = []
        if chunk:
            load(dst, model, fields, chunk, stats)
    elif mode == "limit":
        conf, model, path, batch, workers = a[0], a[1], a[2], int(a[3]), int(a[4])
        with open(path) as fh:
            doc = json.load(fh)
        fields, data = doc["fields"], doc["rows"]
        p = fields.index("parent_id/id")
        parents = [r for r in data if not r[p]]
        contacts = sorted((r for r in data if r[p]), key=lambda r: r[p])
        conns = [Odoo(conf)]                            # one login, as odf
        conns += [Odoo(conf, conns[0].uid) for _ in range(workers - 1)]
        lock = threading.Lock()

        def run(rows_):
            q = queue.Queue()
            for i in range(0, len(rows_), batch):
                q.put(rows_[i:i + batch])

            def worker(odoo):
                while True:
                    try:
                        chunk = q.get_nowait()
                    except queue.Empty:
                        return
                    local = {"loaded": 0, "refused": 0}
                    load(odoo, model, fields, chunk, local)
                    with lock:
                        for k, v in local.items():
                            stats[k] = stats.get(k, 0) + v if k != "message" else v
            threads = [threading.Thread(target=worker, args=(c,)) for c in conns]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        run(parents)        # every parent in before any contact points at it
        run(contacts)
    elif mode == "count":
        print(Odoo(a[0]).call(a[1], "search_count", [[]], {"context": {"active_test": False}}))
        return
    else:
        sys.exit("unknown mode " + mode)
    print(json.dumps(stats), file=sys.stderr)


if __name__ == "__main__":
    main()
