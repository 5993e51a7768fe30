"""Odoo 19's JSON-2 API: ``POST /json/2/<model>/<method>``.

Auth ``Authorization: bearer <api key>``, database from ``X-Odoo-Database``
(optional when the instance serves a single database).  The body holds the
named arguments; record methods take ``ids``; ``context`` is the context.
The result is the bare JSON value.  Errors: HTTP status + JSON body
``{name, message, arguments, context, debug}``:

  401 bad/missing key (Unauthorized)      404 unknown database/model/method
  403 AccessError                         422 bad arguments (TypeError) and
  500 anything else (ValueError, ...)         UserError family (Validation, Missing)
"""

import json

from . import api, errors
from .instance import REGISTRY


def status_for(exc):
    if isinstance(exc, (errors.AccessDenied, errors.Unauthorized)):
        return 401
    if isinstance(exc, errors.AccessError):
        return 403
    if isinstance(exc, errors.PgError):
        return 404 if exc.odoo_name == "psycopg2.OperationalError" else 500
    if isinstance(exc, errors.UserError):
        return 422
    if isinstance(exc, TypeError):
        return 422
    return 500


class NotFound(errors.OdooError):
    odoo_name = "werkzeug.exceptions.NotFound"


def error_body(exc):
    data = errors.describe(exc)
    return {"name": data["name"], "message": data["message"], "arguments": data["arguments"],
            "context": {}, "debug": data["debug"]}


def handle(handler, route, body):
    services = handler.server.services
    instance = services.instance

    def fail(exc, status=None):
        status = status or status_for(exc)
        # werkzeug's Unauthorized names the scheme to use
        headers = [("WWW-Authenticate", "Bearer")] if status == 401 else []
        handler.send(status, json.dumps(error_body(exc)).encode("ascii"), headers=headers)

    parts = route.split("/")
    if len(parts) != 2 or not all(parts):
        fail(NotFound("Not Found"), 404)
        return
    model_name, method = parts
    auth = handler.headers.get("Authorization") or ""
    scheme, _, key = auth.partition(" ")
    db = handler.headers.get("X-Odoo-Database")
    if not db:
        dbs = instance.list()
        db = dbs[0] if len(dbs) == 1 else None
    try:
        if db is None:
            raise NotFound("No database selected: send the X-Odoo-Database header")
        if scheme.lower() != "bearer":
            raise errors.Unauthorized("Invalid apikey")
        database, uid = services.api_key_user(db, key.strip())
        if method.startswith("_") or not api.has_method(model_name, method):
            raise NotFound("The method '%s' does not exist on the model '%s'" % (method, model_name))
        if model_name not in REGISTRY:
            raise NotFound("Object %s doesn't exist" % model_name)
        kwargs = json.loads(body or b"{}")
        if not isinstance(kwargs, dict):
            raise TypeError("the request body must be a JSON object of named arguments")
    except NotFound as exc:
        fail(exc, 404)
        return
    except Exception as exc:        # noqa: BLE001
        fail(exc)
        return
    _fn, record, _write = api.METHODS[method]
    args = [kwargs.pop("ids", [])] if record else []

    def work():
        try:
            return 200, services.call_model(database, uid, model_name, method, args, kwargs)
        except Exception as exc:    # noqa: BLE001
            return status_for(exc), error_body(exc)

    def respond(outcome):
        status, payload = outcome
        handler.send(status, json.dumps(payload).encode("ascii"))

    handler.run_with_faults((model_name, method), work, respond,
                            lambda exc: respond((status_for(exc), error_body(exc))))
