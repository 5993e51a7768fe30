"""The 19.0-shaped schema served with --version 19.0: res.partner's fields as
the recorded 19.0 fields_get lists them, 17.0's schema left as it was."""

import json
import os
import unittest

from fixtures import Emulator, RpcError, wire_dir

DB = "s"
ATTRS = ["string", "type", "relation", "required", "readonly", "selection"]


def recorded(name, path):
    with open(os.path.join(wire_dir(), name)) as fh:
        data = json.load(fh)
    for key in path:
        data = data[key]
    return data


class TestSchema19(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu19 = Emulator(dbs=[DB], version="19.0")
        cls.emu17 = Emulator(dbs=[DB])

    @classmethod
    def tearDownClass(cls):
        cls.emu19.close()
        cls.emu17.close()

    def fields(self, emu, model="res.partner"):
        return emu.call(DB, model, "fields_get", [], {"attributes": ATTRS})

    @unittest.skipUnless(os.path.isdir(wire_dir()), "wire transcripts not found (set ODF_WIRE_DIR)")
    def test_partner_fields_are_those_of_the_19_recording(self):
        want = recorded("19.0-json2-05_fields_get.json", ["response", "body_json"])
        got = self.fields(self.emu19)
        self.assertEqual(sorted(got), sorted(want))
        for name, attrs in want.items():
            for key in ("type", "relation", "required", "readonly", "string"):
                self.assertEqual(got[name].get(key), attrs.get(key), "%s.%s" % (name, key))
        self.assertEqual(got["type"]["selection"], want["type"]["selection"])

    @unittest.skipUnless(os.path.isdir(wire_dir()), "wire transcripts not found (set ODF_WIRE_DIR)")
    def test_partner_fields_of_17_are_unchanged(self):
        want = recorded("17.0-fields_get-res.partner.json", ["response", "result"])
        self.assertEqual(sorted(self.fields(self.emu17)), sorted(want))

    def test_the_difference_is_what_19_dropped_and_added(self):
        f17, f19 = self.fields(self.emu17), self.fields(self.emu19)
        self.assertIn("additional_info", set(f17) - set(f19))
        self.assertEqual(len(set(f17) - set(f19)), 11)
        self.assertIn("properties", set(f19) - set(f17))
        self.assertEqual(len(set(f19) - set(f17)), 13)

    def test_a_dropped_field_fails_a_load_as_in_odoo(self):
        with self.assertRaises(RpcError) as cm:
            self.emu19.call(DB, "res.partner", "load", [["id", "name", "additional_info"], [["t.a", "A", "x"]]])
        self.assertEqual((cm.exception.name, cm.exception.message),
                         ("builtins.ValueError", "Invalid field name 'additional_info'"))
        # the same row lands on 17.0
        res = self.emu17.call(DB, "res.partner", "load", [["id", "name", "additional_info"], [["t.a", "A", "x"]]])
        self.assertEqual(res["messages"], [])

    def test_partners_and_tags_land_on_19(self):
        res = self.emu19.call(DB, "res.partner.category", "load", [["id", "name"], [["t.tag", "Tag"]]])
        self.assertEqual(res["messages"], [])
        res = self.emu19.call(DB, "res.partner", "load", [
            ["id", "name", "type", "category_id/id"], [["t.p", "P", "invoice", "t.tag"]]])
        self.assertEqual(res["messages"], [])
        rows = self.emu19.call(DB, "res.partner", "read", [res["ids"], ["type", "category_id", "properties"]])
        self.assertEqual(rows[0]["type"], "invoice")
        self.assertEqual(len(rows[0]["category_id"]), 1)
        self.assertFalse(rows[0]["properties"])


if __name__ == "__main__":
    unittest.main()
