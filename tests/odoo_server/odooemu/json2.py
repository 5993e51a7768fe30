"""Odoo 19's JSON-2 API: ``POST /json/2/<model>/<method>``.

Auth ``Authorization: bearer <api key>``, database from ``X-Odoo-Database``
(optional when the instance serves a single database).  The body holds the
named arguments; record methods take ``ids``; ``context`` is the context.
The result is the bare JSON value (a recordset as its list of ids).

Checked against the 19.0-json2 transcripts (tests/test_conformance_json2.py),
in this order:

  unknown X-Odoo-Database (or none and several databases)
                                 404 text/html, "No database is selected ..."
  not Content-Type application/json
                                 415 text/html, ``Accept: application/json``
  anything but POST /json/2/<model>/<method> (GET, PUT, ...)
                                 404 NotFound "Did you mean POST ..."
  missing or bad bearer key      401 Unauthorized, ``WWW-Authenticate: Bearer``
  body not JSON                  400 BadRequest "could not parse the body as json: ..."
                                 (JSON that is not an object: no arguments)
  unknown model / method         404 NotFound
  private method                 403 AccessError
  ids (not empty) on a model method, arguments that do not fit the signature
                                 422 UnprocessableEntity
  then the call: AccessError 403, MissingError 404, other UserError
  (ValidationError ...) 422, anything else (a bad domain's ValueError or
  TypeError, a TypeError inside the method) 500.

Error bodies: ``{"name", "message", "arguments", "context", "debug"}``.
"""

import inspect
import json

from . import api, errors
from .instance import REGISTRY

RPC_ROUTE = "/json/2/<__model__>/<__method__>"
CATCHALL_ROUTE = "/json/2"
NO_DATABASE_HTML = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n"
    "<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n"
    "<!-- Alternatively, use the X-Odoo-Database header. -->\n")
# Odoo 19 renamed some parameters; JSON-2 names them, so it sees the new names
RENAMED = {"default_get": {"fields": "fields_list"}}
# methods returning a recordset: JSON-2 answers its ids (the emulator returns an id)
RETURNS_RECORDS = ("create", "copy")


def status_for(exc):
    if isinstance(exc, errors.HTTPException):
        return exc.code
    if isinstance(exc, errors.AccessDenied):
        return 401
    if isinstance(exc, errors.AccessError):
        return 403
    if isinstance(exc, errors.MissingError):
        return 404
    if isinstance(exc, errors.UserError):
        return 422
    return 500


def dumps(value):
    """JSON-2 bodies as Odoo 19 writes them: UTF-8, not \\u escapes."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def error_body(exc):
    data = errors.describe(exc)
    return {"name": data["name"], "message": data["message"], "arguments": data["arguments"],
            "context": {}, "debug": data["debug"]}


def escape(text):
    """markupsafe's escaping, as werkzeug's error pages use it."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;")):
        text = text.replace(char, entity)
    return text


def unsupported_media_type(route):
    """werkzeug's 415 page for a request that is not JSON."""
    return ("<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n"
            "<h1>Unsupported Media Type</h1>\n<p>Request inferred type is compatible with %s but %s is "
            "type=%s.<br><br>Please verify the Content-Type request header and try again.</p>\n" % (
                escape(repr(["http"])), escape(repr(route)), escape(repr("json2"))))


def database_of(handler):
    instance = handler.server.services.instance
    dbs = instance.list()
    db = handler.headers.get("X-Odoo-Database")
    if db is None:
        return dbs[0] if len(dbs) == 1 else None
    return db if db in dbs else None


def bearer_key(handler):
    scheme, _, key = (handler.headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise errors.Unauthorized("User not authenticated, use an API Key with a Bearer Authorization header.")
    return key.strip()


def parse_body(body):
    if not body:
        return {}
    try:
        kwargs = json.loads(body)
    except ValueError as exc:
        raise errors.BadRequest("could not parse the body as json: %s" % exc) from None
    # Odoo 19 takes a body that is not an object as no arguments at all
    return kwargs if isinstance(kwargs, dict) else {}


def bind(model_name, method, kwargs):
    """The positional ids and the named arguments of the call, checked
    against the method's signature the way Odoo 19 does (422 if they do
    not fit)."""
    fn, record, _write = api.METHODS[method]
    ids = kwargs.pop("ids", None)
    if ids and not record:
        raise errors.UnprocessableEntity("cannot call %s.%s with ids" % (model_name, method))
    for new, old in RENAMED.get(method, {}).items():
        if new in kwargs and old not in kwargs:
            kwargs[old] = kwargs.pop(new)
    call_kwargs = {k: v for k, v in kwargs.items() if k != "context"}
    args = [ids or []] if record else []
    try:
        inspect.signature(fn).bind(None, None, *args, **call_kwargs)
    except TypeError as exc:
        message = str(exc)
        for new, old in RENAMED.get(method, {}).items():
            message = message.replace("'%s'" % old, "'%s'" % new)
        raise errors.UnprocessableEntity(message) from None
    if "context" in kwargs and not isinstance(kwargs["context"], dict):
        dict(kwargs["context"])     # Odoo's with_context(): the TypeError a 500 tells
    return args, kwargs


def handle(handler, method, path, body):
    """Answer a request to /json/2 or below (``method`` is the HTTP verb)."""
    services = handler.server.services

    def fail(exc):
        status = status_for(exc)
        # werkzeug's Unauthorized names the scheme to use
        headers = [("WWW-Authenticate", "Bearer ")] if status == 401 else []
        handler.send(status, dumps(error_body(exc)), headers=headers)

    db = database_of(handler)
    if db is None:
        handler.send(404, NO_DATABASE_HTML.encode(), "text/html; charset=utf-8")
        return
    parts = path[len("/json/2/"):].split("/") if path.startswith("/json/2/") else []
    is_rpc = method == "POST" and len(parts) == 2 and all(parts)
    mimetype = (handler.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    if mimetype != "application/json":
        handler.send(415, unsupported_media_type(RPC_ROUTE if is_rpc else CATCHALL_ROUTE).encode(),
                     "text/html; charset=utf-8", headers=[("Accept", "application/json")])
        return
    if not is_rpc:
        fail(errors.NotFound("Did you mean POST /json/2/<model>/<method>?"))
        return
    model_name, model_method = parts
    try:
        database, uid = services.api_key_user(db, bearer_key(handler))
        kwargs = parse_body(body)
        if model_name not in REGISTRY:
            raise errors.NotFound("the model '%s' does not exist" % model_name)
        if model_method.startswith("_"):
            raise errors.AccessError("Private methods (such as '%s.%s') cannot be called remotely."
                                     % (model_name, model_method))
        if not api.has_method(model_name, model_method):
            raise errors.NotFound("The method '%s.%s' does not exist" % (model_name, model_method))
        args, kwargs = bind(model_name, model_method, kwargs)
    except Exception as exc:        # noqa: BLE001
        fail(exc)
        return

    def work():
        try:
            result = services.call_model(database, uid, model_name, model_method, args, kwargs)
        except Exception as exc:    # noqa: BLE001
            return status_for(exc), error_body(exc)
        if model_method in RETURNS_RECORDS and isinstance(result, int):
            result = [result]
        return 200, result

    def respond(outcome):
        status, payload = outcome
        headers = [("X-Content-Type-Options", "nosniff")] if status == 200 else []
        if status == 401:
            headers = [("WWW-Authenticate", "Bearer ")]
        handler.send(status, dumps(payload), headers=headers)

    handler.run_with_faults((model_name, model_method), work, respond,
                            lambda exc: respond((status_for(exc), error_body(exc))))
