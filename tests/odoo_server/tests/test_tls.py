"""HTTPS (--tls-cert/--tls-key): the same API over TLS; a client that
refuses the certificate does not disturb the server."""

import json
import os
import shutil
import ssl
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

from fixtures import Emulator


@unittest.skipUnless(shutil.which("openssl"), "openssl not installed")
class TestTls(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="odooemu-tls-")
        cls.cert = os.path.join(cls.tmp.name, "cert.pem")
        key = os.path.join(cls.tmp.name, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cls.cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cls.cert, key)
        cls.emu = Emulator(dbs=["t"], ssl_context=ctx)

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()
        cls.tmp.cleanup()

    def version(self, context):
        req = urllib.request.Request(self.emu.url + "/jsonrpc", json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": "common", "method": "version", "args": []}}).encode(),
            {"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10, context=context) as resp:
            return json.loads(resp.read())["result"]["server_serie"]

    def test_https_with_the_certificate_trusted(self):
        self.assertTrue(self.emu.url.startswith("https://"))
        self.assertEqual(self.version(ssl.create_default_context(cafile=self.cert)), "17.0")

    def test_refused_certificate_then_server_still_serves(self):
        with self.assertRaises(urllib.error.URLError) as cm:
            self.version(ssl.create_default_context())
        self.assertIsInstance(cm.exception.reason, ssl.SSLCertVerificationError)
        self.assertEqual(self.version(ssl.create_default_context(cafile=self.cert)), "17.0")

    def test_plain_http_is_not_served(self):
        with self.assertRaises((urllib.error.URLError, ConnectionError, OSError)):
            urllib.request.urlopen(self.emu.url.replace("https", "http") + "/web/health", timeout=5).read()


if __name__ == "__main__":
    unittest.main()
