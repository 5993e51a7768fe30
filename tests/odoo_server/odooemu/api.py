"""Model methods callable over RPC, with Odoo's signatures.

Each method is a plain function ``fn(env, model, [ids,] *args, **kwargs)``
registered with :func:`rpc`; the dispatcher binds ``execute_kw`` positional
and keyword arguments to it, so a wrong argument raises the same TypeError
Python raises in Odoo.  ``record=True`` methods take the ids first (Odoo's
record methods), ``write=True`` ones run in a write transaction.
"""

from . import access, errors
from .export import Exporter
from .fields import RELATIONAL, X2MANY
from .load import load as _load

METHODS = {}       # name -> (fn, record, write)
READS = set()      # methods that need the read right on the model (writes are checked by the ORM)
ONLY_ON = {}       # method -> the models that have it (others: every model)
# methods where the fault option ``serialization_rate`` applies
WRITE_METHODS = ("create", "write", "unlink", "load")


def rpc(record=False, write=False, reads=False, models=None):
    def deco(fn):
        METHODS[fn.__name__] = (fn, record, write)
        if reads:
            READS.add(fn.__name__)
        if models:
            ONLY_ON[fn.__name__] = models
        return fn
    return deco


def normalize_ids(ids):
    if ids is None or ids is False:
        return []
    if isinstance(ids, (list, tuple)):
        return [int(i) for i in ids]
    return [int(ids)]


def call(env, model, method, args, kwargs):
    """Run ``model.method(*args, **kwargs)`` the way odoo.api.call_kw does."""
    fn, record, _write = METHODS[method]
    if method in READS:
        access.check(env, model, "read")
    args = list(args or [])
    if record:
        if not args:
            raise TypeError("%s() missing 1 required positional argument: 'ids'" % method)
        return fn(env, model, normalize_ids(args[0]), *args[1:], **(kwargs or {}))
    return fn(env, model, *args, **(kwargs or {}))


def is_write(method):
    return METHODS[method][2]


# ---------------------------------------------------------------------------
# introspection
# ---------------------------------------------------------------------------
# what Odoo 19 describes differently from 17 (fields_get), by model and field
CHANGED_IN_19 = {
    ("res.partner", "type"): {"selection": [["contact", "Contact"], ["invoice", "Invoice"],
                                            ["delivery", "Delivery"], ["other", "Other"]]},
    ("res.partner", "company_type"): {"selection": [["person", "Person"], ["company", "Company"]]},
    ("res.partner", "phone_mobile_search"): {"string": "Phone Number"},
}


def describe_field(env, model, f):
    desc = {
        "type": f.type, "string": f.string, "required": f.required, "readonly": f.readonly,
        "store": f.store, "sortable": bool(f.column or f.name == "id" or f.sort_target(env.registry)),
        "searchable": bool(f.store or f.related or f.name == "display_name"),
        "groupable": bool(f.column), "exportable": True, "manual": False,
        "company_dependent": False, "change_default": False, "depends": [],
        "name": f.name, "translate": False, "help": f.help,
    }
    if f.help is None:
        del desc["help"]
    if f.type in RELATIONAL:
        desc["relation"] = f.relation
        desc["context"] = {}
        desc["domain"] = []
    if f.type == "one2many":
        desc["relation_field"] = f.inverse
    if f.type == "selection":
        desc["selection"] = [list(s) for s in f.selection or ()]
    if env.db.version == "19.0":
        desc.update(CHANGED_IN_19.get((model.name, f.name), {}))
    return desc


@rpc()
def fields_get(env, model, allfields=None, attributes=None):
    result = {}
    for name, f in model.fields.items():
        if allfields and name not in allfields:
            continue
        desc = describe_field(env, model, f)
        if attributes:
            desc = {k: v for k, v in desc.items() if k in attributes}
        result[name] = dict(sorted(desc.items()))
    return result


@rpc()
def default_get(env, model, fields_list):
    out = {}
    for name in fields_list:
        f = model.fields.get(name)
        if f is None:
            continue
        key = "default_" + name
        if key in env.context:
            out[name] = env.context[key]
        elif f.default is not None:
            out[name] = f.default(env) if callable(f.default) else f.default
    return out


@rpc()
def check_access_rights(env, model, operation="read", raise_exception=True):
    if access.allowed(env.uid, model.name, operation):
        return True
    if raise_exception:
        access.check(env, model, operation)
    return False


@rpc(models=("res.users",))
def context_get(env, model):
    """res.users.context_get: the caller's lang, tz and uid (JSON-2 clients learn their uid so)."""
    row = env.execute("SELECT p.lang, p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id"
                      " WHERE u.id = ?", (env.uid,)).fetchone()
    lang, tz = row if row else (None, None)
    return {"lang": lang or "en_US", "tz": tz or False, "uid": env.uid}


# ---------------------------------------------------------------------------
# search / read
# ---------------------------------------------------------------------------
@rpc(reads=True)
def search(env, model, domain, offset=0, limit=None, order=None, count=False):
    if count:
        return env.search_count(model, domain, limit=limit)
    return env.search(model, domain, offset=offset, limit=limit, order=order)


@rpc(reads=True)
def search_count(env, model, domain, limit=None):
    return env.search_count(model, domain, limit=limit)


