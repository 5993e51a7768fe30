"""Transports: XML-RPC, JSON-2, HTTP keep-alive, and the command line."""

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import xmlrpc.client

from fixtures import SERVER_DIR, Emulator

DB = "p"


class TestXmlRpc(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB])
        cls.common = xmlrpc.client.ServerProxy(cls.emu.url + "/xmlrpc/2/common")
        cls.models = xmlrpc.client.ServerProxy(cls.emu.url + "/xmlrpc/2/object")

    @classmethod
    def tearDownClass(cls):
        cls.common("close")()
        cls.models("close")()
        cls.emu.close()

    def test_calls(self):
        self.assertEqual(self.common.version()["server_serie"], "17.0")
        self.assertEqual(self.common.login(DB, "admin", "admin"), 2)
        self.assertIs(self.common.login(DB, "admin", "x"), False)
        pid = self.models.execute_kw(DB, 2, "admin", "res.partner", "create", [{"name": "XR"}])
        r = self.models.execute_kw(DB, 2, "admin", "res.partner", "read", [[pid]], {"fields": ["name", "title"]})
        self.assertEqual(r, [{"id": pid, "name": "XR", "title": False}])
        self.assertEqual(self.models.execute(DB, 2, "admin", "res.partner", "search", [("id", "=", pid)]), [pid])

    def test_faults(self):
        cases = [
            (lambda: self.models.execute_kw(DB, 2, "bad", "res.partner", "search", [[]]), 3, "Access Denied"),
            (lambda: self.models.execute_kw(DB, 2, "admin", "res.partner", "write", [[999999], {"name": "x"}]),
             2, "Record does not exist"),
            (lambda: self.models.execute_kw(DB, 2, "admin", "res.partner", "_x", [[]]), 4, "Private methods"),
            (lambda: self.models.execute_kw(DB, 2, "admin", "res.partner", "search", [[("x", "=", 1)]]), 1,
             "ValueError: Invalid field res.partner.x"),
        ]
        for fn, code, text in cases:
            with self.assertRaises(xmlrpc.client.Fault) as cm:
                fn()
            self.assertEqual(cm.exception.faultCode, code)
            self.assertIn(text, cm.exception.faultString)


class TestJson2(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB], version="19.0")

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def post(self, route, body, key="test-key", db=DB):
        headers = {"Authorization": "bearer " + key} if key else {}
        if db:
            headers["X-Odoo-Database"] = db
        try:
            status, data = self.emu.post("/json/2/" + route, json.dumps(body).encode(), headers)
        except urllib.error.HTTPError as err:
            status, data = err.code, err.read()
        return status, json.loads(data)

    def test_calls(self):
        self.assertEqual(self.emu.rpc("common", "version")["result"]["server_version_info"][0], 19)
        status, pid = self.post("res.partner/create", {"vals_list": [{"name": "J2"}]})
        self.assertEqual((status, len(pid)), (200, 1))
        status, rows = self.post("res.partner/search_read", {"domain": [["name", "=", "J2"]], "fields": ["name"],
                                                             "limit": 5, "context": {"lang": "en_US"}})
        self.assertEqual((status, rows), (200, [{"id": pid[0], "name": "J2"}]))
        status, rows = self.post("res.partner/read", {"ids": pid, "fields": ["display_name"]})
        self.assertEqual(rows[0]["display_name"], "J2")
        status, res = self.post("res.partner/write", {"ids": pid, "vals": {"email": "j2@x"}})
        self.assertIs(res, True)
        status, res = self.post("res.partner/name_search", {"name": "J2", "domain": [], "limit": 1})
        self.assertEqual(res, [[pid[0], "J2"]])
        status, _ = self.post("res.partner/search_count", {"domain": []}, db=None)   # single db: implied
        self.assertEqual(status, 200)

    def test_errors(self):
        for route, body, kw, status, name in [
                ("res.partner/search", {"domain": []}, {"key": "bad"}, 401, "werkzeug.exceptions.Unauthorized"),
                ("res.partner/search", {"domain": []}, {"key": None}, 401, "werkzeug.exceptions.Unauthorized"),
                ("res.nope/search", {"domain": []}, {}, 404, None),
                ("res.partner/nope", {}, {}, 404, None),
                ("res.partner/search", {"bogus": 1}, {}, 422, "werkzeug.exceptions.UnprocessableEntity"),
                ("res.partner/write", {"ids": [999999], "vals": {}}, {}, 404, "odoo.exceptions.MissingError"),
                ("res.partner/write", {"ids": [3], "vals": {"name": False}}, {}, 422,
                 "odoo.exceptions.ValidationError"),
                ("res.partner/search", {"domain": [["x", "=", 1]]}, {}, 500, "builtins.ValueError")]:
            got_status, err = self.post(route, body, **kw)
            self.assertEqual(got_status, status, (route, err))
            self.assertEqual(set(err), {"name", "message", "arguments", "context", "debug"})
            if name:
                self.assertEqual(err["name"], name)

    def test_unknown_database_is_an_html_404(self):
        with self.assertRaises(urllib.error.HTTPError) as cm:
            self.emu.post("/json/2/res.partner/search", b"{}", {"Authorization": "bearer test-key",
                                                                 "X-Odoo-Database": "nope"})
        self.assertEqual(cm.exception.code, 404)
        self.assertEqual(cm.exception.headers["Content-Type"], "text/html; charset=utf-8")
        self.assertIn(b"No database is selected", cm.exception.read())


