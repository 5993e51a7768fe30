#!/usr/bin/env python3
"""Measure the emulator's throughput (the numbers in README.md).

    python3 tests/odoo_server/bench.py [--partners 20000] [--json]

Starts a server (subprocess, like the tests do), seeds partners, then runs
single-client sequential JSON-RPC calls over one keep-alive connection:
search_read and export_data paging by offset/limit (order id), and load of
the exported rows into a second database (companies first, then contacts
whose parent_id/id points to an earlier batch), like the recorded Odoo
benchmarks in shared/odoo-wire/17.0-throughput.json.
"""

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SR_FIELDS = ["name", "email", "phone", "street", "street2", "zip", "city", "country_id", "parent_id",
             "category_id", "is_company", "type", "lang", "active", "comment", "write_date"]
EXPORT_FIELDS = ["id", "name", "email", "phone", "street", "street2", "zip", "city", "country_id/id",
                 "parent_id/id", "category_id/id", "is_company", "type", "lang", "active", "comment", "ref"]


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, db, model, method, args, kwargs=None):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [db, 2, "admin", model, method, args, kwargs or {}]}})
        self.conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
        reply = json.loads(self.conn.getresponse().read())
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]


def start_server(data_dir):
    port_file = os.path.join(data_dir, "port")
    t0 = time.time()
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "server.py"), "--data-dir", data_dir,
                             "--db", "src", "--db", "dst", "--port-file", port_file],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    proc.stdout.readline()
    ready = time.time() - t0
    with open(port_file) as fh:
        return proc, int(fh.read()), ready


def timed(fn):
    t0 = time.time()
    n = fn()
    dt = time.time() - t0
    return {"records": n, "seconds": round(dt, 2), "records_per_s": round(n / dt, 1)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--partners", type=int, default=20000)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    results = {"machine": "%s, %s, %d CPU, Python %s" % (platform.system(), platform.machine(), os.cpu_count(),
                                                        platform.python_version()),
               "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory() as tmp:
        proc, port, ready = start_server(tmp)
        try:
            results["startup_s"] = round(ready, 3)
            sys.path.insert(0, HERE)
            from odooemu.seed import seed_partners
            t0 = time.time()
            seed_partners(os.path.join(tmp, "src.sqlite"), args.partners, 1)
            results["seed"] = {"records": args.partners, "seconds": round(time.time() - t0, 2),
                               "records_per_s": round(args.partners / (time.time() - t0))}
            c = Client(port)
            ids = c.call("src", "res.partner", "search", [[("id", ">", 6)]],
                         {"order": "id", "context": {"active_test": False}})

            def search_read(batch):
                def run():
                    n = 0
                    for off in range(0, len(ids), batch):
                        n += len(c.call("src", "res.partner", "search_read", [[("id", ">", 6)]],
                                        {"fields": SR_FIELDS, "offset": off, "limit": batch, "order": "id",
                                         "context": {"active_test": False}}))
                    return n
                return run

            for batch in (100, 500, 2000):
                results["search_read_batch_%d" % batch] = timed(search_read(batch))

            exported = []

            def export():
                exported.clear()
                for off in range(0, len(ids), 500):
                    exported.extend(c.call("src", "res.partner", "export_data",
                                           [ids[off:off + 500], EXPORT_FIELDS])["datas"])
                return len(ids)
            results["export_data_batch_500_first"] = timed(export)
            results["export_data_batch_500_again"] = timed(export)
            companies = [r for r in exported if not r[9]]
            contacts = [r for r in exported if r[9]]

            def load(rows, batch, prefix):
                def run():
                    for off in range(0, len(rows), batch):
                        chunk = [[prefix + r[0].replace(".", "_")] + r[1:9] + [
                            (prefix + r[9].replace(".", "_")) if r[9] else ""] + r[10:11] +
                            ["1" if r[11] else "0"] + [r[12], r[13], "1" if r[14] else "0"] + r[15:]
                            for r in rows[off:off + batch]]
                        res = c.call("dst", "res.partner", "load", [EXPORT_FIELDS, chunk],
                                     {"context": {"tracking_disable": True}})
                        if res["messages"]:
                            raise RuntimeError(res["messages"][:2])
                    return len(rows)
                return run

            tag_ids = c.call("src", "res.partner.category", "search", [[]], {"order": "parent_id desc, id"})
            tags = c.call("src", "res.partner.category", "export_data", [tag_ids, ["id", "name", "parent_id/id"]])
            c.call("dst", "res.partner.category", "load", [["id", "name", "parent_id/id"],
                                                           sorted(tags["datas"], key=lambda r: bool(r[2]))])
            results["load_companies_batch_100"] = timed(load(companies, 100, "a_"))
            results["load_contacts_batch_100"] = timed(load(contacts, 100, "a_"))
            results["load_companies_batch_500"] = timed(load(companies, 500, "b_"))
            results["load_contacts_batch_500"] = timed(load(contacts, 500, "b_"))
        finally:
            proc.terminate()
            proc.wait(10)
            proc.stdout.close()
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for key, value in results.items():
            print("%-32s %s" % (key, value))


if __name__ == "__main__":
    main()
