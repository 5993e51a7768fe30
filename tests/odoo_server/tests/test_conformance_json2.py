"""Replay every recorded Odoo 19.0 JSON-2 transcript against the emulator.

The cases (``19.0-json2-*.json``) were captured one after the other on one
database ``odf19``, in the order of their names (the ids they create, 55 to
58, and the counts after them depend on it), so they run in that order on
one emulator started with ``--version 19.0`` whose database ``odf19`` is
fixtures.build_odf19 (the partners the transcripts show, with their ids).

Each request is sent as recorded: method, path, the headers present (none
added: a missing Content-Type must stay missing) and the raw body; the API
key placeholder ``<APIKEY>`` becomes the emulator's key.

Compared exactly: the status; Content-Type; the headers that tell a client
something (``WWW-Authenticate``, ``Accept`` of a 415,
``X-Content-Type-Options``) and whether a cookie is set; the body (JSON
compared as values, and the key order of error bodies; HTML as text).
Normalised, and why:
* ``debug`` of an error body: the real one is a server traceback, cut in the
  transcripts to its last line; only that last line is compared.
* ``Content-Length``: must equal the length of the body sent, not the
  recorded one, since the recorded error bodies carried the whole traceback.
* ``Server`` (product string) and ``Connection`` are not compared: real
  Odoo's Werkzeug development server closes every connection, the emulator
  keeps it alive (clients must cope with both).
* 05_fields_get: the emulator declares Odoo 17's res.partner, and which
  fields exist depends on the installed modules; the fields both sides have
  must carry the same attributes, and at least the fields odf relies on
  (those of 05b) must be there.  The selections of ``lang`` (the languages
  installed in the database) and ``tz`` (the host's time zone database) are
  not compared.  05b (a named subset) is compared whole.
No ids or dates are normalised: the fixture makes them come out as recorded.
"""

import glob
import http.client
import json
import os
import unittest

from fixtures import Emulator, build_odf19, wire_dir

API_KEY = "odf19-conformance-key"
COMPARED_HEADERS = ("WWW-Authenticate", "Accept", "X-Content-Type-Options")


def transcripts():
    return sorted(glob.glob(os.path.join(wire_dir(), "19.0-json2-*.json")))


def last_line(text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


@unittest.skipUnless(transcripts(), "JSON-2 transcripts not found (set ODF_WIRE_DIR)")
class TestConformanceJson2(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=["odf19"], version="19.0", api_key=API_KEY)
        build_odf19(cls.emu.path("odf19"))

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def send(self, request):
        headers = {k: v.replace("<APIKEY>", API_KEY) for k, v in request["headers"].items()}
        raw = request["raw_body"]
        body = raw.encode() if raw is not None else None
        if body is not None:
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection("127.0.0.1", self.emu.port, timeout=30)
        try:
            # skip_host/skip_accept_encoding: send only the recorded headers
            conn.putrequest(request["method"], request["path"], skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders(body)
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()

    def check_case(self, case):
        want = case["response"]
        status, headers, body = self.send(case["request"])
        self.assertEqual(status, want["status"], body[:300])
        self.assertEqual(headers.get("Content-Type"), want["content_type"])
        self.assertEqual(headers.get("Content-Length"), str(len(body)))
        for name in COMPARED_HEADERS:
            self.assertEqual(headers.get(name), want["headers"].get(name), name)
        self.assertEqual("Set-Cookie" in headers, want["set_cookie_present"], "Set-Cookie")
        if want["body_json"] is None:
            self.assertEqual(body.decode("utf-8"), want["body_text"])
            return
        got = json.loads(body)
        expected = want["body_json"]
        if status != 200:
            self.assertEqual(list(got), ["name", "message", "arguments", "context", "debug"])
            self.assertEqual(last_line(got["debug"]), last_line(expected["debug"]))
            got = dict(got, debug=None)
            expected = dict(expected, debug=None)
        if case["name"] == "05_fields_get":
            self.check_all_fields(got, expected)
            return
        self.assertEqual(got, expected)

    def check_all_fields(self, got, expected):
        common = set(got) & set(expected)
        with open(os.path.join(wire_dir(), "19.0-json2-05b_fields_get_subset.json")) as fh:
            needed = set(json.load(fh)["request"]["body"]["allfields"])
        self.assertLessEqual(needed, common)
        for side in (got, expected):
            for name in ("lang", "tz"):
                side[name].pop("selection")
        self.assertEqual({f: got[f] for f in common}, {f: expected[f] for f in common})

    def test_transcripts(self):
        files = transcripts()
        for path in files:
            with open(path) as fh:
                case = json.load(fh)
            with self.subTest(case=case["name"]):
                self.check_case(case)
        self.assertGreaterEqual(len(files), 47)


if __name__ == "__main__":
    unittest.main()
