"""HTTP layer: routes, protocols (JSON-RPC, XML-RPC, JSON-2), fault application.

HTTP/1.1 with keep-alive; every response carries Content-Length.  Routes:

  POST /jsonrpc                      JSON-RPC 2.0 (services common, db, object)
  POST /xmlrpc/2/{common,object,db}  XML-RPC (also /xmlrpc/...)
  POST /json/2/<model>/<method>      Odoo 19 JSON-2 (bearer API key; see json2.py)
  POST /web/webclient/version_info   JSON-RPC style version
  GET  /web/health                   readiness ({"status": "pass"})
  GET  /web/version, /json/version   {"version_info": [...], "version": "17.0..."} (no auth)
  GET/POST /odf-test/faults, GET /odf-test/stats, GET /odf-test/log,
  POST /odf-test/stats/reset (clears the counters and the call log)
"""

import json
import select
import socket
import ssl
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import errors, json2, xmlrpc
from .faults import Faults
from .services import REQUEST, model_method_of

ERROR_BODIES = {
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout", 429: "Too Many Requests",
}


def json_bytes(obj):
    # Odoo serialises with json.dumps defaults: non-ASCII as \\uXXXX escapes
    return json.dumps(obj).encode("ascii")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, services, faults=None, verbose=False, ssl_context=None):
        self.services = services
        self.faults = faults or Faults()
        services.faults = self.faults
        self.verbose = verbose
        self.ssl_context = ssl_context
        super().__init__(address, Handler)

    def get_request(self):
        sock, addr = super().get_request()
        if self.ssl_context is not None:
            # the handshake happens in the connection's own thread (setup)
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        # a client that timed out or hung up is normal in fault tests
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, socket.timeout, ssl.SSLError)) \
                and not self.verbose:
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # one buffered write per response + TCP_NODELAY: headers and body in
    # separate segments would stall 40 ms on delayed ACKs (Nagle)
    wbufsize = -1
    disable_nagle_algorithm = True
    server_version = "Werkzeug/3.0.1"
    sys_version = "Python/3.10"

    # -- plumbing -------------------------------------------------------------
    def setup(self):
        if self.server.ssl_context is not None:
            # a client refusing the certificate fails here (see handle_error)
            self.request.settimeout(30)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def handle_one_request(self):
        REQUEST.peer = "%s:%d" % self.client_address[:2]
        REQUEST.fault = None
        super().handle_one_request()

    def log_message(self, fmt, *args):
        if self.server.verbose:
            super().log_message(fmt, *args)

    def handle_expect_100(self):
        # the buffered wfile must be flushed, or "100 Continue" waits in the
        # buffer and curl stalls for its expect timeout on large bodies
        self.send_response_only(100)
        self.end_headers()
        self.wfile.flush()
        return True

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        return self.body

    def send(self, status, body, content_type="application/json; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_json(self, obj, status=200):
        self.send(status, json_bytes(obj))

    def drop(self, partial=True):
        """Close the connection mid-response (simulated network failure).

        With ``partial``, the headers announce a body longer than what is
        sent, so every HTTP client sees a truncated response (curl: error 18)
        rather than a short but valid one."""
        try:
            if partial:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
                                 b"Content-Length: 4096\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\"")
                self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def peer_closed(self):
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def send_fault_status(self):
        status = self.server.faults.get()["error_status"]
        title = ERROR_BODIES.get(status, "Error")
        body = ("<!doctype html>\n<html lang=en>\n<title>%d %s</title>\n<h1>%s</h1>\n"
                "<p>odf test server: injected fault</p>\n" % (status, title, title)).encode()
        self.send(status, body, "text/html; charset=utf-8")

    def run_with_faults(self, model_method, work, respond, respond_error):
        """Apply the fault decision for a model method call, then do the work.

        ``model_method`` is (model, method) or None (not a model method);
        ``work()`` executes the call and returns a value for ``respond``;
        ``respond_error(exc)`` answers with the exception ``exc`` (the way
        the protocol reports an Odoo error).
        """
        if model_method is None:
            respond(work())
            return
        model, method = model_method
        faults = self.server.faults
        start = faults.clock()
        decision = faults.decide(method)
        if decision.sleep_ms:
            time.sleep(decision.sleep_ms / 1000.0)
            if self.peer_closed():
                # the client gave up (timeout): do nothing, so that a timed-out
                # call never has an effect
                faults.count("abandoned")
                self.log_fault(model, method, start, "abandoned")
                self.close_connection = True
                return
        if decision.kind in ("error", "drop", "serialization", "echo_request"):
            self.log_fault(model, method, start, decision.kind)
        if decision.kind == "error":
            self.send_fault_status()
        elif decision.kind == "drop":
            self.drop()
        elif decision.kind == "serialization":
            respond_error(errors.serialization_failure())
        elif decision.kind == "echo_request":
            respond_error(self.echo_request_error())
        elif decision.kind == "drop_after_commit":
            REQUEST.fault = "drop_after_commit"
            work()
            self.drop(partial=False)
        else:
            respond(work())

    def echo_request_error(self):
        """A careless server's error quoting the whole request, credentials
        included (for tests that secrets are not shown)."""
        return ValueError("odf test server: cannot process the request: Authorization: %s; body: %s" % (
            self.headers.get("Authorization"), self.body.decode("utf-8", "replace")))

    def log_fault(self, model, method, start, kind):
        """A call answered by a fault without being executed, for the call log."""
        faults = self.server.faults
        faults.log_call({"model": model, "method": method, "peer": REQUEST.peer, "start": start,
                         "end": faults.clock(), "fault": kind})

    # -- routing --------------------------------------------------------------
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/web/health":
            self.send_json({"status": "pass"})
        elif path in ("/web/version", "/json/version"):
            # no key needed; Odoo opens a session, hence the cookie
            self.send(200, json_bytes(self.server.services.web_version()), headers=[
                ("X-Content-Type-Options", "nosniff"),
                ("Set-Cookie", "session_id=%s; HttpOnly; Path=/; SameSite=Lax" % uuid.uuid4().hex)])
        elif path == "/json/2" or path.startswith("/json/2/"):
            json2.handle(self, "GET", path, self.read_body())
        elif path == "/odf-test/faults":
            self.send_json(self.server.faults.get())
        elif path == "/odf-test/stats":
            self.send_json(self.server.faults.snapshot())
        elif path == "/odf-test/log":
            self.send_json(self.server.faults.log())
        else:
            self.send(404, b'{"error": "not found"}')

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        body = self.read_body()
        if path == "/jsonrpc":
            self.jsonrpc(body)
        elif path in ("/web/webclient/version_info",):
            self.send_json({"jsonrpc": "2.0", "id": None, "result": self.server.services.version()})
        elif path.startswith("/xmlrpc/"):
            self.xmlrpc(path.rsplit("/", 1)[-1], body)
        elif path == "/json/2" or path.startswith("/json/2/"):
            json2.handle(self, "POST", path, body)
        elif path == "/odf-test/faults":
            try:
                settings = self.server.faults.configure(json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                self.send(400, json_bytes({"error": str(exc)}))
                return
            self.send_json(settings)
        elif path == "/odf-test/stats/reset":
            self.server.faults.reset_stats()
            self.send_json(self.server.faults.snapshot())
        elif path == "/odf-test/credentials":
            try:
                changed = self.server.services.instance.set_credentials(json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                self.send(400, json_bytes({"error": str(exc)}))
                return
            self.send_json(changed)
        else:
            self.send(404, b'{"error": "not found"}')

    def do_other(self):
        """PUT, DELETE, PATCH: only JSON-2 answers them (its catch-all 404)."""
        path = self.path.split("?", 1)[0]
        body = self.read_body()
        if path == "/json/2" or path.startswith("/json/2/"):
            json2.handle(self, self.command, path, body)
        else:
            self.send(405, b'{"error": "method not allowed"}')

    do_PUT = do_DELETE = do_PATCH = do_other

    # -- JSON-RPC -------------------------------------------------------------
    def jsonrpc(self, body):
        services = self.server.services
        req_id = None
        try:
            request = json.loads(body)
            req_id = request.get("id")
            params = request.get("params") or {}
            service, method, args = params["service"], params["method"], params.get("args") or []
        except Exception as exc:        # noqa: BLE001 - malformed request
            self.send_json({"jsonrpc": "2.0", "id": req_id, "error": errors.envelope(exc)})
            return
        model_method = model_method_of(service, method, args)

        def work():
            try:
                return {"jsonrpc": "2.0", "id": req_id, "result": services.dispatch(service, method, args)}
            except Exception as exc:    # noqa: BLE001 - every error becomes an envelope
                return {"jsonrpc": "2.0", "id": req_id, "error": errors.envelope(exc)}

        self.run_with_faults(
            model_method, work, self.send_json,
            lambda exc: self.send_json({"jsonrpc": "2.0", "id": req_id, "error": errors.envelope(exc)}))

    def xmlrpc(self, service, body):
        xmlrpc.handle(self, service, body)