@rpc(reads=True)
def search_read(env, model, domain=None, fields=None, offset=0, limit=None, order=None, **read_kwargs):
    ids = env.search(model, domain or [], offset=offset, limit=limit, order=order)
    if not ids:
        return []
    for name in read_kwargs:
        if name != "load":
            # what Odoo's search_read says: it hands read_kwargs on
            raise TypeError("BaseModel._read_format() got an unexpected keyword argument %r" % name)
    return env.read(model, ids, fields or None, **read_kwargs)


@rpc(record=True, reads=True)
def read(env, model, ids, fields=None, load="_classic_read"):
    return env.read(model, ids, fields or None, load)


@rpc(reads=True)
def formatted_read_group(env, model, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None,
                         order=None):
    """Odoo 19's read_group for clients, for plain and many2one fields:
    one dict per group, in the order of the group values, with the value,
    ``__extra_domain`` and the aggregates (``__count``, ``field:sum|min|max``)."""
    if having or order:
        raise ValueError("odf test server: formatted_read_group supports no having/order")
    groupby = list(groupby or [])
    for name in groupby:
        f = model.fields.get(name)
        if f is None or not f.column:
            raise ValueError("Invalid field %r on model %r" % (name, model.name))
    specs = []
    for spec in aggregates or ():
        fname, _, func = spec.partition(":")
        if spec != "__count" and (fname not in model.fields or func not in ("sum", "min", "max")):
            raise ValueError("Invalid aggregate %r" % spec)
        specs.append((spec, fname, func))
    ids = env.search(model, domain or [])
    rows = env.read(model, ids, groupby + [fname for _s, fname, func in specs if func], load=None) if ids else []
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[name] for name in groupby), []).append(row)

    def sort_key(key):
        return [(v is not False and v is not None, v) for v in key]

    result = []
    for key in sorted(groups, key=sort_key):
        members = groups[key]
        group = {}
        for name, value in zip(groupby, key):
            f = model.fields[name]
            if f.type == "many2one" and value:
                comodel = env.registry[f.relation]
                value = [value, env.display_names(comodel, [value]).get(value, False)]
            group[name] = value
        group["__extra_domain"] = [[name, "=", v] for name, v in zip(groupby, key)]
        for spec, fname, func in specs:
            if spec == "__count":
                group[spec] = len(members)
            else:
                values = [m[fname] or 0 for m in members]
                group[spec] = {"sum": sum, "min": min, "max": max}[func](values)
        result.append(group)
    return result[offset:offset + limit if limit else None]


@rpc(record=True, reads=True)
def exists(env, model, ids):
    found = env.existing(model, ids)
    return [i for i in ids if i in found]


@rpc(reads=True)
def name_search(env, model, name="", args=None, operator="ilike", limit=100, domain=None):
    return env.name_search(model, name, domain if domain is not None else args, operator, limit)


@rpc(record=True, reads=True)
def get_metadata(env, model, ids):
    rows = env.read(model, ids, ["create_uid", "create_date", "write_uid", "write_date"])
    xmlids = env.xmlids_of(model, ids)
    for r in rows:
        r["xmlid"] = xmlids.get(r["id"], False)
        r["xmlids"] = [{"xmlid": xmlids[r["id"]], "noupdate": False}] if r["id"] in xmlids else []
        r["noupdate"] = False
    return rows


# ---------------------------------------------------------------------------
# write side
# ---------------------------------------------------------------------------
@rpc(write=True)
def create(env, model, vals_list):
    if isinstance(vals_list, dict):
        return env.create(model, [vals_list])[0]
    if not isinstance(vals_list, list) or not all(isinstance(v, dict) for v in vals_list):
        raise ValueError("create() expects a dict or a list of dicts")
    return env.create(model, vals_list)


@rpc(write=True)
def name_create(env, model, name):
    rid = env.create(model, [{model.rec_name if model.rec_name in model.fields
                             and model.fields[model.rec_name].column else "name": name}])[0]
    return [rid, env.display_names(model, [rid]).get(rid, name)]


@rpc(record=True, write=True)
def write(env, model, ids, vals):
    return env.write(model, ids, vals)


@rpc(record=True, write=True)
def unlink(env, model, ids):
    return env.unlink(model, ids)


@rpc(record=True, write=True)
def copy(env, model, ids, default=None):
    [rec] = env.read(model, ids[:1], [f.name for f in model.fields.values()
                                      if (f.column and f.name not in ("id", "create_uid", "create_date",
                                                                      "write_uid", "write_date"))
                                      or (f.type == "many2many" and f.store and not f.stub)], load=None)
    rec.pop("id")
    for name, f in model.fields.items():
        if f.type in X2MANY and name in rec:
            rec[name] = [(6, 0, rec[name])]
    rec.update(default or {})
    return env.create(model, [rec])[0]


@rpc(record=True, write=True, reads=True)      # write: creates missing __export__ xmlids
def export_data(env, model, ids, fields_to_export):
    env.check_exist(model, ids)
    return Exporter(env).export(model, ids, fields_to_export)


@rpc(write=True)
def load(env, model, fields, data):
    return _load(env, model, fields, data)


def has_method(model, method):
    return method in METHODS and model in ONLY_ON.get(method, (model,))


def check_method(model, method):
    """Odoo's order of checks: private method, then existence on the model."""
    if method.startswith("_"):
        raise errors.AccessError("Private methods (such as %s) cannot be called remotely." % method)
    if not has_method(model, method):
        raise AttributeError("The method '%s' does not exist on the model '%s'" % (method, model))
