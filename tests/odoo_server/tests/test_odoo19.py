"""What JSON-2 clients use besides model methods: /web/version, context_get,
and the 401 of a bad key, as odoo.com documents them for 19.0."""

import http.client
import json
import unittest
import urllib.error

from fixtures import Emulator, RpcError

DB = "n"


class TestOdoo19(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB], version="19.0")

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def post(self, route, body, key="test-key"):
        headers = {"Authorization": "bearer " + key} if key else {}
        try:
            status, data = self.emu.post("/json/2/" + route, json.dumps(body).encode(), headers)
            return status, json.loads(data), {}
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read()), dict(err.headers)

    def test_web_version_needs_no_auth(self):
        status, body = self.emu.get("/web/version")
        self.assertEqual((status, body), (200, {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}))
        emu17 = Emulator(dbs=[DB])
        try:
            _, body = emu17.get("/web/version")
            self.assertEqual(body, {"version_info": [17, 0, 0, "final", 0, ""], "version": "17.0-20240709"})
            self.assertEqual(body["version"], emu17.rpc("common", "version")["result"]["server_version"])
        finally:
            emu17.close()

    def test_context_get_tells_the_key_owner(self):
        self.assertEqual(self.post("res.users/context_get", {}),
                         (200, {"lang": "en_US", "tz": False, "uid": 2}, {}))
        self.emu.call(DB, "res.partner", "write", [[3], {"tz": "Europe/Brussels", "lang": "fr_BE"}])
        try:
            status, ctx, _ = self.post("res.users/context_get", {})
            self.assertEqual(ctx, {"lang": "fr_BE", "tz": "Europe/Brussels", "uid": 2})
            self.assertEqual(self.emu.call(DB, "res.users", "context_get"), ctx)
        finally:
            self.emu.call(DB, "res.partner", "write", [[3], {"tz": False, "lang": "en_US"}])

    def test_context_get_is_a_res_users_method(self):
        status, err, _ = self.post("res.partner/context_get", {})
        self.assertEqual(status, 404)
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.partner", "context_get")
        self.assertEqual(cm.exception.name, "builtins.AttributeError")

    def test_bad_key_is_unauthorized(self):
        no_key = "User not authenticated, use an API Key with a Bearer Authorization header."
        for key, message in (("wrong", "Invalid apikey"), (None, no_key)):
            status, err, headers = self.post("res.users/context_get", {}, key=key)
            self.assertEqual(status, 401)
            self.assertEqual(err["name"], "werkzeug.exceptions.Unauthorized")
            self.assertEqual(err["message"], message)
            self.assertEqual(err["arguments"], [message, 401])
            self.assertTrue(err["debug"].rstrip().endswith(
                "werkzeug.exceptions.Unauthorized: 401 Unauthorized: " + message), err["debug"])
            self.assertEqual(headers.get("WWW-Authenticate"), "Bearer ")
            self.assertNotIn("wrong", json.dumps(err))


