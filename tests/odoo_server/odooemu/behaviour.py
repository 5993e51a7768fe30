"""Model-specific behaviour: stored computed fields, display names, defaults.

res.partner keeps Odoo 17's stored ``complete_name`` (which is also its
display name and default sort key), ``commercial_partner_id`` and
``commercial_company_name`` up to date after create/write, including for
descendants when a parent's name or company flag changes.
"""

from .orm import chunks, qmarks

DISPLAYED_TYPES = {"invoice": "Invoice Address", "delivery": "Delivery Address", "other": "Other Address"}
PARTNER_DEPS = {"name", "parent_id", "is_company", "type", "company_name"}


def partner_complete_name(name, type_, is_company, parent_name, commercial_company_name, company_name):
    """res.partner._get_complete_name (Odoo 17)."""
    name = name or ""
    if company_name or parent_name is not None:
        if not name and type_ in DISPLAYED_TYPES:
            name = DISPLAYED_TYPES[type_]
        if not is_company:
            name = "%s, %s" % (commercial_company_name or parent_name or "", name)
    return name.strip()


def recompute_partners(env, ids):
    """Recompute the stored derived fields of partners ``ids`` (parents first)."""
    if not ids:
        return
    cols = ["name", "type", "is_company", "parent_id", "company_name", "email",
            "commercial_partner_id", "commercial_company_name"]
    model = env.registry["res.partner"]
    rows = env.fetch(model, ids, cols)
    outside = {r["parent_id"] for r in rows.values() if r["parent_id"] and r["parent_id"] not in rows}
    known = env.fetch(model, list(outside), cols) if outside else {}
    done = {}

    def commercial(pid):
        """(commercial partner id, commercial name) of partner pid."""
        if pid in done:
            return done[pid]
        r = rows.get(pid)
        if r is None:   # not recomputed: trust its stored values
            r = known[pid]
            c = r["commercial_partner_id"] or pid
            res = (c, r["commercial_company_name"])
        elif r["is_company"] or not r["parent_id"]:
            res = (pid, r["name"] if r["is_company"] else r["company_name"])
        else:
            parent = r["parent_id"]
            if parent not in rows and parent not in known:
                known.update(env.fetch(model, [parent], cols))
            res = commercial(parent) if parent in rows or parent in known else (pid, r["company_name"])
        done[pid] = res
        return res

    updates = []
    for pid, r in rows.items():
        cid, cname = commercial(pid)
        parent = r["parent_id"]
        parent_name = None
        if parent:
            prow = rows.get(parent) or known.get(parent)
            parent_name = (prow["name"] if prow else "") or ""
        complete = partner_complete_name(r["name"], r["type"], r["is_company"], parent_name,
                                         cname, r["company_name"])
        email = r["email"].strip().lower() if r["email"] else None
        updates.append((complete, cid, cname or None, email, pid))
    env.cr.executemany('UPDATE res_partner SET complete_name = ?, commercial_partner_id = ?, '
                       'commercial_company_name = ?, email_normalized = ? WHERE id = ?', updates)


def descendants(env, ids):
    out = []
    for part in chunks(list(ids)):
        out += [r[0] for r in env.execute(
            "WITH RECURSIVE h(id) AS (SELECT id FROM res_partner WHERE parent_id IN (%s) "
            "UNION SELECT p.id FROM res_partner p JOIN h ON p.parent_id = h.id) SELECT id FROM h"
            % qmarks(len(part)), part)]
    return out


ADDRESS_FIELDS = ("street", "street2", "zip", "city", "country_id")   # state_id: not emulated
COMMERCIAL_FIELDS = ("vat", "company_registry")


def _update_address(env, ids, values):
    """Partner.update_address: a plain write (no further sync) of address fields."""
    addr = {k: values[k] for k in ADDRESS_FIELDS if k in values}
    if addr and ids:
        assign = ", ".join('"%s" = ?' % k for k in addr)
        for part in chunks(list(ids)):
            env.execute('UPDATE res_partner SET %s WHERE id IN (%s)' % (assign, qmarks(len(part))),
                        list(addr.values()) + part)


def fields_sync(env, ids, values_of):
    """res.partner._fields_sync after create/write: the parent's address is
    copied to contacts (when the parent has one), commercial fields come from
    the commercial entity, and address changes flow down to child contacts."""
    model = env.registry["res.partner"]
    cols = list(ADDRESS_FIELDS) + list(COMMERCIAL_FIELDS) + ["type", "parent_id", "commercial_partner_id"]
    rows = env.fetch(model, ids, cols)
    for pid in sorted(rows):
        values = values_of(pid)
        row = rows[pid]
        # 1. from upstream
        if values.get("parent_id") or values.get("type") == "contact":
            if values.get("parent_id") and row["commercial_partner_id"] not in (None, pid):
                com = env.fetch(model, [row["commercial_partner_id"]], COMMERCIAL_FIELDS)
                com = com.get(row["commercial_partner_id"])
                if com:
                    assign = ", ".join('"%s" = ?' % k for k in COMMERCIAL_FIELDS)
                    env.execute("UPDATE res_partner SET %s WHERE id = ?" % assign,
                                [com[k] for k in COMMERCIAL_FIELDS] + [pid])
            if row["parent_id"] and row["type"] == "contact":
                parent = env.fetch(model, [row["parent_id"]], ADDRESS_FIELDS).get(row["parent_id"])
                if parent and any(parent[k] for k in ADDRESS_FIELDS):
                    _update_address(env, [pid], parent)
        # 2. to downstream: direct children contacts get the changed address fields
        if any(k in values for k in ADDRESS_FIELDS):
            fresh = env.fetch(model, [pid], ADDRESS_FIELDS)[pid]
            children = [r[0] for r in env.execute(
                "SELECT id FROM res_partner WHERE parent_id = ? AND type = 'contact'", (pid,))]
            _update_address(env, children, {k: fresh[k] for k in ADDRESS_FIELDS if k in values})


