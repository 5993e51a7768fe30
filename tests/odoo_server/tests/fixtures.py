"""Test helpers: locate the wire transcripts, run an emulator, build fixtures.

``build_odf_src`` recreates what the recorded odf_src cases need, derived
from the transcripts themselves: the partners they name (same ids, names,
xmlids, countries, tags, write dates), plus filler records so that counts
(4008 companies, 20040 partners incl. archived), orderings (name_search,
offset paging) and "first match" searches come out the same.  Layout of the
real database: ids 1-40 base/demo, companies odf_company_<k> at id 41+k
(k < 4000), contacts at 4041+j with parent company 41 + j % 4000.
"""

import json
import os
import sqlite3
import sys
import tempfile
import threading
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(SERVER_DIR))
sys.path.insert(0, SERVER_DIR)

from odooemu import db as dbmod  # noqa: E402
from odooemu.faults import Faults  # noqa: E402
from odooemu.httpd import Server  # noqa: E402
from odooemu.instance import Instance  # noqa: E402
from odooemu.services import Services  # noqa: E402


def wire_dir():
    env = os.environ.get("ODF_WIRE_DIR")
    if env:
        return env
    # beside the checkout (main/ and shared/), or beside a parent of it
    # (a git worktree under wt/)
    here = REPO
    while True:
        candidate = os.path.join(os.path.dirname(here), "shared", "odoo-wire")
        if os.path.isdir(candidate) or os.path.dirname(here) == here:
            return candidate
        here = os.path.dirname(here)


class Emulator:
    """An in-process server on a free port (one thread per connection)."""

    def __init__(self, dbs=(), password="admin", api_key="test-key", version="17.0", data_dir=None,
                 ssl_context=None):
        self.tmp = None
        if data_dir is None:
            self.tmp = tempfile.TemporaryDirectory(prefix="odooemu-")
            data_dir = self.tmp.name
        self.data_dir = data_dir
        self.instance = Instance(data_dir, password=password, api_key=api_key, version=version)
        for name in dbs:
            self.instance.create(name)
        self.faults = Faults()
        self.server = Server(("127.0.0.1", 0), Services(self.instance), self.faults, ssl_context=ssl_context)
        self.port = self.server.server_address[1]
        self.url = "%s://127.0.0.1:%d" % ("https" if ssl_context else "http", self.port)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.thread.start()

    def path(self, db):
        return dbmod.db_path(self.data_dir, db)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        if self.tmp:
            self.tmp.cleanup()

    # -- clients ---------------------------------------------------------------
    def post(self, path, body, headers=None, timeout=30):
        req = urllib.request.Request(self.url + path, data=body,
                                     headers=dict({"Content-Type": "application/json"}, **(headers or {})))
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()

    def jsonrpc_raw(self, payload):
        return json.loads(self.post("/jsonrpc", json.dumps(payload).encode())[1])

    def rpc(self, service, method, *args):
        return self.jsonrpc_raw({"jsonrpc": "2.0", "method": "call", "id": 1,
                                 "params": {"service": service, "method": method, "args": list(args)}})

    def get(self, path, timeout=30):
        with urllib.request.urlopen(self.url + path, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())

    def call(self, db, model, method, args=(), kwargs=None, password="admin", uid=2):
        """Result of execute_kw, or raise RpcError with the envelope."""
        reply = self.rpc("object", "execute_kw", db, uid, password, model, method, list(args), kwargs or {})
        if "error" in reply:
            raise RpcError(reply["error"])
        return reply["result"]


class RpcError(Exception):
    def __init__(self, error):
        super().__init__(error["data"]["message"])
        self.error = error
        self.name = error["data"]["name"]
        self.message = error["data"]["message"]


# ---------------------------------------------------------------------------
# odf_src fixture
# ---------------------------------------------------------------------------
TS = "2026-11-25 23:40:00"
CATEGORIES = {
    # id: (name, parent id)
    1: ("Vendor", None), 2: ("Prospects", None), 3: ("Employees", None), 4: ("Consulting Services", None),
    5: ("Services", None), 6: ("Office Supplies", None), 7: ("Desk Manufacturers", None),
    8: ("Components Buyer", None), 9: ("Partner", None),
    10: ("ODF Café & Bar", None), 11: ("ODF Retail", None), 12: ("ODF Łódź Region", None),
    13: ("ODF Wholesale", None), 14: ("ODF VIP", None), 15: ('ODF "Key" Account', None),
    16: ("ODF Partner", None), 17: ("ODF Gold", None), 18: ("ODF Supplier", 14), 19: ("ODF Newsletter", None),
    20: ("ODF Prospect", None), 21: ("ODF Events", None), 22: ("ODF Silver", None),
    23: ("ODF Manufacturing", None), 24: ("ODF Logistics", None), 25: ("ODF Import", None),
    26: ("ODF Finance", None),
}
NOTE = "Line one of the note\nLine two with \"double\" and 'single' quotes\nLine three: <b>not bold</b> & more"


