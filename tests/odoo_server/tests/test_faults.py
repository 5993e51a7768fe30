"""Fault injection: each kind, scope, determinism, counters."""

import http.client
import json
import socket
import time
import unittest
import urllib.error

from fixtures import Emulator, RpcError

DB = "f"


class TestFaults(unittest.TestCase):
    def setUp(self):
        self.emu = Emulator(dbs=[DB])

    def tearDown(self):
        self.emu.close()

    def faults(self, settings):
        status, body = self.emu.post("/odf-test/faults", json.dumps(settings).encode())
        self.assertEqual(status, 200)
        return json.loads(body)

    def stats(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=5)
        conn.request("GET", "/odf-test/stats")
        data = json.loads(conn.getresponse().read())
        conn.close()
        return data

    def count(self):
        self.faults({"error_rate": 0, "drop_rate": 0, "serialization_rate": 0, "drop_after_commit_rate": 0,
                     "hang_rate": 0, "latency_ms": 0})
        return self.emu.call(DB, "res.partner", "search_count", [[]])

    def create(self):
        return self.emu.call(DB, "res.partner", "create", [{"name": "F"}])

    def test_settings_roundtrip(self):
        s = self.faults({"error_rate": 0.5, "methods": ["load"], "seed": 3})
        self.assertEqual((s["error_rate"], s["methods"], s["seed"]), (0.5, ["load"], 3))
        status, _ = 0, None
        try:
            self.emu.post("/odf-test/faults", b'{"nope": 1}')
        except urllib.error.HTTPError as err:
            status = err.code
        self.assertEqual(status, 400)

    def test_error_status(self):
        before = self.count()
        self.faults({"error_rate": 1.0, "error_status": 503})
        with self.assertRaises(urllib.error.HTTPError) as cm:
            self.create()
        self.assertEqual(cm.exception.code, 503)
        # not faulted: common service (ready check) and /odf-test
        self.assertIn("result", self.emu.rpc("common", "version"))
        self.assertEqual(self.stats()["faults"]["error"], 1)
        self.assertEqual(self.count(), before)

    def test_drop(self):
        before = self.count()
        self.faults({"drop_rate": 1.0})
        with self.assertRaises((http.client.HTTPException, ConnectionError, urllib.error.URLError)):
            self.create()
        self.assertEqual(self.count(), before)

    def test_serialization_nothing_saved(self):
        before = self.count()
        self.faults({"serialization_rate": 1.0})
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.partner", "load", [["name"], [["S1"], ["S2"]]])
        self.assertEqual(cm.exception.name, "psycopg2.errors.SerializationFailure")
        self.assertIn("could not serialize access", cm.exception.message)
        # reads are not serialization-faulted
        self.assertIsInstance(self.emu.call(DB, "res.partner", "search", [[]]), list)
        self.assertEqual(self.count(), before)

    def test_drop_after_commit_saves(self):
        before = self.count()
        self.faults({"drop_after_commit_rate": 1.0, "methods": ["create"]})
        with self.assertRaises((http.client.HTTPException, ConnectionError, urllib.error.URLError)):
            self.create()
        self.assertEqual(self.count(), before + 1)

    def test_hang_and_latency(self):
        before = self.count()
        self.faults({"hang_ms": 600, "hang_rate": 1.0})
        t0 = time.time()
        with self.assertRaises((socket.timeout, TimeoutError, urllib.error.URLError)):
            self.emu.post("/jsonrpc", json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": "object", "method": "execute_kw",
                "args": [DB, 2, "admin", "res.partner", "create", [{"name": "H"}]]}}).encode(), timeout=0.2)
        self.assertLess(time.time() - t0, 0.5)
        time.sleep(0.6)
        # the client timed out: the call was abandoned, nothing created
        self.assertEqual(self.count(), before)
        self.assertEqual(self.stats()["faults"].get("abandoned"), 1)
        # a patient client gets its answer after the hang
        self.faults({"hang_ms": 300, "hang_rate": 1.0})
        t0 = time.time()
        self.create()
        self.assertGreaterEqual(time.time() - t0, 0.3)
        self.faults({"hang_rate": 0, "latency_ms": 200})
        t0 = time.time()
        self.emu.call(DB, "res.partner", "search", [[]])
        self.assertGreaterEqual(time.time() - t0, 0.2)
        self.assertGreaterEqual(self.stats()["faults"]["hang"], 1)

    def test_methods_scope_and_seed(self):
        self.faults({"error_rate": 1.0, "methods": ["load"]})
        self.assertIsInstance(self.create(), int)
        with self.assertRaises(urllib.error.HTTPError):
            self.emu.call(DB, "res.partner", "load", [["name"], [["x"]]])

        def pattern():
            self.faults({"error_rate": 0.5, "methods": None, "seed": 42})
            out = []
            for _ in range(12):
                try:
                    self.emu.call(DB, "res.partner", "search_count", [[]])
                    out.append(1)
                except urllib.error.HTTPError:
                    out.append(0)
            return out
        first = pattern()
        self.assertEqual(first, pattern())
        self.assertIn(0, first)
        self.assertIn(1, first)
        stats = self.stats()
        self.assertGreaterEqual(stats["calls"]["search_count"], 24)
        self.emu.post("/odf-test/stats/reset", b"")
        self.assertEqual(self.stats()["total_calls"], 0)


if __name__ == "__main__":
    unittest.main()