def after_create(env, ids, vals_list):
    recompute_partners(env, ids)
    by_id = dict(zip(ids, vals_list))
    fields_sync(env, ids, lambda pid: by_id.get(pid, {}))


def after_write(env, ids, vals):
    if PARTNER_DEPS.intersection(vals):
        recompute_partners(env, list(ids) + [i for i in descendants(env, ids) if i not in set(ids)])
    elif "email" in vals:
        recompute_partners(env, ids)
    fields_sync(env, ids, lambda pid: vals)


def category_display_names(env, model, ids):
    """'Parent / Child' paths, like res.partner.category's display_name."""
    rows = env.fetch(model, ids, ["name", "parent_id"])
    todo = {r["parent_id"] for r in rows.values() if r["parent_id"]} - set(rows)
    while todo:
        fetched = env.fetch(model, list(todo), ["name", "parent_id"])
        rows.update(fetched)
        todo = {r["parent_id"] for r in fetched.values() if r["parent_id"]} - set(rows)

    def path(i, seen=()):
        r = rows.get(i)
        if r is None or i in seen:
            return []
        return path(r["parent_id"], seen + (i,)) + [r["name"] or ""] if r["parent_id"] else [r["name"] or ""]

    return {i: " / ".join(path(i)) for i in ids if i in rows}


def user_display_names(env, model, ids):
    rows = env.fetch(model, ids, ["partner_id"])
    partners = env.fetch(env.registry["res.partner"], [r["partner_id"] for r in rows.values()], ["name"])
    return {i: (partners.get(r["partner_id"]) or {}).get("name") or "" for i, r in rows.items()}


def imd_display_names(env, model, ids):
    rows = env.fetch(model, ids, ["module", "name"])
    return {i: "%s.%s" % (r["module"], r["name"]) for i, r in rows.items()}


def product_display_names(env, model, ids):
    """'[CODE] Name' for products and templates."""
    if model.name == "product.product":
        rows = env.fetch(model, ids, ["product_tmpl_id", "default_code"])
        tmpl = env.fetch(env.registry["product.template"], [r["product_tmpl_id"] for r in rows.values()],
                         ["name"])
        names = {i: ((tmpl.get(r["product_tmpl_id"]) or {}).get("name") or "", r["default_code"])
                 for i, r in rows.items()}
    else:
        rows = env.fetch(model, ids, ["name", "default_code"])
        names = {i: (r["name"] or "", r["default_code"]) for i, r in rows.items()}
    return {i: "[%s] %s" % (code, name) if code else name for i, (name, code) in names.items()}


TEMPLATE_FIELDS = ("name", "list_price", "type", "sale_ok", "purchase_ok", "description",
                   "description_sale", "priority", "categ_id", "uom_id")


def variant_before_create(env, vals_list):
    """Creating a product.product without template creates the template."""
    tmpl_model = env.registry["product.template"]
    for vals in vals_list:
        tmpl_vals = {k: vals.pop(k) for k in TEMPLATE_FIELDS if k in vals}
        if not vals.get("product_tmpl_id"):
            tmpl_vals.setdefault("default_code", vals.get("default_code"))
            [vals["product_tmpl_id"]] = env.with_context(create_product_product=False).create(
                tmpl_model, [tmpl_vals])
        elif tmpl_vals:
            env.write(tmpl_model, [vals["product_tmpl_id"]], tmpl_vals)


def variant_after_write(env, ids, vals):
    tmpl_vals = {k: vals[k] for k in TEMPLATE_FIELDS if k in vals}
    if tmpl_vals:
        rows = env.fetch(env.registry["product.product"], ids, ["product_tmpl_id"])
        env.write(env.registry["product.template"], [r["product_tmpl_id"] for r in rows.values()], tmpl_vals)


def template_after_create(env, ids, vals_list):
    """Each new template gets its single variant, as in Odoo without variants."""
    if env.context.get("create_product_product") is False:
        return
    variant = env.registry["product.product"]
    for tid, vals in zip(ids, vals_list):
        if vals.get("product_variant_ids"):
            continue
        env.with_context(create_product_product=False).create(
            variant, [{"product_tmpl_id": tid, "default_code": vals.get("default_code"),
                       "barcode": vals.get("barcode")}])


def order_before_create(env, vals_list):
    """sale.order names come from a sequence (S00001 ...) when left to 'New'."""
    for vals in vals_list:
        if vals.get("name", "New") == "New":
            vals["name"] = "S%05d" % _next_sequence(env, "sale.order")


def _next_sequence(env, code):
    row = env.execute("SELECT value FROM odf_meta WHERE key = ?", ("seq:" + code,)).fetchone()
    value = int(row[0]) + 1 if row else 1
    env.execute("INSERT OR REPLACE INTO odf_meta (key, value) VALUES (?, ?)", ("seq:" + code, str(value)))
    return value


def line_before_create(env, vals_list):
    """sale.order.line.name defaults to the product's display name."""
    product = env.registry["product.product"]
    for vals in vals_list:
        if not vals.get("name") and vals.get("product_id"):
            vals["name"] = product_display_names(env, product, [vals["product_id"]]).get(vals["product_id"])