def _specific_partners():
    """id -> column values of the partners the transcripts show."""
    be, no, gr, pl = 20, 166, 88, 178
    p = {
        41: dict(name='Nordic Müller Sp. z o.o. (Holding, "Intl")', country_id=pl, street2="Building 5\nFloor 8",
                 comment=NOTE, tags=[12]),
        51: dict(name="Alpha García AS", country_id=no, street2="Building 3\nFloor 6"),
        111: dict(name="Société Générale d'Études Papadopoulos A.E.", country_id=gr, street2="Building 4\nFloor 16"),
        61: dict(name="Grupo Ñandú García SA", country_id=be, tags=[11]),
        97: dict(name="Nordic Tanaka SA", country_id=be, email="info00056@nordictanaka.example.com", tags=[22]),
        106: dict(name="Quantum Żółkiewski SA", country_id=be, email="info00065@quantumkiews.example.com", tags=[23]),
        1762: dict(name='Acme "Best" Tools Ødegård SA', country_id=be, email="info01721@acmebesttool.example.com",
                   write_date="2026-11-25 23:42:32"),
        3475: dict(name='Acme "Best" Tools Ødegård SA', country_id=be, email="info03434@acmebesttool.example.com",
                   write_date="2026-11-25 23:42:36"),
        372: dict(name="Alpha Brown SA", country_id=be, email="info00331@alphabrownsa.example.com", tags=[21, 13],
                  write_date="2026-11-25 23:42:28"),
        3759: dict(name="Alpha Brown SA", country_id=be, email="info03718@alphabrownsa.example.com", tags=[17, 12],
                   write_date="2026-11-25 23:42:37"),
        410: dict(name="Alpha D'Angelo SA", country_id=be, email="info00369@alphadangelo.example.com", tags=[19],
                  write_date="2026-11-25 23:42:28"),
        3196: dict(name='Acme "Best" Tools Müller A.E.'), 1308: dict(name='Acme "Best" Tools Müller AG'),
        2657: dict(name='Acme "Best" Tools Müller B.V.'), 2112: dict(name='Acme "Best" Tools Müller GmbH'),
        401: dict(name='Acme "Best" Tools Müller GmbH'),
        4051: dict(name="Seán O'Brien D'Angelo", country_id=no, email="senobrien.dangelo.00010@example.org",
                   street2="Building 3\nFloor 6", tags=[26], xmlid=False),
        4111: dict(name="Quentin García", country_id=gr, email="quentin.garca.00070@example.org",
                   street2="Building 4\nFloor 16", tags=[18], xmlid=False),
    }
    # ten Belgian companies sorting before 'Acme "Best" Tools Ødegård SA' (offset 10)
    for n in range(10):
        p[200 + n] = dict(name='Acme "Best" Tools Aaa %02d SA' % n, country_id=be)
    return p


def build_odf_src(path):
    """Fill a freshly created database file with the odf_src fixture."""
    from odooemu.html import sanitize
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO res_partner_category (id, name, parent_id, color, active, create_uid,"
                     " create_date, write_uid, write_date) VALUES (?, ?, ?, 1, 1, 2, ?, 2, ?)",
                     [(i, n, par, TS, TS) for i, (n, par) in CATEGORIES.items()])
    specific = _specific_partners()
    rows, rels, imds = [], [], []

    def add(pid, name, is_company, parent, xmlid):
        spec = specific.get(pid, {})
        name = spec.get("name", name)
        parent_name = None
        if parent:
            parent_name = specific.get(parent[0], {}).get("name", parent[1])
        complete = "%s, %s" % (parent_name, name) if parent else name
        rows.append((pid, name, complete, 1 if is_company else 0, "contact", parent[0] if parent else None,
                     parent[0] if parent else pid, parent_name if parent else (name if is_company else None),
                     spec.get("email"), spec.get("country_id"), spec.get("street2"),
                     sanitize(spec["comment"]) if spec.get("comment") else None, 1, "en_US", 0,
                     2, TS, 2, spec.get("write_date", TS)))
        rels.extend((pid, t) for t in spec.get("tags", ()))
        if spec.get("xmlid", True) and xmlid:
            imds.append(("__import__", xmlid, "res.partner", pid))

    for pid in range(7, 41):       # demo data: 7 companies, inactive contacts
        add(pid, "Demo Partner %02d" % pid, pid <= 13, None, None)
    for k in range(4000):
        add(41 + k, "Filler Company %05d" % k, True, None, "odf_company_%05d" % k)
    for j in range(16000):
        company = 41 + j % 4000
        add(4041 + j, "Filler Contact %05d" % j, False, (company, "Filler Company %05d" % (j % 4000)),
            "odf_contact_%05d" % j)
    conn.executemany(
        "INSERT INTO res_partner (id, name, complete_name, is_company, type, parent_id, commercial_partner_id,"
        " commercial_company_name, email, country_id, street2, comment, active, lang, color, create_uid,"
        " create_date, write_uid, write_date) VALUES (%s)" % ",".join("?" * 19), rows)
    conn.execute("UPDATE res_partner SET active = 0 WHERE id BETWEEN 30 AND 40")
    conn.executemany("INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id) VALUES (?, ?)",
                     rels)
    conn.executemany("INSERT INTO ir_model_data (module, name, model, res_id, noupdate, create_uid, create_date,"
                     " write_uid, write_date) VALUES (?, ?, ?, ?, 0, 2, '%s', 2, '%s')" % (TS, TS), imds)
    conn.execute("COMMIT")
    conn.close()


