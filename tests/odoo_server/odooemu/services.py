"""The RPC services shared by JSON-RPC, XML-RPC and JSON-2: common, db, object.

Order of checks for ``object.execute_kw`` follows odoo/service/model.py:
uid cast, database connection, credentials (MissingError for an unknown uid,
AccessDenied for a bad password), private method, model existence, method
existence, then the call in one transaction (IntegrityErrors turned into
ValidationError like ``_as_validation_error``).
"""

import threading
import time

from . import api, errors
from .instance import PORTAL_PASSWORD, PORTAL_USER, REGISTRY
from .orm import Env

# what the HTTP layer knows of the request being served by this thread:
# peer ("address:port" of the client) and fault (injected, for the call log)
REQUEST = threading.local()

VERSION_INFO = {
    "17.0": ("17.0-20240709", [17, 0, 0, "final", 0, ""], "17.0"),
    # as odoo.com documents /web/version of 19.0
    "19.0": ("19.0", [19, 0, 0, "final", 0, ""], "19.0"),
}


class Services:
    def __init__(self, instance, faults=None, login_cost=0.0):
        self.instance = instance
        self.faults = faults        # faults.Faults: load_error_on, xmlid race, call log
        # seconds a login takes, as real Odoo's password hash does (0.4-0.8 s
        # on a 2-core host); 0 for the tests, set for benchmarks
        self.login_cost = login_cost

    # -- common -------------------------------------------------------------
    def version(self):
        server_version, info, serie = VERSION_INFO.get(self.instance.version, VERSION_INFO["17.0"])
        return {"server_version": server_version, "server_version_info": info,
                "server_serie": serie, "protocol_version": 1}

    def web_version(self):
        """GET /web/version (no auth): odoo.release's version and version_info."""
        info = self.version()
        return {"version_info": info["server_version_info"], "version": info["server_version"]}

    def _user(self, database, where, params):
        with database.transaction(write=False) as cr:
            return cr.execute("SELECT id, active, login FROM res_users WHERE %s" % where, params).fetchone()

    def login(self, db, login, password, *_ignored, method="login"):
        entry = None
        if self.faults is not None:
            entry = {"model": None, "service": "common", "method": method, "db": db,
                     "peer": getattr(REQUEST, "peer", None), "start": self.faults.clock()}
        try:
            if self.login_cost > 0:
                # the password hash: time spent outside any lock, like a
                # thread of Odoo's hashing while others serve their calls
                time.sleep(self.login_cost)
            database = self.instance.get(db)
            row = self._user(database, "login = ?", (login,))
            if not row or not row[1] or not self.instance.password_ok(row[2], password):
                return False
            return row[0]
        finally:
            if entry is not None:
                entry["end"] = self.faults.clock()
                self.faults.log_call(entry)

    def check_credentials(self, db, uid, password):
        database = self.instance.get(db)
        row = self._user(database, "id = ?", (uid,))
        if not row:
            raise errors.missing_error("res.users", [uid], uid)
        if not row[1] or not self.instance.password_ok(row[2], password):
            raise errors.AccessDenied()
        return database

    def api_key_user(self, db, key):
        """JSON-2: the uid owning ``key``, or 401 Unauthorized.  The
        instance's key is admin's (uid 2); the portal user's key is its
        password, "portal" (uid 5, for access-denied tests)."""
        database = self.instance.get(db)
        if key and key == self.instance.api_key:
            return database, 2
        if key == PORTAL_PASSWORD:
            return database, PORTAL_USER[0]
        raise errors.Unauthorized("Invalid apikey")

    # -- dispatch -------------------------------------------------------------
    def dispatch(self, service, method, args):
        args = list(args or [])
        if service == "common":
            if method == "version":
                return self.version()
            if method == "login":
                return self.login(*args[:3])
            if method == "authenticate":
                return self.login(*args[:3], method="authenticate")
            if method == "about":
                return "See http://openerp.com"
            raise KeyError("Method not found: %s" % method)
        if service == "db":
            if method == "list":
                return self.instance.list()
            if method == "server_version":
                return self.version()["server_version"]
            if method == "exist":
                return args[0] in self.instance.list()
            raise KeyError("Method not found: %s" % method)
        if service == "object":
            if method == "execute_kw":
                db, uid, password, model, model_method = args[:5]
                return self.execute_kw(db, uid, password, model, model_method,
                                       args[5] if len(args) > 5 else [], args[6] if len(args) > 6 else {})
            if method == "execute":
                db, uid, password, model, model_method = args[:5]
                return self.execute_kw(db, uid, password, model, model_method, args[5:], {})
            raise NameError("Method not available %s" % method)
        raise KeyError(service)

    def execute_kw(self, db, uid, password, model, method, args, kwargs):
        uid = int(uid)
        database = self.check_credentials(db, uid, password)
        return self.call_model(database, uid, model, method, args, kwargs)

    def call_model(self, database, uid, model_name, method, args, kwargs):
        if not isinstance(method, str) or method.startswith("_"):
            raise errors.AccessError("Private methods (such as %s) cannot be called remotely." % method)
        if model_name not in REGISTRY:
            raise errors.UserError("Object %s doesn't exist" % model_name)
        api.check_method(model_name, method)
        kwargs = dict(kwargs or {})
        context = kwargs.pop("context", None) or {}
        if not isinstance(context, dict):
            raise ValueError("context must be a dictionary")
        context = dict({"lang": "en_US", "tz": False, "uid": uid}, **context)
        model = database.registry[model_name]
        entry = self._log_entry(model_name, method, args, kwargs)
        try:
            if method == "load" and self.faults is not None:
                exc = self.faults.load_error(_load_argument(args, kwargs, 1, "data"))
                if exc is not None:
                    if entry is not None:
                        entry["fault"] = "load_error"
                    raise exc
            race_ms = self.faults.get()["xmlid_race_ms"] if self.faults is not None else 0
            race = race_ms if method == "export_data" else 0
            with database.transaction(write=api.is_write(method) and not race) as cr:
                env = Env(database, cr, uid, context)
                env.xmlid_race_ms = race
                try:
                    result = api.call(env, model, method, args, kwargs)
                except errors.IntegrityViolation as exc:
                    raise as_validation_error(exc) from None
            if env.pending_xmlids:
                # Odoo's __ensure_xml_id inserts what its earlier read missed,
                # without a lock: concurrent exports may both insert one
                time.sleep(race / 1000.0)
                with database.transaction(write=True) as cr:
                    Env(database, cr, uid, context).insert_xmlids(env.pending_xmlids)
            return result
        except Exception as exc:
            if entry is not None:
                entry["error"] = errors.qualified_name(exc)
            raise
        finally:
            if entry is not None:
                entry["end"] = self.faults.clock()
                self.faults.log_call(entry)

    def _log_entry(self, model_name, method, args, kwargs):
        if self.faults is None:
            return None
        entry = {"model": model_name, "method": method, "peer": getattr(REQUEST, "peer", None),
                 "start": self.faults.clock()}
        fault = getattr(REQUEST, "fault", None)
        if fault:
            entry["fault"] = fault
        if method == "load":
            entry["xmlids"] = load_xmlids(_load_argument(args, kwargs, 0, "fields"),
                                          _load_argument(args, kwargs, 1, "data"))
        elif method == "export_data":
            ids = _load_argument(args, kwargs, 0, "ids")
            entry["ids"] = [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []
        return entry


def _load_argument(args, kwargs, index, name):
    args = list(args or [])
    return args[index] if len(args) > index else (kwargs or {}).get(name)


def load_xmlids(fields, data):
    """The ``id`` column of a load's data, for the call log."""
    if not isinstance(fields, list) or "id" not in fields or not isinstance(data, list):
        return []
    col = fields.index("id")
    return [row[col] for row in data if isinstance(row, list) and len(row) > col]


def as_validation_error(exc):
    """odoo.service.model._as_validation_error."""
    model = REGISTRY.by_table.get(exc.table)
    if exc.kind == "not_null":
        field = model.fields.get(exc.column) if model else None
        return errors.ValidationError(
            "The operation cannot be completed:\n"
            "- Create/update: a mandatory field is not set.\n"
            "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n"
            "Model: %s (%s)\nField: %s (%s)\n" % (
                model.description if model else "Unknown", model.name if model else "unknown",
                field.string if field else "Unknown", field.name if field else "unknown"))
    if exc.kind == "check":
        for m in REGISTRY.models.values():
            for name, _sql, msg in m.sql_constraints:
                if exc.constraint == "%s_%s" % (m.table, name):
                    return errors.ValidationError("The operation cannot be completed: %s" % msg)
    return errors.ValidationError("The operation cannot be completed: %s" % exc)


def model_method_of(service, method, args):
    """(model, method) of the model method a service call runs (the scope of
    faults), else None."""
    if service == "object" and method in ("execute_kw", "execute") and len(args) >= 5:
        return str(args[3]), str(args[4])
    return None
