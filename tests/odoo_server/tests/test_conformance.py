"""Replay every recorded Odoo 17 transcript against the emulator.

Order and state: JSON-RPC cases run in capture order (their request ids;
``index.json`` lists the second odf_dst session out of order), then the
XML-RPC cases (read-only, odf_src).  odf_src is the fixture
of fixtures.build_odf_src; odf_dst starts as a fresh database.  The odf_dst
cases were captured in two sessions, each after a reset of odf_dst (request
ids 32-56, then 101-109: "Typed One" gets id 7 again), so the second session
runs on a second, fresh emulator.

Comparison: the whole JSON-RPC response must be equal, except
* ``error.data.debug``: the real one is a server traceback (shortened in the
  transcripts to first and last line); only those two lines are compared;
* ``__export__.<table>_<id>_<8 hex>`` external ids: the suffix is random
  (uuid4) in Odoo too, so it is replaced by a placeholder on both sides;
  additionally the second export must return exactly the first one's ids.
``17.0-throughput.json`` is a measurement, not a request: see README rates.
"""

import json
import os
import re
import unittest
import xmlrpc.client

from fixtures import Emulator, build_odf_src, wire_dir

EXPORT_RE = re.compile(r"(__export__\.[a-z_]+_\d+_)[0-9a-f]{8}")
SESSION_B_FIRST_ID = 100


def normalize(value):
    if isinstance(value, str):
        return EXPORT_RE.sub(r"\1XXXXXXXX", value)
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    return value


def debug_lines(debug):
    lines = [line for line in debug.splitlines() if line.strip()]
    return lines[0], lines[-1]


def load_cases():
    directory = wire_dir()
    with open(os.path.join(directory, "index.json")) as fh:
        index = json.load(fh)
    return directory, index


@unittest.skipUnless(os.path.isdir(wire_dir()), "wire transcripts not found (set ODF_WIRE_DIR)")
class TestConformance(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.directory, cls.index = load_cases()
        cls.emu = Emulator(dbs=["odf_src", "odf_dst", "odf_src_template", "odf_dst_template"])
        build_odf_src(cls.emu.path("odf_src"))
        cls.emu_b = None
        cls.results = {}

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()
        if cls.emu_b:
            cls.emu_b.close()

    def server_for(self, case):
        if case["request"]["id"] >= SESSION_B_FIRST_ID and case.get("database") == "odf_dst":
            if type(self).emu_b is None:
                type(self).emu_b = Emulator(dbs=["odf_src", "odf_dst", "odf_src_template", "odf_dst_template"])
            return self.emu_b
        return self.emu

    # ------------------------------------------------------------------
    def check_json_case(self, entry):
        with open(os.path.join(self.directory, entry["file"])) as fh:
            case = json.load(fh)
        emu = self.server_for(case)
        status, body = emu.post("/jsonrpc", case["request_raw"].encode())
        self.assertEqual(status, case["http_status"])
        got = json.loads(body)
        expected = case["response"]
        self.results[entry["case"]] = got
        if "error" in expected:
            self.assertIn("error", got, json.dumps(got)[:500])
            g, e = got["error"], expected["error"]
            self.assertEqual(g["code"], e["code"])
            self.assertEqual(g["message"], e["message"])
            for key in ("name", "message", "arguments", "context"):
                self.assertEqual(g["data"][key], e["data"][key], key)
            self.assertEqual(debug_lines(g["data"]["debug"])[1], debug_lines(e["data"]["debug"])[1])
            self.assertTrue(g["data"]["debug"].startswith("Traceback (most recent call last):"))
            got = dict(got, error=None)
            expected = dict(expected, error=None)
        self.assertEqual(normalize(got), normalize(expected))

    def check_xmlrpc_case(self, entry):
        with open(os.path.join(self.directory, entry["file"]), "rb") as fh:
            request = fh.read()
        with open(os.path.join(self.directory, entry["pair"]), "rb") as fh:
            expected_xml = fh.read()
        path = entry["endpoint"].split(" ", 1)[1].split("8069", 1)[1]
        status, body = self.emu.post(path, request, {"Content-Type": "text/xml"})
        self.assertEqual(status, entry["http_status"])
        try:
            expected = xmlrpc.client.loads(expected_xml)[0]
        except xmlrpc.client.Fault as fault:
            expected = fault
        try:
            got = xmlrpc.client.loads(body)[0]
        except xmlrpc.client.Fault as fault:
            got = fault
        if isinstance(expected, xmlrpc.client.Fault):
            self.assertIsInstance(got, xmlrpc.client.Fault, body[:300])
            self.assertEqual(got.faultCode, expected.faultCode)
            if expected.faultString.startswith("Traceback"):
                # the traceback body differs; first and last lines are the contract
                self.assertEqual(debug_lines(got.faultString), debug_lines(expected.faultString))
            else:
                self.assertEqual(got.faultString, expected.faultString)
        else:
            self.assertEqual(got, expected)

    def ordered_entries(self):
        json_cases, xml_cases = [], []
        for entry in self.index["files"]:
            if entry["case"] == "throughput":
                continue
            if entry["file"].endswith(".xml"):
                xml_cases.append(entry)
            else:
                with open(os.path.join(self.directory, entry["file"])) as fh:
                    json_cases.append((json.load(fh)["request"]["id"], entry))
        return [e for _id, e in sorted(json_cases, key=lambda t: t[0])] + xml_cases

    def test_transcripts(self):
        checked = 0
        for entry in self.ordered_entries():
            with self.subTest(case=entry["case"]):
                if entry["file"].endswith(".xml"):
                    self.check_xmlrpc_case(entry)
                else:
                    self.check_json_case(entry)
                checked += 1
        self.assertEqual(checked, len(self.index["files"]) - 1)

    def test_zz_export_again_same_xmlids(self):
        # runs after test_transcripts (alphabetical order): both exports ran
        first = self.results.get("export_data")
        again = self.results.get("export_data-again")
        if first is None or again is None:
            self.skipTest("export cases did not run")
        self.assertEqual(first["result"], again["result"])


if __name__ == "__main__":
    unittest.main()
