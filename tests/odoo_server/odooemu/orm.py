"""Storage-level ORM: search, read, create, write, unlink, external ids.

An :class:`Env` lives for one RPC call (one transaction) and works on model
*declarations* (``fields.Model``) and plain id lists; no recordset objects,
which keeps reads batched (one query per table / relation, not per row).
"""

import datetime
import sqlite3

from . import access, errors
from . import html
from .db import translate_integrity_error
from .domain import Compiler, normalize, parse_order
from .fields import X2MANY

CHUNK = 5000   # ids per "IN (...)" (SQLite allows 32766 variables)


def chunks(seq, size=CHUNK):
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def qmarks(n):
    return ",".join("?" * n)


class Env:
    def __init__(self, db, cr, uid, context=None):
        self.db = db
        self.cr = cr
        self.uid = uid
        self.registry = db.registry
        self.context = dict(context or {})
        self._now = None
        self._alias = 0
        self.xmlid_race_ms = 0      # fault option, see Exporter.ensure_xmlids
        self.pending_xmlids = []    # xmlids to create after the call (xmlid race)

    def with_context(self, **kw):
        env = Env(self.db, self.cr, self.uid, dict(self.context, **kw))
        env._now = self._now
        env.xmlid_race_ms = self.xmlid_race_ms
        env.pending_xmlids = self.pending_xmlids
        return env

    def now(self):
        # one timestamp per transaction, like PostgreSQL's now()
        if self._now is None:
            self._now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
        return self._now

    def model(self, name):
        return self.registry[name]

    def execute(self, sql, params=()):
        try:
            return self.cr.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise translate_integrity_error(exc) from None

    # ------------------------------------------------------------------
    # search
    # ------------------------------------------------------------------
    def _next_alias(self):
        self._alias += 1
        return "t%d" % self._alias

    def _active_domain(self, model, domain, active_test):
        """Add ('active', '=', True) unless the domain mentions ``active``."""
        if active_test is None:
            active_test = self.context.get("active_test", True)
        if not (active_test and model.has_active):
            return domain
        for leaf in domain or ():
            if isinstance(leaf, (list, tuple)) and leaf and leaf[0] == "active":
                return domain
        # validate the caller's domain first: errors quote it unchanged
        return ["&", ("active", "=", True)] + normalize(domain, self.db.version)

    def where(self, model, domain, alias, active_test=None):
        domain = self._active_domain(model, domain, active_test)
        return Compiler(self, model, alias).compile(domain)

    def query_ids_sql(self, model, domain, active_test=None, select="id"):
        alias = self._next_alias()
        where, params = self.where(model, domain, alias, active_test)
        return 'SELECT %s.%s FROM "%s" %s WHERE %s' % (alias, select, model.table, alias, where), params

    def order_by(self, model, order, alias):
        spec = parse_order(model, order or model.order, self.registry, self.db.version)
        if not any(f.name == "id" for f, _ in spec):
            spec.append((model.fields["id"], "ASC"))
        parts = []
        for field, direction in spec:
            expr = '%s."%s"' % (alias, field.name)
            inherited = field.sort_target(self.registry)
            if inherited:
                # ORDER BY the parent's column (Odoo joins the _inherits parent)
                link, field = inherited
                expr = '(SELECT x."%s" FROM "%s" x WHERE x.id = %s."%s")' % (
                    field.name, field.model.table, alias, link)
            if field.type == "many2one":
                comodel = self.registry[field.relation]
                rec = comodel.fields.get(comodel.rec_name)
                if rec is not None and rec.column:
                    expr = '(SELECT x."%s" FROM "%s" x WHERE x.id = %s)' % (rec.name, comodel.table, expr)
            if field.name == "id" or field.required:
                parts.append("%s %s" % (expr, direction))
            else:
                # PostgreSQL puts NULLs last ascending, first descending
                parts.append("%s %s NULLS %s" % (expr, direction, "LAST" if direction == "ASC" else "FIRST"))
        return ", ".join(parts)

    def search(self, model, domain, offset=0, limit=None, order=None, active_test=None):
        alias = self._next_alias()
        where, params = self.where(model, domain, alias, active_test)
        sql = 'SELECT %s.id FROM "%s" %s WHERE %s ORDER BY %s' % (
            alias, model.table, alias, where, self.order_by(model, order, alias))
        if limit:
            sql += " LIMIT %d" % int(limit)
        if offset:
            if not limit:
                sql += " LIMIT -1"
            sql += " OFFSET %d" % int(offset)
        return [r[0] for r in self.execute(sql, params)]

    def search_count(self, model, domain, limit=None):
        alias = self._next_alias()
        where, params = self.where(model, domain, alias)
        sql = 'SELECT %s.id FROM "%s" %s WHERE %s' % (alias, model.table, alias, where)
        if limit:
            sql += " LIMIT %d" % int(limit)
        return self.execute("SELECT count(*) FROM (%s)" % sql, params).fetchone()[0]

    def rec_name_domain(self, model, operator, value):
        names = model.rec_names_search
        if len(names) == 1:
            return [(names[0], operator, value)]
        from .domain import NEGATIVE
        glue = "&" if operator in NEGATIVE else "|"
        return [glue] * (len(names) - 1) + [(n, operator, value) for n in names]

    def to_ids(self, model, value):
        """Right operand of child_of/parent_of: id(s) or name(s)."""
        if value is False or value is None:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        ids = []
        for v in values:
            if isinstance(v, str):
                ids += [i for i, _n in self.name_search(model, v, [], "ilike", None)]
            else:
                ids.append(int(v))
        return ids

    def name_search(self, model, name, domain, operator, limit):
        domain = list(domain or [])
        if name and model.name_search_split and isinstance(name, str):
            name = name.split(model.name_search_split)[-1]
        if name or operator not in ("ilike", "like", "=like", "=ilike"):
            domain = domain + self.rec_name_domain(model, operator, name)
        ids = self.search(model, domain, limit=limit)
        names = self.display_names(model, ids)
        return [[i, names.get(i, False)] for i in ids]

    def existing(self, model, ids):
        found = set()
        for part in chunks(list(set(ids))):
            found.update(r[0] for r in self.execute(
                'SELECT id FROM "%s" WHERE id IN (%s)' % (model.table, qmarks(len(part))), part))
        return found

    def check_exist(self, model, ids):
        found = self.existing(model, ids)
        missing = [i for i in ids if i not in found]
        if missing:
            raise errors.missing_error(model.name, missing, self.uid)

    # ------------------------------------------------------------------
    # read
    # ------------------------------------------------------------------
    def fetch(self, model, ids, columns):
        """{id: {column: raw value}} for the existing ids among ``ids``."""
        cols = ["id"] + [c for c in columns if c != "id"]
        sel = ", ".join('"%s"' % c for c in cols)
        out = {}
        uniq = list(dict.fromkeys(ids))
        for part in chunks(uniq):
            for row in self.execute('SELECT %s FROM "%s" WHERE id IN (%s)'
                                    % (sel, model.table, qmarks(len(part))), part):
                out[row[0]] = dict(zip(cols, row))
        return out

    def display_names(self, model, ids):
        ids = [i for i in dict.fromkeys(ids) if i]
        if not ids:
            return {}
        if model.display_name_fn:
            return model.display_name_fn(self, model, ids)
        rec = model.fields.get(model.rec_name)
        if rec is None or not rec.column:
            return {i: "%s,%s" % (model.name, i) for i in ids}
        rows = self.fetch(model, ids, [rec.name])
        return {i: (r[rec.name] or "") for i, r in rows.items()}

    def x2many_ids(self, model, field, ids, active_test=None):
        """{id: [related ids in the comodel's order]} for an x2many field."""
        comodel = self.registry[field.relation]
        if active_test is None:
            active_test = self.context.get("active_test", True)
        result = {i: [] for i in ids}
        alias = self._next_alias()
        order = self.order_by(comodel, None, alias)
        active = ' AND %s."active" = 1' % alias if (active_test and comodel.has_active) else ""
        for part in chunks(list(result)):
            marks = qmarks(len(part))
            if field.type == "many2many":
                sql = ('SELECT r."%s", %s.id FROM "%s" r JOIN "%s" %s ON %s.id = r."%s" '
                       'WHERE r."%s" IN (%s)%s ORDER BY %s' % (
                           field.column1, alias, field.relation_table, comodel.table, alias,
                           alias, field.column2, field.column1, marks, active, order))
            else:
                sql = ('SELECT %s."%s", %s.id FROM "%s" %s WHERE %s."%s" IN (%s)%s ORDER BY %s' % (
                    alias, field.inverse, alias, comodel.table, alias, alias, field.inverse,
                    marks, active, order))
            for owner, rid in self.execute(sql, part):
                result[owner].append(rid)
        return result

    @staticmethod
    def from_column(field, value):
        t = field.type
        if t == "boolean":
            return bool(value)
        if t == "integer":
            return value or 0
        if t in ("float", "monetary"):
            return float(value or 0.0)
        if value is None:
            return False
        return value

    def read(self, model, ids, fnames=None, load="_classic_read"):
        if fnames is None:
            fnames = [n for n in model.fields if n != "id"]
        fields = []
        for name in fnames:
            f = model.fields.get(name)
            if f is None:
                raise ValueError("Invalid field %r on model %r" % (name, model.name))
            if f.name != "id":
                fields.append(f)
        computed = [f for f in fields if f.compute and not f.column]
        if computed:
            columns = [f.name for f in model.fields.values() if f.column]
        else:
            columns = [f.name for f in fields if f.column]
        rows = self.fetch(model, ids, columns)
        present = [i for i in ids if i in rows]
        values = {f.name: self.field_values(model, f, present, rows, load) for f in fields}
        result = []
        for i in present:
            rec = {"id": i}
            for f in fields:
                rec[f.name] = values[f.name][i]
            result.append(rec)
        return result

    def field_values(self, model, f, ids, rows, load="_classic_read"):
        """{id: value as ``read`` returns it} for one field."""
        if f.name == "display_name":
            names = self.display_names(model, ids)
            return {i: names.get(i, False) for i in ids}
        if f.stub:
            return {i: f.empty() for i in ids}
        if f.related and not f.column:
            return self._related_values(model, f, ids, load)
        if f.compute and not f.column:
            vals = f.compute(self, model, [rows[i] for i in ids])
            if f.type == "many2one" and load == "_classic_read":
                comodel = self.registry[f.relation]
                names = self.display_names(comodel, [v for v in vals.values() if v])
                return {i: [vals[i], names.get(vals[i], "")] if vals.get(i) else False for i in ids}
            return vals
        if f.type in X2MANY:
            return self.x2many_ids(model, f, ids)
        if not f.column:
            return {i: f.empty() for i in ids}
        if f.type == "many2one":
            raw = {i: rows[i][f.name] for i in ids}
            if load != "_classic_read":
                return {i: v or False for i, v in raw.items()}
            comodel = self.registry[f.relation]
            names = self.display_names(comodel, [v for v in raw.values() if v])
            return {i: [v, names.get(v, "")] if v else False for i, v in raw.items()}
        conv = self.from_column
        return {i: conv(f, rows[i][f.name]) for i in ids}

    def _related_values(self, model, f, ids, load):
        first, rest = f.related.split(".", 1)
        link = model.fields[first]
        comodel = self.registry[link.relation]
        rows = self.fetch(model, ids, [first])
        targets = {i: rows[i][first] for i in ids if i in rows}
        sub = {r["id"]: r[rest] for r in self.read(comodel, [t for t in targets.values() if t], [rest], load)}
        return {i: sub.get(targets.get(i), f.empty()) for i in ids}

    # ------------------------------------------------------------------
    # write side
    # ------------------------------------------------------------------
    def to_column(self, f, value):
        """Python/JSON value -> SQLite value, with Odoo's conversions."""
        t = f.type
        if t == "boolean":
            return 1 if value else 0
        if t == "integer":
            return int(value or 0)
        if t in ("float", "monetary"):
            return float(value or 0.0)
        if value is None or value is False:
            return None
        if t == "many2one":
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("Wrong value for %s.%s: %r" % (f.model.name, f.name, value))
            return value
        if t == "selection":
            if value not in dict(f.selection or ()):
                raise ValueError("Wrong value for %s.%s: %r" % (f.model.name, f.name, value))
            return value
        if t == "html":
            return html.sanitize(value) if f.sanitize else str(value)
        if t == "date":
            return _to_date(value)
        if t == "datetime":
            return _to_datetime(value)
        if t == "binary":
            if isinstance(value, bytes):
                value = value.decode("ascii")
            return str(value)
        return str(value)

    def _split_vals(self, model, vals):
        """vals -> ({column: sql value}, [(x2many field, commands)])."""
        cols, x2m = {}, []
        for name, value in vals.items():
            f = model.fields.get(name)
            if f is None or name == "id" or f.stub:
                continue   # Odoo 17 ignores unknown fields (with a warning)
            if f.type in X2MANY:
                if f.store or f.inverse:
                    x2m.append((f, value))
                continue
            if f.column:
                cols[name] = self.to_column(f, value)
        return cols, x2m

    def _check_m2o(self, model, cols):
        for name, value in cols.items():
            f = model.fields[name]
            if f.type == "many2one" and value is not None and name not in ("create_uid", "write_uid"):
                comodel = self.registry[f.relation]
                if not self.execute('SELECT 1 FROM "%s" WHERE id = ?' % comodel.table, (value,)).fetchone():
                    raise errors.missing_error(comodel.name, [value], self.uid)

    def create(self, model, vals_list):
        access.check(self, model, "create")
        vals_list = [dict(v) for v in vals_list]
        hook = model.hooks.get("before_create")
        if hook:
            hook(self, vals_list)
        ids = [self._create_one(model, vals) for vals in vals_list]
        hook = model.hooks.get("after_create")
        if hook:
            hook(self, ids, vals_list)
        return ids

    def _create_one(self, model, vals):
        cols, x2m = self._split_vals(model, vals)
        for f in model.fields.values():
            if not f.column or f.name in cols or f.name == "id":
                continue
            key = "default_" + f.name
            if key in self.context:
                cols[f.name] = self.to_column(f, self.context[key])
            elif f.default is not None:
                default = f.default(self) if callable(f.default) else f.default
                cols[f.name] = self.to_column(f, default)
        if model.log_access:
            for name, value in (("create_uid", self.uid), ("write_uid", self.uid),
                                ("create_date", self.now()), ("write_date", self.now())):
                cols.setdefault(name, value)
        self._check_m2o(model, cols)
        new_id = self.db.next_id(self.cr, model.table)
        names = ["id"] + list(cols)
        self.execute('INSERT INTO "%s" (%s) VALUES (%s)' % (
            model.table, ", ".join('"%s"' % n for n in names), qmarks(len(names))),
            [new_id] + list(cols.values()))
        xmlid = vals.get("id")
        if isinstance(xmlid, str) and xmlid and "import_current_module" in self.context:
            # o2m lines of ``load`` may carry their own external id
            module = self.context["import_current_module"]
            self.set_xmlid(xmlid if "." in xmlid else "%s.%s" % (module, xmlid), model, new_id)
        for f, commands in x2m:
            self.apply_x2many(model, f, [new_id], commands)
        return new_id

    def write(self, model, ids, vals):
        access.check(self, model, "write")
        ids = list(dict.fromkeys(ids))
        self.check_exist(model, ids)
        cols, x2m = self._split_vals(model, vals)
        if model.log_access:
            cols.setdefault("write_uid", self.uid)
            cols.setdefault("write_date", self.now())
        self._check_m2o(model, cols)
        if cols:
            assign = ", ".join('"%s" = ?' % n for n in cols)
            for part in chunks(ids):
                self.execute('UPDATE "%s" SET %s WHERE id IN (%s)' % (model.table, assign, qmarks(len(part))),
                             list(cols.values()) + part)
        for f, commands in x2m:
            self.apply_x2many(model, f, ids, commands)
        if vals.get("parent_id") and model.recursion_message:
            self.check_recursion(model, ids)
        hook = model.hooks.get("after_write")
        if hook:
            hook(self, ids, vals)
        return True

    def check_recursion(self, model, ids):
        """Odoo's _check_recursion on parent_id (a new record cannot close a cycle)."""
        for rid in ids:
            found = self.execute(
                'WITH RECURSIVE up(id, depth) AS (SELECT parent_id, 1 FROM "%s" WHERE id = ? '
                'UNION ALL SELECT p.parent_id, up.depth + 1 FROM "%s" p JOIN up ON p.id = up.id '
                'WHERE up.depth < 10000) SELECT 1 FROM up WHERE id = ? LIMIT 1'
                % (model.table, model.table), (rid, rid)).fetchone()
            if found:
                raise errors.ValidationError(model.recursion_message)

    def apply_x2many(self, model, f, ids, commands):
        """Odoo x2many commands (0..6, or a plain id list for many2many)."""
        comodel = self.registry[f.relation]
        if commands is False or commands is None:
            commands = [(5,)]
        if commands and all(isinstance(c, int) and not isinstance(c, bool) for c in commands):
            commands = [(6, 0, list(commands))]
        for rid in ids:
            for cmd in commands:
                if not isinstance(cmd, (list, tuple)) or not cmd:
                    raise ValueError("Invalid command %r for field %s.%s" % (cmd, model.name, f.name))
                code = cmd[0]
                if code == 0:
                    vals = dict(cmd[2] or {})
                    if f.type == "one2many":
                        vals[f.inverse] = rid
                        self.create(comodel, [vals])
                    else:
                        self._m2m_link(f, rid, self.create(comodel, [vals]))
                elif code == 1:
                    self.write(comodel, [cmd[1]], dict(cmd[2] or {}))
                elif code == 2:
                    self.unlink(comodel, [cmd[1]])
                elif code == 3:
                    self._x2m_remove(f, comodel, rid, [cmd[1]])
                elif code == 4:
                    self.check_exist(comodel, [cmd[1]])
                    if f.type == "one2many":
                        self.write(comodel, [cmd[1]], {f.inverse: rid})
                    else:
                        self._m2m_link(f, rid, [cmd[1]])
                elif code == 5:
                    current = self.x2many_ids(model, f, [rid], active_test=False)[rid]
                    self._x2m_remove(f, comodel, rid, current)
                elif code == 6:
                    wanted = [int(i) for i in (cmd[2] or [])]
                    self.check_exist(comodel, wanted)
                    current = self.x2many_ids(model, f, [rid], active_test=False)[rid]
                    self._x2m_remove(f, comodel, rid, [i for i in current if i not in wanted])
                    if f.type == "one2many":
                        todo = [i for i in wanted if i not in current]
                        if todo:
                            self.write(comodel, todo, {f.inverse: rid})
                    else:
                        self._m2m_link(f, rid, wanted)
                else:
                    raise ValueError("Invalid command %r for field %s.%s" % (cmd, model.name, f.name))

    def _m2m_link(self, f, rid, targets):
        if isinstance(targets, int):
            targets = [targets]
        self.cr.executemany('INSERT OR IGNORE INTO "%s" ("%s", "%s") VALUES (?, ?)'
                            % (f.relation_table, f.column1, f.column2), [(rid, t) for t in targets])

    def _x2m_remove(self, f, comodel, rid, targets):
        if not targets:
            return
        if f.type == "many2many":
            for part in chunks(targets):
                self.execute('DELETE FROM "%s" WHERE "%s" = ? AND "%s" IN (%s)' % (
                    f.relation_table, f.column1, f.column2, qmarks(len(part))), [rid] + part)
            return
        inverse = comodel.fields[f.inverse]
        if inverse.required or inverse.ondelete == "cascade":
            self.unlink(comodel, targets)
        else:
            self.write(comodel, targets, {f.inverse: False})

    def unlink(self, model, ids):
        access.check(self, model, "unlink")
        ids = list(dict.fromkeys(ids))
        if not ids:
            return True
        self.check_exist(model, ids)
        doomed = set(ids)
        for other in self.registry.models.values():
            for f in other.fields.values():
                if f.type != "many2one" or f.relation != model.name or not f.column:
                    continue
                refs = []
                for part in chunks(ids):
                    refs += [r[0] for r in self.execute('SELECT id FROM "%s" WHERE "%s" IN (%s)' % (
                        other.table, f.name, qmarks(len(part))), part)]
                if other is model:
                    refs = [r for r in refs if r not in doomed]
                if not refs:
                    continue
                if f.ondelete == "cascade":
                    self.unlink(other, refs)
                elif f.ondelete == "restrict":
                    raise errors.ValidationError(
                        "The operation cannot be completed: another model requires the record being "
                        "deleted. If possible, archive it instead.\n\nModel: %s (%s)\nConstraint: %s_%s_fkey\n"
                        % (other.description, other.name, other.table, f.name))
                else:
                    for part in chunks(refs):
                        self.execute('UPDATE "%s" SET "%s" = NULL WHERE id IN (%s)' % (
                            other.table, f.name, qmarks(len(part))), part)
        for table, (c1, c2) in self.registry.m2m_tables().items():
            for f in self._m2m_fields(table):
                col = f.column1 if f.model is model else (f.column2 if f.relation == model.name else None)
                if col is None:
                    continue
                for part in chunks(ids):
                    self.execute('DELETE FROM "%s" WHERE "%s" IN (%s)' % (table, col, qmarks(len(part))), part)
        for part in chunks(ids):
            marks = qmarks(len(part))
            self.execute('DELETE FROM "%s" WHERE id IN (%s)' % (model.table, marks), part)
            self.execute("DELETE FROM ir_model_data WHERE model = ? AND res_id IN (%s)" % marks,
                         [model.name] + part)
        return True

    def _m2m_fields(self, table):
        return [f for m in self.registry.models.values() for f in m.fields.values()
                if f.type == "many2many" and f.relation_table == table and not f.stub]

    # ------------------------------------------------------------------
    # external ids (ir.model.data)
    # ------------------------------------------------------------------
    def xmlid_lookup(self, xmlid):
        """'module.name' -> (model, res_id) of an existing record, else None."""
        module, _, name = xmlid.partition(".")
        row = self.execute("SELECT model, res_id FROM ir_model_data WHERE module = ? AND name = ?",
                           (module, name)).fetchone()
        if not row:
            return None
        model = self.registry.models.get(row[0])
        if model is None or not self.execute('SELECT 1 FROM "%s" WHERE id = ?' % model.table,
                                             (row[1],)).fetchone():
            return None
        return row[0], row[1]

    def xmlids_of(self, model, ids):
        """{res_id: 'module.name'} (the last created one when several)."""
        out = {}
        for part in chunks(list(dict.fromkeys(ids))):
            for res_id, module, name in self.execute(
                    "SELECT res_id, module, name FROM ir_model_data WHERE model = ? AND res_id IN (%s)"
                    " ORDER BY id" % qmarks(len(part)), [model.name] + part):
                out[res_id] = "%s.%s" % (module, name) if module else name
        return out

    def set_xmlid(self, xmlid, model, res_id, noupdate=False):
        module, _, name = xmlid.partition(".")
        self.execute("DELETE FROM ir_model_data WHERE module = ? AND name = ?", (module, name))
        self.insert_xmlids([(module, name, model.name, res_id, noupdate)])

    def insert_xmlids(self, rows):
        now = self.now()
        data = []
        for module, name, model_name, res_id, noupdate in rows:
            data.append((self.db.next_id(self.cr, "ir_model_data"), module, name, model_name, res_id,
                         1 if noupdate else 0, self.uid, now, self.uid, now))
        self.cr.executemany(
            "INSERT INTO ir_model_data (id, module, name, model, res_id, noupdate, create_uid,"
            " create_date, write_uid, write_date) VALUES (?,?,?,?,?,?,?,?,?,?)", data)


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.date):
        return value.isoformat()
    value = str(value)
    datetime.datetime.strptime(value[:10], "%Y-%m-%d")
    return value[:10]


def _to_datetime(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    value = str(value)
    if len(value) == 10:
        datetime.datetime.strptime(value, "%Y-%m-%d")
        return value + " 00:00:00"
    datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    return value[:19]
