"""Test-only controls: load_error_on, the call log, the export xmlid race."""

import http.client
import json
import threading
import unittest
import urllib.error

from fixtures import Emulator, RpcError

DB = "tc"


class Base(unittest.TestCase):
    def setUp(self):
        self.emu = Emulator(dbs=[DB])

    def tearDown(self):
        self.emu.close()

    def faults(self, settings):
        status, body = self.emu.post("/odf-test/faults", json.dumps(settings).encode())
        self.assertEqual(status, 200)
        return json.loads(body)

    def count(self):
        return self.emu.call(DB, "res.partner", "search_count", [[]])


class TestLoadErrorOn(Base):
    def test_a_load_holding_the_marker_fails_whole_and_saves_nothing(self):
        self.faults({"load_error_on": "BOOM"})
        before = self.count()
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.partner", "load", [["id", "name", "ref"],
                                                      [["a1", "A1", ""], ["a2", "A2", "BOOM"]]])
        self.assertEqual(cm.exception.name, "builtins.ValueError")
        self.assertEqual(cm.exception.message, "invalid literal for int() with base 10: 'BOOM'")
        self.assertEqual(cm.exception.error["message"], "Odoo Server Error")
        self.assertEqual(self.count(), before)
        # the same call without the marker row goes through
        res = self.emu.call(DB, "res.partner", "load", [["id", "name", "ref"], [["a1", "A1", ""]]])
        self.assertEqual(len(res["ids"]), 1)
        stats = json.loads(self.emu.post("/odf-test/stats/reset", b"")[1])
        self.assertEqual(stats["faults"], {})
        # only load; off again with null
        self.assertEqual(self.emu.call(DB, "res.partner", "search", [[["ref", "=", "BOOM"]]]), [])
        self.assertIsNone(self.faults({"load_error_on": None})["load_error_on"])
        res = self.emu.call(DB, "res.partner", "load", [["id", "name", "ref"], [["a2", "A2", "BOOM"]]])
        self.assertEqual(len(res["ids"]), 1)

    def test_counted_and_served_over_json2(self):
        self.faults({"load_error_on": "BOOM"})
        try:
            self.emu.post("/json/2/res.partner/load", json.dumps(
                {"fields": ["name"], "data": [["BOOM"]]}).encode(),
                {"Authorization": "bearer test-key", "X-Odoo-Database": DB})
            self.fail("no error")
        except urllib.error.HTTPError as err:
            self.assertEqual(err.code, 500)
            self.assertEqual(json.loads(err.read())["name"], "builtins.ValueError")
        _, stats = self.emu.get("/odf-test/stats")
        self.assertEqual(stats["faults"], {"load_error": 1})

    def test_bad_setting(self):
        with self.assertRaises(urllib.error.HTTPError) as cm:
            self.faults({"load_error_on": 3})
        self.assertEqual(cm.exception.code, 400)


class TestEchoRequest(Base):
    def test_the_error_quotes_the_credentials(self):
        self.faults({"echo_request_rate": 1.0, "methods": ["search_count"]})
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.partner", "search_count", [[]])
        self.assertEqual(cm.exception.name, "builtins.ValueError")
        self.assertIn('"admin", "res.partner", "search_count"', cm.exception.message)
        try:
            self.emu.post("/json/2/res.partner/search_count", b'{"domain": []}',
                          {"Authorization": "bearer test-key", "X-Odoo-Database": DB})
            self.fail("no error")
        except urllib.error.HTTPError as err:
            self.assertEqual(err.code, 500)
            self.assertIn("Authorization: bearer test-key", json.loads(err.read())["message"])
        self.assertEqual(self.emu.get("/odf-test/stats")[1]["faults"], {"echo_request": 2})
        self.assertEqual(self.emu.call(DB, "res.partner", "search", [[["id", "=", 3]]]), [3])


class TestCallLog(Base):
    def rpc_on(self, conn, model, method, args, kwargs=None):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [DB, 2, "admin", model, method, args, kwargs or {}]}})
        conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
        return json.loads(conn.getresponse().read())

    def test_each_call_names_its_connection(self):
        self.emu.post("/odf-test/stats/reset", b"")
        c1 = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=10)
        c2 = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=10)
        try:
            self.rpc_on(c1, "res.partner", "load", [["id", "name"], [["x1", "X1"], ["x2", "X2"]]])
            self.rpc_on(c2, "res.partner", "load", [["name"], [["Y1"]]])
            self.rpc_on(c1, "res.partner", "search_count", [[]])
            self.rpc_on(c2, "res.partner", "search", [[["x", "=", 1]]])      # fails: still logged
            peers = ["127.0.0.1:%d" % c.sock.getsockname()[1] for c in (c1, c2)]
        finally:
            c1.close()
            c2.close()
        _, log = self.emu.get("/odf-test/log")
        self.assertEqual([(e["method"], e["peer"]) for e in log],
                         [("load", peers[0]), ("load", peers[1]), ("search_count", peers[0]),
                          ("search", peers[1])])
        self.assertEqual(log[0]["xmlids"], ["x1", "x2"])
        self.assertEqual(log[1]["xmlids"], [])
        self.assertNotIn("xmlids", log[2])
        self.assertEqual(log[3]["error"], "builtins.ValueError")
        self.assertEqual({e["model"] for e in log}, {"res.partner"})
        for a, b in zip(log, log[1:]):
            self.assertLessEqual(a["start"], a["end"])
            self.assertLessEqual(a["end"], b["start"])
        # reset clears it; common/db calls are not model calls
        self.emu.post("/odf-test/stats/reset", b"")
        self.emu.rpc("common", "version")
        self.assertEqual(self.emu.get("/odf-test/log")[1], [])

    def test_export_data_is_logged_with_its_ids(self):
        self.emu.post("/odf-test/stats/reset", b"")
        ids = self.emu.call(DB, "res.partner", "search", [[]], {"limit": 3})
        self.emu.call(DB, "res.partner", "export_data", [ids, ["id", "name"]])
        _, log = self.emu.get("/odf-test/log")
        self.assertEqual([e["method"] for e in log], ["search", "export_data"])
        self.assertEqual(log[1]["ids"], ids)
        self.assertNotIn("ids", log[0])

    def test_faulted_calls_are_logged_with_their_fault(self):
        self.faults({"error_rate": 1.0, "methods": ["create"]})
        with self.assertRaises(urllib.error.HTTPError):
            self.emu.call(DB, "res.partner", "create", [{"name": "F"}])
        self.faults({"error_rate": 0, "load_error_on": "BOOM"})
        with self.assertRaises(RpcError):
            self.emu.call(DB, "res.partner", "load", [["id", "name"], [["b1", "BOOM"]]])
        _, log = self.emu.get("/odf-test/log")
        self.assertEqual([(e["method"], e.get("fault")) for e in log],
                         [("create", "error"), ("load", "load_error")])
        self.assertEqual(log[1]["xmlids"], ["b1"])


