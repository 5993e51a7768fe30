"""Field and model declarations (pure data, no storage logic).

A model is declared with :func:`model` and a list of :class:`Field`.  The ORM
(`orm.py`) derives the SQLite schema, ``fields_get`` answers, read/write
conversions and the import/export behaviour from these declarations, so adding
a model is a few lines in ``models.py``.
"""

RELATIONAL = ("many2one", "one2many", "many2many")
X2MANY = ("one2many", "many2many")

# SQLite column affinity per Odoo field type (None: not a column).
SQL_TYPES = {
    "char": "TEXT", "text": "TEXT", "html": "TEXT", "selection": "TEXT",
    "date": "TEXT", "datetime": "TEXT", "binary": "TEXT",
    "integer": "INTEGER", "many2one": "INTEGER", "boolean": "INTEGER",
    "float": "REAL", "monetary": "REAL",
}


class Field:
    """One field of a model.

    store=False with neither ``compute`` nor ``related`` makes a field that
    exists for ``fields_get`` (clients use store/readonly to tell fields
    apart) and always reads as its empty value.  Relational fields to a model
    that is not emulated behave the same way ("stub" fields).
    """

    def __init__(self, name, type, string, *, relation=None, inverse=None,
                 required=False, readonly=False, store=True, selection=None,
                 default=None, compute=None, related=None, index=False,
                 relation_table=None, column1=None, column2=None,
                 ondelete=None, help=None, sanitize=True, inherited=False):
        self.name = name
        self.type = type
        self.string = string
        self.relation = relation
        self.inverse = inverse            # one2many: the many2one on the comodel
        self.required = required
        self.readonly = readonly
        self.store = store
        self.selection = selection        # list of (key, label)
        self.default = default            # value or callable(env)
        self.compute = compute            # callable(env, model, ids) -> {id: value}
        self.related = related            # "m2o_field.other_field"
        # a field of the _inherits parent (related through the delegation
        # many2one): sortable like a column of the parent, as in Odoo
        self.inherited = inherited
        self.index = index
        self.relation_table = relation_table
        self.column1 = column1
        self.column2 = column2
        # Odoo: a required many2one defaults to ondelete='restrict'
        self.ondelete = ondelete or ("restrict" if required else "set null")
        self.help = help
        self.sanitize = sanitize
        self.model = None                 # set by Model
        self.stub = False                 # set by the registry (comodel absent)

    @property
    def column(self):
        """True when the value lives in a column of the model's table."""
        return self.store and not self.stub and self.type in SQL_TYPES

    def sort_target(self, registry):
        """(delegation many2one name, parent's stored field) of an inherited
        field, else None."""
        if not (self.inherited and self.related):
            return None
        link, _, target = self.related.partition(".")
        parent = registry[self.model.fields[link].relation]
        field = parent.fields.get(target)
        return (link, field) if field is not None and field.column else None

    @property
    def relational(self):
        return self.type in RELATIONAL

    def empty(self):
        """The value ``read`` returns when nothing is set."""
        if self.type in X2MANY:
            return []
        if self.type == "integer":
            return 0
        if self.type in ("float", "monetary"):
            return 0.0
        return False

    def labels(self):
        return dict(self.selection or ())

    def __repr__(self):
        return "<Field %s.%s %s>" % (self.model and self.model.name, self.name, self.type)


class Model:
    def __init__(self, name, description, fields, *, table=None, order="id",
                 rec_name="name", rec_names_search=None, sql_constraints=(),
                 hooks=None, display_name=None, log_access=True, name_search_split=None,
                 recursion_message=None):
        self.name = name
        self.description = description
        self.table = table or name.replace(".", "_")
        self.order = order
        self.rec_name = rec_name
        self.rec_names_search = rec_names_search or [rec_name]
        # (constraint name without table prefix, SQL CHECK expression, message)
        self.sql_constraints = list(sql_constraints)
        # hooks: {"after_create": f(env, ids, vals_list), "after_write": f(env, ids, vals),
        #         "before_create": f(env, vals_list)}
        self.hooks = hooks or {}
        self.display_name_fn = display_name   # f(env, ids) -> {id: name}
        # name_search looks for the last part of "Parent / Child" display names
        self.name_search_split = name_search_split
        # ValidationError raised when parent_id would create a cycle
        self.recursion_message = recursion_message
        self.fields = {}
        magic = [Field("id", "integer", "ID", readonly=True)]
        if log_access:
            magic += [
                Field("create_uid", "many2one", "Created by", relation="res.users", readonly=True),
                Field("create_date", "datetime", "Created on", readonly=True),
                Field("write_uid", "many2one", "Last Updated by", relation="res.users", readonly=True),
                Field("write_date", "datetime", "Last Updated on", readonly=True),
            ]
        display = Field("display_name", "char", "Display Name", store=False, readonly=True)
        # declared fields first (fields_get order follows declaration), then
        # the automatic ones, as Odoo lists them
        for f in list(fields) + magic[:1] + [display] + magic[1:]:
            if f.name not in self.fields:
                f.model = self
                self.fields[f.name] = f
        self.has_active = "active" in self.fields
        self.log_access = log_access

    def __repr__(self):
        return "<Model %s>" % self.name
