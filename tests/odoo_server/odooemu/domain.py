"""Odoo domains -> SQL WHERE clauses (SQLite dialect).

Follows odoo/osv/expression.py: prefix operators with implicit '&', the same
validation errors (messages copied from real Odoo), NULL semantics of
'=', '!=', 'in', 'not in' with False, wildcard wrapping of like/ilike, dotted
paths through many2one / x2many, child_of / parent_of over ``parent_id``.
"""

from .fields import X2MANY

TERM_OPERATORS = ("=", "!=", "<=", "<", ">", ">=", "=?", "=like", "=ilike", "like",
                  "not like", "ilike", "not ilike", "in", "not in", "child_of", "parent_of")
NEGATIVE = ("!=", "not like", "not ilike", "not in")
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)


def _leaf_repr(leaf):
    return repr(tuple(leaf))


def is_leaf(elem):
    return (isinstance(elem, (list, tuple)) and len(elem) == 3
            and isinstance(elem[1], str) and elem[1].lower() in TERM_OPERATORS
            and (isinstance(elem[0], str) or tuple(elem) in (TRUE_LEAF, FALSE_LEAF)))


# Odoo 19 reworded the errors of a bad leaf ("condition", Domain())
WORDING = {
    "17.0": {"leaf": "Invalid leaf %s", "field": "Invalid field %s.%s in leaf %s"},
    "19.0": {"leaf": "Invalid operator in condition %s", "field": "Invalid field %s.%s in condition %s"},
}


def wording(version):
    return WORDING.get(version, WORDING["17.0"])


def normalize(domain, version="17.0"):
    """Add the implicit '&' and check arity, like expression.normalize_domain."""
    if not domain:
        return [TRUE_LEAF]
    if not isinstance(domain, (list, tuple)):
        if version == "19.0":
            raise TypeError("Domain() invalid argument type for domain: %r" % (domain,))
        raise ValueError("Invalid domain: %r" % (domain,))
    result = []
    expected = 1
    op_arity = {"!": 1, "&": 2, "|": 2}
    for token in domain:
        if expected == 0:
            result[0:0] = ["&"]
            expected = 1
        if isinstance(token, (list, tuple)):
            expected -= 1
            token = tuple(token)
        elif token in op_arity:
            expected += op_arity[token] - 1
        else:
            raise ValueError("Invalid leaf %s" % (token,))
        result.append(token)
    if expected != 0:
        raise ValueError("Domain %s is syntactically not correct." % (domain,))
    return result


