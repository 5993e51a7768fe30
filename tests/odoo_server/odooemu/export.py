"""``Model.export_data(ids, fields)``: BaseModel._export_rows of Odoo 17.

The row layout is Odoo's algorithm verbatim (main line per record, x2many
sub-fields merged into it and extra lines appended for further related
records, import-compatible many2many in one comma-joined cell), but values
are prefetched in bulk per (model, field) before the rows are built, so a
batch costs a handful of queries instead of several per record.

Missing external ids are created as ``__export__.<table>_<id>_<8 hex>``.
"""

import datetime
import uuid
import zoneinfo

from .load import fix_import_export_id_paths


class XmlRef:
    """Placeholder for the external id(s) of records, resolved at the end."""
    __slots__ = ("model", "ids", "single")

    def __init__(self, model, ids, single):
        self.model = model
        self.ids = ids
        self.single = single

    def __bool__(self):
        return True


def export_value(field, value, tz=None):
    """Field.convert_to_export for non-relational fields; datetimes are
    shown in ``tz`` (a zoneinfo.ZoneInfo, None: UTC) as Odoo's
    Datetime.convert_to_export does through context_timestamp."""
    t = field.type
    if t == "datetime" and value and tz is not None:
        utc = datetime.datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        return utc.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    if t == "boolean":
        return bool(value)
    if t in ("integer", "float", "monetary"):
        return value if value or value == 0 else ""
    if t == "selection":
        return field.labels().get(value, value) if value else ""
    return value if value else ""


class Exporter:
    def __init__(self, env):
        self.env = env
        self.import_compat = env.context.get("import_compat", True)
        self.values = {}        # model name -> {id: {field: value}}
        self.tz = self.timezone(env)

    @staticmethod
    def timezone(env):
        """context_timestamp's zone: the context's tz, else the user's; an
        unknown name is UTC (Odoo logs it and keeps UTC)."""
        name = env.context.get("tz")
        if not name:
            row = env.execute("SELECT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id"
                              " WHERE u.id = ?", (env.uid,)).fetchone()
            name = row[0] if row else None
        if not name or not isinstance(name, str):
            return None
        try:
            return zoneinfo.ZoneInfo(name)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            return None

    def export(self, model, ids, fields_to_export):
        paths = [fix_import_export_id_paths(f) for f in fields_to_export]
        for p in paths:
            if p[0] not in ("id", ".id") and p[0] not in model.fields:
                raise KeyError(p[0])
        self.prefetch(model, ids, paths)
        lines = self.rows(model, ids, paths)
        return {"datas": self.resolve_xmlids(lines)}

    # ------------------------------------------------------------------
    def prefetch(self, model, ids, paths):
        """Load every value ``rows`` will need, recursively, in bulk."""
        env = self.env
        names = []
        for p in paths:
            if p and p[0] not in ("id", ".id") and p[0] not in names:
                names.append(p[0])
        cache = self.values.setdefault(model.name, {})
        for name in names:
            field = model.fields[name]
            todo = [i for i in ids if name not in cache.get(i, ())]
            if todo:
                computed = field.compute and not field.column
                columns = [f.name for f in model.fields.values() if f.column] if computed else (
                    [name] if field.column else [])
                rows = env.fetch(model, todo, columns)
                present = [i for i in todo if i in rows]
                vals = env.field_values(model, field, present, rows, load=None)
                for i in present:
                    v = vals[i]
                    if field.type == "many2one" and not field.stub:
                        v = [v] if v else []
                    cache.setdefault(i, {})[name] = v
            if field.relational and not field.stub:
                sub_ids = []
                seen = set()
                for i in ids:
                    for r in cache.get(i, {}).get(name, ()):
                        if r not in seen:
                            seen.add(r)
                            sub_ids.append(r)
                comodel = env.registry[field.relation]
                subpaths = [(p[1:] or ["display_name"]) for p in paths if p and p[0] == name]
                if field.type == "many2many" and self.import_compat:
                    subpaths = [["display_name"]]
                self.prefetch(comodel, sub_ids, subpaths)

    def rows(self, model, ids, paths):
        cache = self.values.get(model.name, {})
        lines = []
        for rid in ids:
            if rid not in cache and any(p and p[0] not in ("id", ".id") for p in paths):
                continue
            record = cache.get(rid, {})
            current = [""] * len(paths)
            lines.append(current)
            primary_done = []
            for i, path in enumerate(paths):
                if not path:
                    continue
                name = path[0]
                if name in primary_done:
                    continue
                if name == ".id":
                    current[i] = str(rid)
                elif name == "id":
                    current[i] = XmlRef(model.name, [rid], True)
                else:
                    field = model.fields[name]
                    value = record.get(name)
                    if not field.relational:
                        current[i] = export_value(field, value, self.tz)
                        continue
                    primary_done.append(name)
                    if field.stub:
                        current[i] = ""
                        continue
                    comodel = self.env.registry[field.relation]
                    fields2 = [(p[1:] or ["display_name"]) if p and p[0] == name else [] for p in paths]
                    if self.import_compat and field.type == "many2many":
                        index = None
                        for sub in ("id", "name", "display_name"):
                            if [sub] in fields2:
                                index = fields2.index([sub])
                                break
                        else:
                            sub = None
                            index = i
                        if sub == "id":
                            current[index] = XmlRef(comodel.name, list(value), False)
                        else:
                            names = self.values.get(comodel.name, {})
                            current[index] = ",".join(
                                names.get(r, {}).get("display_name") or "" for r in value)
                        continue
                    lines2 = self.rows(comodel, list(value or ()), fields2)
                    if lines2:
                        # merge first line with record's main line
                        for j, val in enumerate(lines2[0]):
                            if val or isinstance(val, (int, float)):
                                current[j] = val
                        lines += lines2[1:]
                    else:
                        current[i] = ""
        return lines

    # ------------------------------------------------------------------
    def resolve_xmlids(self, lines):
        wanted = {}
        for line in lines:
            for val in line:
                if isinstance(val, XmlRef):
                    wanted.setdefault(val.model, set()).update(val.ids)
        xmlids = {name: self.ensure_xmlids(self.env.registry[name], sorted(ids))
                  for name, ids in wanted.items()}
        for line in lines:
            for j, val in enumerate(line):
                if isinstance(val, XmlRef):
                    refs = [xmlids[val.model][r] for r in val.ids]
                    line[j] = refs[0] if val.single else ",".join(refs)
        return lines

    def ensure_xmlids(self, model, ids):
        """BaseModel.__ensure_xml_id: {id: xmlid}, creating missing ones."""
        env = self.env
        found = env.xmlids_of(model, ids)
        missing = [i for i in ids if i not in found]
        if missing:
            rows = []
            for i in missing:
                name = "%s_%s_%s" % (model.table, i, uuid.uuid4().hex[:8])
                rows.append(("__export__", name, model.name, i, False))
                found[i] = "__export__." + name
            if env.xmlid_race_ms:
                env.pending_xmlids.extend(rows)    # created after a gap (services.call_model)
            else:
                env.insert_xmlids(rows)
        return found