class TestLogins(Base):
    def test_logins_are_in_the_call_log_refused_ones_too(self):
        self.emu.post("/odf-test/stats/reset", b"")
        self.assertEqual(self.emu.rpc("common", "login", DB, "admin", "admin")["result"], 2)
        self.assertEqual(self.emu.rpc("common", "authenticate", DB, "admin", "bad", {})["result"], False)
        self.emu.rpc("common", "version")
        self.count()
        _, log = self.emu.get("/odf-test/log")
        self.assertEqual([(e.get("service"), e["method"], e["model"]) for e in log],
                         [("common", "login", None), ("common", "authenticate", None),
                          (None, "search_count", "res.partner")])
        self.assertEqual({e["db"] for e in log[:2]}, {DB})
        for e in log[:2]:
            self.assertLessEqual(e["start"], e["end"])
            self.assertTrue(e["peer"].startswith("127.0.0.1:"))

    def test_a_login_costs_the_time_set_and_other_calls_do_not_wait_for_it(self):
        self.emu.server.services.login_cost = 0.3
        done = {}

        def login():
            done["uid"] = self.emu.rpc("common", "login", DB, "admin", "admin")["result"]
        t = threading.Thread(target=login)
        t.start()
        self.count()                    # served while the login hashes
        self.assertNotIn("uid", done)
        t.join()
        self.assertEqual(done["uid"], 2)
        _, log = self.emu.get("/odf-test/log")
        entry = [e for e in log if e["method"] == "login"][0]
        self.assertGreaterEqual(entry["end"] - entry["start"], 0.3)
        self.emu.server.services.login_cost = 0
        self.count()
        _, log = self.emu.get("/odf-test/log")
        self.assertLess(log[-1]["end"] - log[-1]["start"], 0.3)


class TestXmlidRace(Base):
    def export_concurrently(self, ids):
        results = []

        def export():
            results.append(self.emu.call(DB, "res.partner", "export_data", [ids, ["id", "name"]])["datas"])

        threads = [threading.Thread(target=export) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def xmlid_count(self, pid):
        return self.emu.call(DB, "ir.model.data", "search_count",
                             [[["model", "=", "res.partner"], ["res_id", "=", pid]]])

    def test_concurrent_first_exports_create_two_xmlids(self):
        pid = self.emu.call(DB, "res.partner", "create", [{"name": "Racy"}])
        self.faults({"xmlid_race_ms": 100})
        first, second = self.export_concurrently([pid])
        self.assertEqual(self.xmlid_count(pid), 2)
        self.assertNotEqual(first[0][0], second[0][0])
        for rows in (first, second):
            self.assertRegex(rows[0][0], r"^__export__\.res_partner_%d_[0-9a-f]{8}$" % pid)

    def test_without_the_option_exports_are_serialized(self):
        pid = self.emu.call(DB, "res.partner", "create", [{"name": "Calm"}])
        first, second = self.export_concurrently([pid])
        self.assertEqual(self.xmlid_count(pid), 1)
        self.assertEqual(first, second)


if __name__ == "__main__":
    unittest.main()


class TestCredentials(Base):
    def credentials(self, settings):
        """(status, body); a refusal is an answer here, not an exception."""
        try:
            return self.emu.post("/odf-test/credentials", json.dumps(settings).encode())
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def test_a_changed_password_refuses_the_next_call_with_access_denied(self):
        self.assertEqual(self.count(), self.emu.call(DB, "res.partner", "search_count", [[]]))
        status, body = self.credentials({"password": "changed"})
        self.assertEqual((status, json.loads(body)), (200, {"changed": ["password"]}))
        with self.assertRaises(RpcError) as cm:
            self.count()
        self.assertEqual(cm.exception.name, "odoo.exceptions.AccessDenied")
        self.emu.call(DB, "res.partner", "search_count", [[]], password="changed")

    def test_a_revoked_api_key_no_longer_stands_for_the_password(self):
        self.emu.call(DB, "res.partner", "search_count", [[]], password="test-key")
        self.assertEqual(self.credentials({"api_key": "new-key"})[0], 200)
        with self.assertRaises(RpcError):
            self.emu.call(DB, "res.partner", "search_count", [[]], password="test-key")

    def test_anything_but_a_password_or_key_is_refused(self):
        for settings in ({}, {"login": "x"}, {"password": ""}, {"api_key": 3}, []):
            self.assertEqual(self.credentials(settings)[0], 400, settings)
        self.count()
