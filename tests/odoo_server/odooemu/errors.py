"""Odoo's exceptions and their wire representation.

Every error a client can see is an exception here; ``describe()`` turns any
exception (ours or a genuine Python one raised by the emulation, e.g. the
AttributeError of ``load`` on a JSON boolean cell) into the fields of Odoo's
JSON-RPC error envelope, exactly as ``odoo.http.serialize_exception`` does.
"""


class OdooError(Exception):
    """Base for exceptions with a fully qualified Odoo name."""
    odoo_name = "odoo.exceptions.UserError"

    def __init__(self, message):
        super().__init__(message)


class UserError(OdooError):
    odoo_name = "odoo.exceptions.UserError"


class ValidationError(UserError):
    odoo_name = "odoo.exceptions.ValidationError"


class MissingError(UserError):
    odoo_name = "odoo.exceptions.MissingError"


class AccessError(UserError):
    odoo_name = "odoo.exceptions.AccessError"


class AccessDenied(OdooError):
    odoo_name = "odoo.exceptions.AccessDenied"

    def __init__(self, message="Access Denied"):
        super().__init__(message)


class HTTPException(OdooError):
    """A werkzeug HTTP exception as JSON-2 reports it: arguments are
    (description, code), str() is "<code> <title>: <description>"."""
    code = 500
    title = "Internal Server Error"

    def __init__(self, message):
        Exception.__init__(self, message, self.code)
        self.message = message

    def __str__(self):
        return "%d %s: %s" % (self.code, self.title, self.message)


class BadRequest(HTTPException):
    odoo_name = "werkzeug.exceptions.BadRequest"
    code, title = 400, "Bad Request"


class Unauthorized(HTTPException):
    """JSON-2's refusal of a missing or bad API key (HTTP 401)."""
    odoo_name = "werkzeug.exceptions.Unauthorized"
    code, title = 401, "Unauthorized"

    def __init__(self, message="Invalid apikey"):
        super().__init__(message)


class NotFound(HTTPException):
    odoo_name = "werkzeug.exceptions.NotFound"
    code, title = 404, "Not Found"


class UnprocessableEntity(HTTPException):
    odoo_name = "werkzeug.exceptions.UnprocessableEntity"
    code, title = 422, "Unprocessable Entity"


class PgError(OdooError):
    """psycopg2 errors surfacing to the client (unknown database, retries)."""

    def __init__(self, name, message):
        super().__init__(message)
        self.odoo_name = name


def operational_error_unknown_db(db):
    return PgError(
        "psycopg2.OperationalError",
        'connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
        'database "%s" does not exist\n' % db)


def serialization_failure():
    return PgError("psycopg2.errors.SerializationFailure",
                   "could not serialize access due to concurrent update\n")


ACCESS_VERBS = {"read": "access", "write": "modify", "create": "create", "unlink": "delete"}


def access_error(description, model, mode, groups):
    """ir.model.access.check's refusal, worded as Odoo 17 does."""
    if groups:
        group_info = "This operation is allowed for the following groups:\n%s" % "\n".join(
            "\t- %s" % g for g in groups)
    else:
        group_info = "No group currently allows this operation."
    return AccessError("You are not allowed to %s '%s' (%s) records.\n\n%s\n\n"
                       "Contact your administrator to request access if necessary."
                       % (ACCESS_VERBS[mode], description, model, group_info))


def missing_error(model, ids, uid):
    return MissingError(
        "Record does not exist or has been deleted.\n(Record: %s%r, User: %s)"
        % (model, tuple(ids), uid))


class IntegrityViolation(Exception):
    """A database constraint violation, described like psycopg2's ``diag``.

    kind: "not_null" | "check" | "unique" | "foreign_key".
    """

    def __init__(self, kind, table, column=None, constraint=None, message=""):
        super().__init__(message)
        self.kind = kind
        self.table = table
        self.column = column
        self.constraint = constraint


def qualified_name(exc):
    name = getattr(exc, "odoo_name", None)
    if name:
        return name
    cls = type(exc)
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def message_of(exc):
    if isinstance(exc, HTTPException):
        return exc.message
    # odoo.tools.ustr(exception): the args joined by newlines
    if exc.args:
        return "\n".join(str(a) for a in exc.args)
    return str(exc)


def debug_text(exc):
    """A traceback-shaped ``debug`` value; the last line is what Python prints."""
    name = qualified_name(exc)
    if name.startswith("builtins."):
        name = name[len("builtins."):]
    text = str(exc)
    if isinstance(exc, KeyError) and exc.args:
        text = repr(exc.args[0])
    return "Traceback (most recent call last):\n  (odf test server)\n%s: %s\n" % (name, text)


def describe(exc):
    """The ``data`` member of Odoo's JSON-RPC error envelope."""
    return {
        "name": qualified_name(exc),
        "debug": debug_text(exc),
        "message": message_of(exc),
        "arguments": list(exc.args),
        "context": {},
    }


def envelope(exc):
    return {"code": 200, "message": "Odoo Server Error", "data": describe(exc)}