class TestJson2Corners(unittest.TestCase):
    """What the 19.0-json2 transcripts do not show, as a real Odoo 19.0
    (shared/realodoo, several databases) answered it on 2026-12-03."""

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB, "other"], version="19.0")

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def request(self, path, body, key="test-key", content_type="application/json", method="POST", db=DB):
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if key:
            headers["Authorization"] = "bearer " + key
        if db:
            headers["X-Odoo-Database"] = db
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=30)
        try:
            conn.request(method, path, body, headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        try:
            data = json.loads(data)
        except ValueError:
            data = data.decode()
        return resp.status, data

    def error(self, *args, **kwargs):
        status, body = self.request(*args, **kwargs)
        if isinstance(body, dict) and "name" in body:
            return status, body["name"], body["message"]
        return status, None, body

    def test_order_of_checks(self):
        search = "/json/2/res.partner/search_count"
        # database, then content type, then route, then key, then body
        self.assertEqual(self.error(search, "{}", db=None)[0:2], (404, None))       # two databases
        self.assertEqual(self.error(search, "{}", content_type=None, db="nope")[0:2], (404, None))
        self.assertEqual(self.error(search, "{}", key="bad", content_type=None)[0:2], (415, None))
        self.assertEqual(self.error("/json/2", "{}", key="bad")[0:2], (404, "werkzeug.exceptions.NotFound"))
        self.assertEqual(self.error(search, "{x", key="bad")[0:2], (401, "werkzeug.exceptions.Unauthorized"))
        self.assertEqual(self.error("/json/2/res.partner/_nope", "{}"),
                         (403, "odoo.exceptions.AccessError",
                          "Private methods (such as 'res.partner._nope') cannot be called remotely."))
        self.assertEqual(self.error("/json/2/res.nope/_nope", "{}"),
                         (404, "werkzeug.exceptions.NotFound", "the model 'res.nope' does not exist"))

    def test_odd_requests(self):
        self.assertEqual(self.error("/json/2/res.partner/search", "{}", method="PUT"),
                         (404, "werkzeug.exceptions.NotFound", "Did you mean POST /json/2/<model>/<method>?"))
        basic = self.request("/json/2/res.partner/search_count", '{"domain": []}', key=None)
        self.assertEqual(basic[0], 401)
        self.assertEqual(self.error("/json/2/res.partner/search_count", "[1]"),
                         (422, "werkzeug.exceptions.UnprocessableEntity", "missing a required argument: 'domain'"))
        self.assertEqual(self.request("/json/2/res.partner/search_count", '{"ids": [], "domain": [["id", "=", 0]]}'),
                         (200, 0))
        self.assertEqual(self.error("/json/2/res.partner/search_count", '{"domain": [], "context": 5}'),
                         (500, "builtins.TypeError", "'int' object is not iterable"))
        self.assertEqual(self.request("/json/2/res.partner/write", '{"vals": {"name": "x"}}'), (200, True))
        self.assertEqual(self.error("/json/2/res.partner/write", '{"ids": [1]}'),
                         (422, "werkzeug.exceptions.UnprocessableEntity", "missing a required argument: 'vals'"))
        self.assertEqual(self.request("/json/2/res.partner/read", '{"ids": [987654321], "fields": ["name"]}'),
                         (200, []))

    def test_bodies_are_utf8(self):
        status, body = self.request("/json/2/res.partner/search_read",
                                    json.dumps({"domain": [["nöpe", "=", 1]]}))
        self.assertEqual(status, 500)
        self.assertEqual(body["message"], "Invalid field res.partner.nöpe in condition ('nöpe', '=', 1)")
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=30)
        conn.request("POST", "/json/2/res.partner/create", json.dumps({"vals_list": [{"name": "Václav"}]}),
                     {"Content-Type": "application/json", "Authorization": "bearer test-key",
                      "X-Odoo-Database": DB})
        [pid] = json.loads(conn.getresponse().read())
        conn.request("POST", "/json/2/res.partner/read", json.dumps({"ids": [pid], "fields": ["name"]}),
                     {"Content-Type": "application/json", "Authorization": "bearer test-key",
                      "X-Odoo-Database": DB})
        self.assertIn('"name": "Václav"'.encode(), conn.getresponse().read())
        conn.close()

    def test_odoo_19_wording(self):
        self.assertEqual(self.error("/json/2/res.partner/load",
                                    '{"fields": ["id", "nope"], "data": [["__import__.x", "1"]]}'),
                         (500, "builtins.ValueError", "Invalid field name 'nope'"))
        self.assertEqual(self.error("/json/2/res.partner/search_read",
                                    '{"domain": [], "fields": ["name"], "order": "nope desc", "limit": 1}'),
                         (500, "builtins.ValueError", "Invalid field 'nope' on model 'res.partner'"))


if __name__ == "__main__":
    unittest.main()
