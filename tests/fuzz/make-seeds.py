#!/usr/bin/env python3
"""Write the seed corpora of tests/fuzz/corpus/<target>/ (seed-* files).

    tests/fuzz/make-seeds.py [WIRE_DIR]

Seeds come from the recorded Odoo 17.0 and 19.0 (JSON-2) transcripts (WIRE_DIR, by default
/work/shared/odoo-wire; skipped when absent), the unit-test data in
tests/unit/data/ and a few hand-written cases below. Files are kept small
(libFuzzer's default -max_len is 4096) and written only when their content
changed, so running this again is harmless. Inputs libFuzzer found and that
were worth keeping live beside them under other names.
"""
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
DATA = os.path.join(ROOT, "tests", "unit", "data")
MAX = 4096


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX:
        return
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "seed-" + name)
    if os.path.exists(path) and open(path, "rb").read() == data:
        return
    with open(path, "wb") as f:
        f.write(data)


def short(data):
    return hashlib.sha1(data if isinstance(data, bytes) else data.encode()).hexdigest()[:10]


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def wire(wire_dir):
    for path in sorted(glob.glob(os.path.join(wire_dir, "17.0-*.json"))):
        case = os.path.basename(path)[5:-5]
        t = json.load(open(path))
        raw = t.get("response_raw")
        if raw:
            put("rpc", case, raw)
        resp = t.get("response", {})
        if "error" in resp:
            # The same error as a JSON-2 body: the data object itself.
            put("rpc", case + "-json2", compact(resp["error"].get("data", {})))
        args = t.get("request", {}).get("params", {}).get("args", [])
        if len(args) >= 6 and args[4] == "export_data" and "result" in resp:
            fields = args[5][1] if len(args[5]) > 1 else []
            doc = {"model": args[3], "fields": fields, "result": resp["result"]}
            put("export", case, compact(doc))
        if len(args) >= 6 and args[4] == "load":
            fields, rows = args[5][0], args[5][1]
            lines = [compact(dict(zip(fields, r))) for r in rows]
            res = resp.get("result") or {}
            lines += [compact(m) for m in res.get("messages", [])]
            put("record", case, "\n".join(lines) + "\n")
            put("transform", case, lines[0])
        if len(args) >= 6 and args[4] in ("search", "search_read", "search_count"):
            dom = args[5][0] if args[5] else []
            put("domain", case, compact(dom))
        if len(args) >= 6 and args[4] == "fields_get" and "result" in resp:
            res = resp["result"]
            names = sorted(res)
            for i in range(0, len(names), 12):
                part = {n: res[n] for n in names[i:i + 12]}
                put("fields", "%s-%d" % (case, i // 12), compact(part))


def unit_data():
    for path in sorted(glob.glob(os.path.join(DATA, "export_data-*.json"))):
        d = json.load(open(path))
        put("export", "unit-" + os.path.basename(path)[:-5],
            compact({"model": "res.partner", "fields": d["fields"], "result": d["result"]}))
    for path in sorted(glob.glob(os.path.join(DATA, "load-*.json"))):
        d = json.load(open(path))
        lines = [compact(dict(zip(d["fields"], r))) for r in d["data"]]
        put("record", "unit-" + os.path.basename(path)[:-5], "\n".join(lines) + "\n")
    models = json.load(open(os.path.join(DATA, "models.fields_get.json")))
    for name, fields in models.items():
        put("fields", "unit-" + name, compact(fields))
    sel = json.load(open(os.path.join(DATA, "res.partner.selections.json")))
    put("fields", "unit-selections",
        compact({k: {"type": "selection", "string": k, "selection": v} for k, v in sel.items()}))
    for path in sorted(glob.glob(os.path.join(DATA, "conf", "*.conf"))):
        put("conf", "unit-" + os.path.basename(path), open(path, "rb").read())


RECORDS = [
    '{"id": "__import__.c1", "name": "Ann", "is_company": false, "color": 3, '
    '"parent_id": {"id": "base.main_partner"}, "category_id": [{"id": "t1"}, {"id": "t2"}]}',
    '{"id": "__import__.c1", "parent_id/id": "base.main_partner", "category_id/id": "t1,t2"}',
    '{".id": 7, "name": "Bob", "parent_id": {".id": 3}, "type": "Invoice Address"}',
    '{"id": "x", "parent_id": {"name": "Acme"}, "country_id.id": "base.be", "_odf_note": 1}',
    '{"id": "y", "name": null, "email": false, "category_id": [], "parent_id": {}}',
    '{"id": "z", "name": "A\\u00e9\\n", "partner_latitude": 1.5e3, "date": "2024-02-29"}',
]
SALE = ('{"id": "so1", "partner_id": {"id": "p1"}, "order_line": [{"product_id": '
        '{"id": "prod1"}, "product_uom_qty": 2, "name": "Line"}, {"product_id/id": '
        '"prod2", "product_uom_qty": 1.5}]}')


def hand():
    put("record", "nested-flat-mixed", "\n".join(RECORDS) + "\n")
    put("record", "conflict", RECORDS[0] + "\n" + RECORDS[2] + "\n" + RECORDS[1] + "\n")
    put("record", "sale-order", SALE + "\n")
    put("record", "bad-shapes", '{"category_id": "x"}\n{"id": 5}\n{"parent_id": [1]}\n'
        '{"category_id": [1, 2]}\n{"order_line": {"a": 1}}\n{"name": {"id": "n"}}\n')
    put("record", "messages", '{"rows": {"from": 1, "to": 1}, "record": 1}\n'
        '{"record": 0}\n{"rows": {"from": 1e300}}\n{"record": -1e300}\n')
    put("export", "sale-order-lines", compact({
        "model": "sale.order",
        "fields": ["id", "name", "order_line/product_id/id", "order_line/product_uom_qty"],
        "datas": [["so1", "S1", "p1", "2"], ["", "", "p2", "1.5"], ["so2", "S2", "", ""]]}))
    put("export", "flat-names", compact({
        "fields": ["id", "name", "parent_id/name", "category_id/id", "type", ".id"],
        "datas": [["a", "A", "Acme", "t1,t2", "Contact", 5], ["b", False, False, "", "x", "7"]]}))
    put("export", "bad-rows", compact({"fields": ["id", "name"],
                                       "datas": [["a"], "x", [1, 2, 3], None]}))
    put("export", "unknown-model", compact({"model": "no.such", "fields": ["id", "a/b/c"],
                                            "datas": [["x", "y"]]}))
    for i, d in enumerate([
            "[('is_company', '=', True), ('country_id.code', 'in', ['BE', 'NL'])]",
            "['|', ('a', '=', 1), '!', ('b', 'ilike', 'x')]",
            "{'lang': 'fr_FR', 'active_test': False}",
            '[["is_company", "=", true]]',
            "[('child_ids', 'any', [('name', '=like', 'A%')])]",
            "[(1, '=', 1), (0, '=', 1), '&', ('x', '>=', 1.5e-3), ('y', '!=', None)]",
            "r'\\d' u'x' '''tri\nple''' \"\\x41\\u00e9\\U0001F600\"",
            "{1: 0x1F, True: 0o17, None: 0b101, 'k': -1_000, 'f': .5}",
            "{1, 2, (3,)}  # a set\n",
            "[('a', 'not in', (1, 2,),), ]",
            "'abc\\",
            "[" * 600,
            "[]", "", "  ", "(1)",
    ]):
        put("domain", "hand-%02d" % i, d)
    for i, line in enumerate(RECORDS + [SALE, '{"a":[1,{"b":null}],"c":"\\u0000\\u007f\\ud83d"}',
                                        '[1]', '"x"', '{"a":1', 'nul', '{"n":1e400,"m":-0,"k":0.1}',
                                        '{"a":1,"a":2}', b'\xff{"a":"\xc3("}']):
        put("transform", "hand-%02d" % i, line)
    # ndjson: a mode byte (repeats: low 2 bits; pieces: next 3), then the stream.
    streams = [
        b"\x00" + b'{"a":1}\n{"b":2}\n',
        b"\x05" + b'{"a":1}\r\n\r\n  \t\n{"b":2}',
        b"\x0a" + b'line\x00with nul\nnext\n',
        b"\x03" + b"x" * 400,
        b"\x1e" + b"ab\ncd\r\r\n\n",
        b"\x02" + b"\n",
        b"\x00",
        b"\x10" + "é".encode() + b"\xff\n",
    ]
    for i, s in enumerate(streams):
        put("ndjson", "hand-%02d" % i, s)
    for i, c in enumerate([
            "[Connection]\nhostname = localhost\nport = 8069\ndatabase = db\nlogin = admin\n"
            "password = admin\nprotocol = jsonrpcs\nuid = 2\ntimeout = 5\nverify_ssl = no\n"
            "retries = 0\nretry_delay = 0.5\nca_file = /x\n",
            "[Connection]\nhostname=::1\ndatabase=d\nlogin=l\npassword=p\nprotocol=json2s\n",
            "[connection]\r\nhostname = h ; comment\r\ndatabase = d\r\nlogin = l\r\npassword = p\r\n",
            "\xef\xbb\xbf[Connection]\nhostname = h\n  continued\ndatabase = d\nlogin = l\n"
            "password = p\n[Other]\nx = y\n",
            "[Connection\nhostname\n",
            "[Connection]\nport = 99999\n",
            "[Connection]\nhostname = " + "h" * 300 + "\n",
    ]):
        put("conf", "hand-%02d" % i, c.encode("latin-1") if "\xef" in c else c)
    for name, text in [("fields", "id,name,parent_id/id"),
                       ("newlines", "id, name ,\n\nparent_id/id\n"),
                       ("empty-item", "id,,name"), ("comma", ","), ("count", "100"),
                       ("count-zeros", "007"), ("count-negative", "-1"),
                       ("count-newline", "1\n2")]:
        put("cli", name, text)
    put("rpc", "hand-json2-error", compact({
        "name": "odoo.exceptions.AccessError", "message": "You are not allowed\nsecond line",
        "arguments": ["x"], "context": {}, "debug": "Traceback (most recent call last):\n"
        "  File x\nodoo.exceptions.AccessError: no"}))
    put("rpc", "hand-empty-message", '{"error": {"code": 200, "data": {"message": ""}}}')
    put("rpc", "hand-null-error", '{"jsonrpc": "2.0", "id": 1, "error": null, "result": [1]}')
    put("rpc", "hand-no-result", '{"jsonrpc": "2.0", "id": 1}')
    put("rpc", "hand-not-object", '[{"result": 1}]')


def wire_json2(wire_dir):
    """The bodies Odoo 19 answers over JSON-2, results and errors (JSON or
    HTML), as the rpc target reads them under each status."""
    for path in sorted(glob.glob(os.path.join(wire_dir, "19.0-json2-*.json"))):
        t = json.load(open(path))
        resp = t["response"]
        body = resp["body_text"] if resp["body_json"] is None else compact(resp["body_json"])
        put("rpc", "json2-" + t["name"], body or "")


def main():
    wire_dir = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/odoo-wire"
    if os.path.isdir(wire_dir):
        wire(wire_dir)
        wire_json2(wire_dir)
    unit_data()
    hand()


if __name__ == "__main__":
    main()
