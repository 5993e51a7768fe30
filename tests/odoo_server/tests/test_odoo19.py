"""What JSON-2 clients use besides model methods: /web/version, context_get,
and the 401 of a bad key, as odoo.com documents them for 19.0."""

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


if __name__ == "__main__":
    unittest.main()