class TestHttp(unittest.TestCase):
    def test_keep_alive(self):
        emu = Emulator(dbs=[DB])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
            body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 7,
                               "params": {"service": "common", "method": "version", "args": []}})
            for _ in range(3):
                conn.request("POST", "/jsonrpc", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                self.assertEqual(resp.getheader("Content-Length"), str(len(resp.read())))
                self.assertEqual(resp.version, 11)
            sock = conn.sock
            conn.request("GET", "/web/health")
            self.assertEqual(json.loads(conn.getresponse().read()), {"status": "pass"})
            self.assertIs(conn.sock, sock)     # same connection reused
            conn.close()
        finally:
            emu.close()


class TestCli(unittest.TestCase):
    def test_start_ready_stop(self):
        with tempfile.TemporaryDirectory() as tmp:
            port_file = os.path.join(tmp, "port")
            t0 = time.time()
            proc = subprocess.Popen([sys.executable, os.path.join(SERVER_DIR, "server.py"), "--data-dir",
                                     os.path.join(tmp, "data"), "--db", "c1", "--db", "c2", "--port", "0",
                                     "--port-file", port_file, "--version", "19.0", "--api-key", "k",
                                     "--password", "pw", "--latency-ms", "1"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                line = proc.stdout.readline()
                startup = time.time() - t0
                with open(port_file) as fh:
                    port = int(fh.read())
                self.assertEqual(line.strip(), "listening on 127.0.0.1:%d" % port)
                self.assertLess(startup, 3.0)
                url = "http://127.0.0.1:%d" % port

                def rpc(service, method, *args):
                    req = urllib.request.Request(url + "/jsonrpc", json.dumps({
                        "jsonrpc": "2.0", "method": "call", "id": 1,
                        "params": {"service": service, "method": method, "args": list(args)}}).encode(),
                        {"Content-Type": "application/json"})
                    return json.loads(urllib.request.urlopen(req, timeout=5).read())

                self.assertEqual(rpc("common", "version")["result"]["server_serie"], "19.0")
                self.assertEqual(rpc("db", "list")["result"], ["c1", "c2"])
                self.assertEqual(rpc("common", "login", "c1", "admin", "pw")["result"], 2)
                faults = json.loads(urllib.request.urlopen(url + "/odf-test/faults", timeout=5).read())
                self.assertEqual(faults["latency_ms"], 1)
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=5), 0)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
                proc.stderr.close()


if __name__ == "__main__":
    unittest.main()
