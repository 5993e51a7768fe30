"""XML-RPC endpoints /xmlrpc/2/<service> with Odoo 17's fault mapping.

odoo/service/wsgi_server.py ``xmlrpc_handle_exception_int``: AccessDenied ->
faultCode 3 with the message, AccessError -> 4, UserError (MissingError,
ValidationError ...) -> 2, anything else -> 1 with the traceback text.
"""

import xmlrpc.client

from . import errors
from .services import model_method_of

FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4
FAULT_WARNING = 2
FAULT_APPLICATION_ERROR = 1


def fault_for(exc):
    if isinstance(exc, errors.AccessDenied):
        return xmlrpc.client.Fault(FAULT_ACCESS_DENIED, str(exc))
    if isinstance(exc, errors.AccessError):
        return xmlrpc.client.Fault(FAULT_ACCESS_ERROR, str(exc))
    if isinstance(exc, errors.UserError) and not isinstance(exc, errors.PgError):
        return xmlrpc.client.Fault(FAULT_WARNING, str(exc))
    return xmlrpc.client.Fault(FAULT_APPLICATION_ERROR, errors.debug_text(exc))


def _marshallable(value):
    """None is not valid XML-RPC without extensions: Odoo sends False."""
    if value is None:
        return False
    if isinstance(value, dict):
        return {str(k): _marshallable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_marshallable(v) for v in value]
    return value


def dumps_result(result):
    return xmlrpc.client.dumps((_marshallable(result),), methodresponse=True, allow_none=False,
                               encoding="utf-8")


def handle(handler, service, body):
    services = handler.server.services

    def respond_xml(text):
        handler.send(200, text.encode("utf-8"), "text/xml; charset=utf-8")

    try:
        params, method = xmlrpc.client.loads(body, use_builtin_types=True)
    except Exception as exc:        # noqa: BLE001
        respond_xml(xmlrpc.client.dumps(fault_for(exc), methodresponse=True))
        return

    def work():
        try:
            return dumps_result(services.dispatch(service, method, list(params)))
        except Exception as exc:    # noqa: BLE001
            return xmlrpc.client.dumps(fault_for(exc), methodresponse=True)

    handler.run_with_faults(
        model_method_of(service, method, list(params)), work, respond_xml,
        lambda exc: respond_xml(xmlrpc.client.dumps(fault_for(exc),
                                                methodresponse=True)))