class Compiler:
    """Compiles one domain of one model; ``env`` gives models and rec names."""

    def __init__(self, env, model, alias):
        self.env = env
        self.model = model
        self.alias = alias
        self.version = env.db.version

    def compile(self, domain):
        tokens = normalize(domain, self.version)
        stack = []
        for token in reversed(tokens):
            if token == "!":
                sql, params = stack.pop()
                stack.append(("(NOT %s)" % sql, params))
            elif token in ("&", "|"):
                a_sql, a_params = stack.pop()
                b_sql, b_params = stack.pop()
                op = " AND " if token == "&" else " OR "
                stack.append(("(%s%s%s)" % (a_sql, op, b_sql), a_params + b_params))
            else:
                stack.append(self.leaf(token))
        sql, params = stack[0]
        for extra in stack[1:]:
            sql, params = "(%s AND %s)" % (sql, extra[0]), params + extra[1]
        return sql, params

    # -- leaves ------------------------------------------------------------
    def leaf(self, leaf):
        if not is_leaf(leaf):
            raise ValueError(wording(self.version)["leaf"] % _leaf_repr(leaf))
        left, operator, right = leaf
        operator = operator.lower()
        if tuple(leaf) == TRUE_LEAF:
            return "1=1", []
        if tuple(leaf) == FALSE_LEAF:
            return "1=0", []
        path = left.split(".", 1)
        field = self.model.fields.get(path[0])
        if field is None:
            raise ValueError(wording(self.version)["field"] % (self.model.name, path[0], _leaf_repr(leaf)))
        if operator == "=?":
            if right is False or right is None:
                return "1=1", []
            operator = "="
        if field.related and not field.store:
            # search a related field through its path
            return self.leaf((field.related + ("." + path[1] if len(path) > 1 else ""), operator, right))
        if field.name == "display_name":
            return self._rec_name_leaf(self.model, self.alias + ".id", operator, right)
        if field.stub or (not field.store and field.type not in X2MANY):
            raise ValueError("Non-stored field %s.%s cannot be searched." % (self.model.name, field.name))
        col = '%s."%s"' % (self.alias, field.name)
        if len(path) > 1:
            return self._path_leaf(field, path[1], operator, right)
        if operator in ("child_of", "parent_of"):
            return self._hierarchy_leaf(field, operator, right)
        if field.type == "many2one":
            return self._m2o_leaf(field, col, operator, right)
        if field.type in X2MANY:
            return self._x2many_leaf(field, operator, right)
        return self.column_leaf(field, col, operator, right)

    def column_leaf(self, field, col, operator, right):
        ftype = field.type
        if operator in ("in", "not in"):
            values = list(right) if isinstance(right, (list, tuple, set)) else [right]
            if ftype == "boolean":
                # False also matches NULL booleans
                values = [1 if v else 0 for v in values]
                has_null = 0 in values
            else:
                has_null = any(v is False or v is None for v in values)
                values = [self._value(field, v) for v in values if v is not False and v is not None]
            parts = []
            if values:
                parts.append("%s IN (%s)" % (col, ",".join("?" * len(values))))
            if has_null:
                parts.append("%s IS NULL" % col)
            sql = "(%s)" % " OR ".join(parts) if parts else "1=0"
            if operator == "not in":
                # rows whose value is NULL are "not in" a list without False
                sql = "(NOT %s%s)" % (sql, "" if has_null else " OR %s IS NULL" % col)
            return sql, values
        if right is False or right is None:
            if operator in ("=", "like", "ilike", "=like", "=ilike"):
                if ftype == "boolean":
                    return "(%s IS NULL OR %s = 0)" % (col, col), []
                return "%s IS NULL" % col, []
            if operator in ("!=", "not like", "not ilike"):
                if ftype == "boolean":
                    return "(%s = 1)" % col, []
                return "%s IS NOT NULL" % col, []
        if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            pattern = str(right)
            if not operator.startswith("="):
                pattern = "%%%s%%" % pattern
            if "ilike" in operator:
                expr = "py_lower(%s) LIKE py_lower(?) ESCAPE '\\'" % col
            else:
                expr = "%s LIKE ? ESCAPE '\\'" % col
            if operator.startswith("not"):
                return "(%s IS NULL OR NOT (%s))" % (col, expr), [pattern]
            return expr, [pattern]
        value = self._value(field, right)
        if ftype == "boolean" and operator in ("=", "!="):
            truthy = bool(right)
            if (operator == "=") == truthy:
                return "(%s = 1)" % col, []
            return "(%s IS NULL OR %s = 0)" % (col, col), []
        if operator == "!=":
            return "(%s != ? OR %s IS NULL)" % (col, col), [value]
        return "%s %s ?" % (col, operator), [value]

    @staticmethod
    def _value(field, v):
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, (list, tuple)) and field.type == "many2one" and v:
            return v[0]
        return v

    def _subquery(self, comodel, domain, select="id", active_test=False):
        sub = self.env.query_ids_sql(comodel, domain, active_test=active_test, select=select)
        return sub

    def _m2o_leaf(self, field, col, operator, right):
        comodel = self.env.registry[field.relation]
        is_name = isinstance(right, str) or (
            isinstance(right, (list, tuple)) and right and all(isinstance(v, str) for v in right))
        if is_name and operator not in ("=like", "=ilike"):
            # many2one compared to a string: name search on the comodel
            positive = operator not in NEGATIVE
            pos_op = {"!=": "=", "not like": "like", "not ilike": "ilike", "not in": "in"}.get(operator, operator)
            names = right if isinstance(right, (list, tuple)) else [right]
            dom = []
            for n in names:
                dom = (["|"] + dom if dom else []) + self.env.rec_name_domain(comodel, pos_op if pos_op != "in" else "=", n)
            sub_sql, sub_params = self._subquery(comodel, dom)
            if positive:
                return "%s IN (%s)" % (col, sub_sql), sub_params
            return "(%s IS NULL OR %s NOT IN (%s))" % (col, col, sub_sql), sub_params
        return self.column_leaf(field, col, operator, right)

    def _x2many_leaf(self, field, operator, right):
        comodel = self.env.registry[field.relation]
        link, target = self._x2many_link(field)
        if right is False or right is None or right == []:
            exists = "EXISTS (%s)" % link.format(cond="1=1")
            if operator in ("=", "in", "like", "ilike"):
                return "NOT " + exists, []
            return exists, []
        negative = operator in NEGATIVE
        pos_op = {"!=": "=", "not like": "like", "not ilike": "ilike", "not in": "in"}.get(operator, operator)
        values = right if isinstance(right, (list, tuple)) else [right]
        if all(isinstance(v, str) for v in values):
            dom = []
            for n in values:
                dom = (["|"] + dom if dom else []) + self.env.rec_name_domain(
                    comodel, "=" if pos_op == "in" else pos_op, n)
            sub_sql, params = self._subquery(comodel, dom)
            cond = "%s IN (%s)" % (target, sub_sql)
        elif pos_op in ("=", "in"):
            ids = [int(v) for v in values]
            cond, params = "%s IN (%s)" % (target, ",".join("?" * len(ids))), ids
        else:
            sub_sql, params = self._subquery(comodel, [("id", pos_op, right)])
            cond = "%s IN (%s)" % (target, sub_sql)
        exists = "EXISTS (%s)" % link.format(cond=cond)
        return ("NOT " + exists if negative else exists), params

    def _x2many_link(self, field):
        """(SQL template selecting the related rows of the current record
        with a ``{cond}`` placeholder, expression of the related id)."""
        if field.type == "many2many":
            return ('SELECT 1 FROM "%s" r WHERE r."%s" = %s.id AND {cond}'
                    % (field.relation_table, field.column1, self.alias)), 'r."%s"' % field.column2
        comodel = self.env.registry[field.relation]
        return ('SELECT 1 FROM "%s" c WHERE c."%s" = %s.id AND {cond}'
                % (comodel.table, field.inverse, self.alias)), "c.id"

    def _path_leaf(self, field, rest, operator, right):
        comodel = self.env.registry[field.relation]
        sub_sql, sub_params = self._subquery(comodel, [(rest, operator, right)])
        if field.type == "many2one":
            return '%s."%s" IN (%s)' % (self.alias, field.name, sub_sql), sub_params
        # x2many path: some related record matches (Odoo 17 semantics)
        link, target = self._x2many_link(field)
        return "EXISTS (%s)" % link.format(cond="%s IN (%s)" % (target, sub_sql)), sub_params

    def _hierarchy_leaf(self, field, operator, right):
        target_model = self.model if field.name == "id" else self.env.registry[field.relation]
        ids = self.env.to_ids(target_model, right)
        parent = "parent_id"
        if parent not in target_model.fields:
            raise ValueError("Invalid field %s.%s" % (target_model.name, parent))
        if not ids:
            return "1=0", []
        marks = ",".join("?" * len(ids))
        if operator == "child_of":
            walk = ('WITH RECURSIVE h(id) AS (SELECT id FROM "{t}" WHERE id IN ({m}) '
                    'UNION SELECT x.id FROM "{t}" x JOIN h ON x."{p}" = h.id) SELECT id FROM h')
        else:
            walk = ('WITH RECURSIVE h(id) AS (SELECT id FROM "{t}" WHERE id IN ({m}) '
                    'UNION SELECT x."{p}" FROM "{t}" x JOIN h ON x.id = h.id WHERE x."{p}" IS NOT NULL) '
                    'SELECT id FROM h')
        walk = walk.format(t=target_model.table, m=marks, p=parent)
        if field.name == "id":
            return "%s.id IN (%s)" % (self.alias, walk), list(ids)
        if field.type == "many2one":
            return '%s."%s" IN (%s)' % (self.alias, field.name, walk), list(ids)
        link, target = self._x2many_link(field)
        return "EXISTS (%s)" % link.format(cond="%s IN (%s)" % (target, walk)), list(ids)

    def _rec_name_leaf(self, model, id_expr, operator, right):
        dom = self.env.rec_name_domain(model, operator, right)
        sub_sql, params = self._subquery(model, dom)
        return "%s IN (%s)" % (id_expr, sub_sql), params


def parse_order(model, order, registry=None, version="17.0"):
    """'name asc, id desc' -> [(field, 'ASC'|'DESC')], validated like Odoo:
    stored fields, and fields inherited from an _inherits parent."""
    result = []
    if not order:
        return result
    for part in order.split(","):
        words = part.strip().split()
        if not words:
            continue
        fname = words[0].strip('"')
        direction = words[1].upper() if len(words) > 1 else "ASC"
        field = model.fields.get(fname)
        if field is None and version == "19.0":
            raise ValueError("Invalid field %r on model %r" % (fname, model.name))
        if (field is None or direction not in ("ASC", "DESC") or len(words) > 4
                or not (field.column or field.name == "id"
                        or (registry is not None and field.sort_target(registry)))):
            raise ValueError(
                'Invalid "order" specified (%s). A valid "order" specification is a comma-separated '
                "list of valid field names (optionally followed by asc/desc for the direction)" % order)
        result.append((field, direction))
    return result