# ---------------------------------------------------------------------------
# odf19 fixture (Odoo 19.0 JSON-2 transcripts)
# ---------------------------------------------------------------------------
def _odf19_partners():
    """id -> (name, is_company, parent id, extra columns) of the odf19 fixture.

    The partners the 19.0-json2 transcripts name, with their ids, plus
    fillers so that counts (38 active, 41 in all, 10 companies), orders
    (complete_name; companies by name desc) and "first ids with a parent /
    with tags" come out as recorded.  The largest id is 51: the refused
    load of case 09 uses up ids 52-54 (ids come from a sequence that a
    rollback does not reset, and the emulator's load takes one a row), so
    the load of 09b gets 55 and 56 as recorded.  Which ids the real odf19
    had free is not recorded; any choice giving these ids is as good."""
    us = 233
    p = {
        1: ("YourCompany", True, None, {}),
        3: ("Mitchell Admin", False, None, {"tz": "Europe/Brussels"}),
        8: ("Wood Corner", True, None, {"country_id": us, "email": "wood.corner26@example.com"}),
        9: ("Deco Addict", True, None, {"email": "deco_addict@yourcompany.example.com"}),
        14: ("The Jackson Group", True, None, {"country_id": us}),
        15: ("Azure Interior", True, None, {}),
        17: ("Willie Burke", False, 8, {"email": "willie.burke80@example.com"}),
        18: ("Ron Gibson", False, 8, {"email": "ron.gibson76@example.com"}),
        27: ("Brandon Freeman", False, 15, {}),
        34: ("Colleen Diaz", False, 15, {}),
    }
    free = [i for i in range(7, 52) if i not in p]
    fillers = free[-28:]            # 28 of the 37 free ids, 51 among them
    for n, pid in enumerate(fillers):
        if n < 5:
            p[pid] = ("Filler Company %02d" % n, True, None, {})
        else:
            p[pid] = ("Filler Contact %02d" % n, False, None, {})
    return p


ODF19_XMLIDS = {8: "res_partner_1", 9: "res_partner_2", 17: "res_partner_address_1",
                18: "res_partner_address_2"}
ODF19_TAGS = {8: [7, 6], 9: [7]}
# id: (name, xmlid in module base)
ODF19_CATEGORIES = {6: ("Office Supplies", "res_partner_category_12"),
                    7: ("Desk Manufacturers", "res_partner_category_14")}


def build_odf19(path):
    """Turn a freshly created database file into the odf19 fixture."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    # base partner 5 is not in odf19 (3 archived partners: 2, 4, 6)
    conn.execute("DELETE FROM res_partner WHERE id = 5")
    conn.execute("DELETE FROM ir_model_data WHERE model = 'res.partner' AND res_id = 5")
    conn.executemany("INSERT INTO res_partner_category (id, name, color, active, create_uid, create_date,"
                     " write_uid, write_date) VALUES (?, ?, 1, 1, 2, ?, 2, ?)",
                     [(i, n, TS, TS) for i, (n, _x) in ODF19_CATEGORIES.items()])
    imds = [("base", x, "res.partner.category", i) for i, (_n, x) in ODF19_CATEGORIES.items()]
    partners = _odf19_partners()
    for pid, (name, is_company, parent, extra) in sorted(partners.items()):
        parent_name = partners[parent][0] if parent else None
        cols = {"name": name, "complete_name": "%s, %s" % (parent_name, name) if parent else name,
                "is_company": 1 if is_company else 0, "parent_id": parent,
                "commercial_partner_id": parent or pid,
                "commercial_company_name": parent_name or (name if is_company else None),
                "email": None, "country_id": None, "tz": None}
        cols.update(extra)
        if pid in (1, 3):
            conn.execute("UPDATE res_partner SET %s WHERE id = ?" % ", ".join('"%s" = ?' % c for c in cols),
                         list(cols.values()) + [pid])
            continue
        cols.update({"id": pid, "type": "contact", "active": 1, "lang": "en_US", "color": 0,
                     "create_uid": 2, "create_date": TS, "write_uid": 2, "write_date": TS})
        conn.execute("INSERT INTO res_partner (%s) VALUES (%s)" % (
            ", ".join('"%s"' % c for c in cols), ",".join("?" * len(cols))), list(cols.values()))
        if pid in ODF19_XMLIDS:
            imds.append(("base", ODF19_XMLIDS[pid], "res.partner", pid))
    conn.executemany("INSERT INTO res_partner_res_partner_category_rel (partner_id, category_id) VALUES (?, ?)",
                     [(pid, t) for pid, tags in ODF19_TAGS.items() for t in tags])
    conn.executemany("INSERT INTO ir_model_data (module, name, model, res_id, noupdate, create_uid, create_date,"
                     " write_uid, write_date) VALUES (?, ?, ?, ?, 1, 2, '%s', 2, '%s')" % (TS, TS), imds)
    conn.execute("COMMIT")
    conn.close()
