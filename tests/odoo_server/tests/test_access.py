"""A user denied a model: login portal/portal (uid 5), no right on res.partner."""

import json
import unittest
import urllib.request
import xmlrpc.client

from fixtures import Emulator, RpcError

DB = "acc"
READ_DENIED = ("You are not allowed to access 'Contact' (res.partner) records.\n\n"
               "This operation is allowed for the following groups:\n"
               "\t- Extra Rights/Contact Creation\n\t- User types/Internal User\n\n"
               "Contact your administrator to request access if necessary.")


class TestPortalUser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB])

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def portal(self, model, method, args=(), kwargs=None):
        return self.emu.call(DB, model, method, args, kwargs, password="portal", uid=5)

    def test_login(self):
        self.assertEqual(self.emu.rpc("common", "login", DB, "portal", "portal")["result"], 5)
        self.assertIs(self.emu.rpc("common", "login", DB, "portal", "admin")["result"], False)
        # admin's password is admin's only
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.country", "search_count", [[]], password="admin", uid=5)
        self.assertEqual(cm.exception.name, "odoo.exceptions.AccessDenied")

    def test_reading_partners_is_refused_with_odoo_17_message(self):
        for method, args, kwargs in [
                ("search", [[]], None), ("search_count", [[]], None),
                ("search_read", [[]], {"fields": ["name"], "limit": 1}), ("read", [[3]], {"fields": ["name"]}),
                ("export_data", [[3], ["id", "name"]], None), ("name_search", [], {"name": "Adm"})]:
            with self.assertRaises(RpcError, msg=method) as cm:
                self.portal("res.partner", method, args, kwargs)
            self.assertEqual(cm.exception.name, "odoo.exceptions.AccessError", method)
            self.assertEqual(cm.exception.message, READ_DENIED, method)

    def test_writes_are_refused(self):
        with self.assertRaises(RpcError) as cm:
            self.portal("res.partner", "create", [{"name": "x"}])
        self.assertTrue(cm.exception.message.startswith(
            "You are not allowed to create 'Contact' (res.partner) records."), cm.exception.message)
        with self.assertRaises(RpcError) as cm:
            self.portal("res.country", "write", [[20], {"name": "x"}])
        self.assertTrue(cm.exception.message.startswith(
            "You are not allowed to modify 'Country' (res.country) records."), cm.exception.message)
        with self.assertRaises(RpcError) as cm:
            self.portal("res.partner", "unlink", [[3]])
        self.assertIn("not allowed to delete 'Contact'", cm.exception.message)

    def test_load_reports_the_refusal_per_row(self):
        before = self.emu.call(DB, "res.partner", "search_count", [[]])
        res = self.portal("res.partner", "load", [["id", "name"], [["p1", "P1"], ["p2", "P2"]]])
        self.assertIs(res["ids"], False)
        self.assertEqual(len(res["messages"]), 2)
        self.assertEqual({m["type"] for m in res["messages"]}, {"error"})
        self.assertTrue(res["messages"][0]["message"].startswith(
            "You are not allowed to create 'Contact' (res.partner) records."))
        self.assertEqual(self.emu.call(DB, "res.partner", "search_count", [[]]), before)

    def test_what_needs_no_right_works(self):
        # as in Odoo 17: fields_get checks no access right
        self.assertIn("name", self.portal("res.partner", "fields_get", [], {"attributes": ["type"]}))
        self.assertIs(self.portal("res.partner", "check_access_rights", ["read"], {"raise_exception": False}),
                      False)
        with self.assertRaises(RpcError) as cm:
            self.portal("res.partner", "check_access_rights", ["read"])
        self.assertEqual(cm.exception.message, READ_DENIED)
        self.assertIs(self.portal("res.country", "check_access_rights", ["read"]), True)
        self.assertEqual(self.portal("res.country", "search_read", [[["code", "=", "BE"]]], {"fields": ["name"]}),
                         [{"id": 20, "name": "Belgium"}])
        self.assertEqual(self.portal("res.users", "context_get"), {"lang": "en_US", "tz": False, "uid": 5})

    def test_admin_is_unaffected(self):
        self.assertGreater(self.emu.call(DB, "res.partner", "search_count", [[]]), 0)

    def test_xmlrpc_fault_4(self):
        models = xmlrpc.client.ServerProxy(self.emu.url + "/xmlrpc/2/object")
        try:
            with self.assertRaises(xmlrpc.client.Fault) as cm:
                models.execute_kw(DB, 5, "portal", "res.partner", "search", [[]])
            self.assertEqual(cm.exception.faultCode, 4)
            self.assertEqual(cm.exception.faultString, READ_DENIED)
        finally:
            models("close")()

    def test_existing_database_gets_the_user(self):
        emu = Emulator(dbs=[DB], data_dir=self.emu.data_dir)     # reopening an existing data dir
        try:
            req = urllib.request.Request(emu.url + "/jsonrpc", json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1,
                "params": {"service": "common", "method": "login", "args": [DB, "portal", "portal"]}}).encode(),
                {"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                self.assertEqual(json.loads(resp.read())["result"], 5)
        finally:
            emu.close()


if __name__ == "__main__":
    unittest.main()
