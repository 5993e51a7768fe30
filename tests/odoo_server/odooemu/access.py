"""Access rights (ir.model.access) of the emulated users.

admin (uid 2) and __system__ may do everything.  ``portal`` (uid 5, password
``portal``) is a user denied some models, for "access denied" tests: no
right at all on res.partner, read-only on the other models.  Refusals carry
Odoo 17's message (ir.model.access.check).  As in Odoo, ``fields_get`` and
``default_get`` need no right; ``load`` reports a refused create/write per
row, like any other UserError.
"""

from . import errors

PORTAL_UID = 5
# groups that have a right on a model, for the message ("Category/Group")
GROUPS = {
    "res.partner": ["Extra Rights/Contact Creation", "User types/Internal User"],
}
DEFAULT_GROUPS = ["User types/Internal User"]


def allowed(uid, model_name, mode):
    if uid != PORTAL_UID:
        return True
    return mode == "read" and model_name != "res.partner"


def check(env, model, mode):
    """AccessError unless env's user has the right ``mode`` on ``model``."""
    if not allowed(env.uid, model.name, mode):
        raise errors.access_error(model.description, model.name, mode,
                                  GROUPS.get(model.name, DEFAULT_GROUPS))
