"""Seeding (counts, shape, determinism, while serving) and parallel clients."""

import os
import sqlite3
import subprocess
import sys
import threading
import unittest

from fixtures import SERVER_DIR, Emulator

from odooemu.seed import seed_partners


def dump(path):
    conn = sqlite3.connect(path)
    try:
        return (conn.execute("SELECT * FROM res_partner ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM res_partner_res_partner_category_rel ORDER BY 1, 2").fetchall(),
                conn.execute("SELECT module, name, res_id FROM ir_model_data ORDER BY id").fetchall())
    finally:
        conn.close()


class TestSeed(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=["s1", "s2", "s3"])
        seed_partners(cls.emu.path("s1"), 3000, seed=7)
        seed_partners(cls.emu.path("s2"), 3000, seed=7)

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def test_deterministic(self):
        self.assertEqual(dump(self.emu.path("s1")), dump(self.emu.path("s2")))

    def test_shape(self):
        call = lambda *a, **k: self.emu.call("s1", *a, **k)  # noqa: E731
        ctx = {"context": {"active_test": False}}
        total = call("res.partner", "search_count", [[("id", ">", 6)]], ctx)
        self.assertEqual(total, 3000)
        companies = call("res.partner", "search_count", [[("id", ">", 6), ("is_company", "=", True)]], ctx)
        self.assertTrue(0.15 * total < companies < 0.25 * total, companies)
        self.assertGreater(call("res.partner", "search_count", [[("parent_id.parent_id", "!=", False)]]), 0)
        archived = call("res.partner", "search_count", [[("active", "=", False), ("id", ">", 6)]])
        self.assertTrue(0 < archived < 300, archived)
        with_xmlid = call("ir.model.data", "search_count", [[("module", "=", "__import__"),
                                                              ("model", "=", "res.partner")]])
        self.assertTrue(0.3 * total < with_xmlid < 0.7 * total, with_xmlid)
        rows = call("res.partner", "search_read", [[("category_id", "!=", False)]],
                    {"fields": ["category_id", "name", "street2", "comment", "display_name"], "limit": 2000})
        self.assertTrue(any(len(r["category_id"]) > 1 for r in rows))
        self.assertTrue(any(r["street2"] and "\n" in r["street2"] for r in rows))
        self.assertTrue(any(r["comment"] for r in rows))
        self.assertTrue(any(not r["name"].isascii() for r in rows if r["name"]))
        self.assertTrue(any("'" in r["name"] for r in rows if r["name"]))
        contact = call("res.partner", "search_read", [[("parent_id", "!=", False), ("type", "=", "contact")]],
                       {"fields": ["display_name", "parent_id", "country_id"], "limit": 1})[0]
        parent = call("res.partner", "read", [[contact["parent_id"][0]], ["name", "country_id"]])[0]
        self.assertTrue(contact["display_name"].startswith(parent["name"] + ", "))
        self.assertEqual(contact["country_id"], parent["country_id"])

    def test_seed_while_serving(self):
        before = self.emu.call("s3", "res.partner", "search_count", [[]], {"context": {"active_test": False}})
        out = subprocess.run([sys.executable, os.path.join(SERVER_DIR, "seed.py"), "--data-dir",
                              self.emu.data_dir, "--db", "s3", "--partners", "500"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("seeded 500 partners", out.stdout)
        after = self.emu.call("s3", "res.partner", "search_count", [[]], {"context": {"active_test": False}})
        self.assertEqual(after, before + 500)
        # the server keeps allocating ids after the seeded ones
        pid = self.emu.call("s3", "res.partner", "create", [{"name": "after seed"}])
        self.assertGreater(pid, before + 500)


class TestConcurrency(unittest.TestCase):
    def test_parallel_loads_and_reads(self):
        emu = Emulator(dbs=["c"])
        errors, ids = [], []
        lock = threading.Lock()

        def worker(w):
            try:
                for batch in range(5):
                    rows = [["c_%d_%d_%d" % (w, batch, i), "Worker %d row %d" % (w, i), "base.be"]
                            for i in range(50)]
                    r = emu.call("c", "res.partner", "load", [["id", "name", "country_id/id"], rows])
                    if r["messages"]:
                        errors.append(r["messages"])
                    emu.call("c", "res.partner", "search_read", [[("name", "like", "Worker")]],
                             {"fields": ["name", "country_id"], "limit": 100})
                    with lock:
                        ids.extend(r["ids"])
            except Exception as exc:    # noqa: BLE001
                errors.append(repr(exc))

        try:
            threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(errors, [])
            self.assertEqual(len(ids), 8 * 5 * 50)
            self.assertEqual(len(set(ids)), len(ids))
            self.assertEqual(emu.call("c", "res.partner", "search_count", [[("name", "like", "Worker")]]), 2000)
        finally:
            emu.close()


if __name__ == "__main__":
    unittest.main()
