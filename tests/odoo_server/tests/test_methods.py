"""Model methods with Odoo's semantics: search/read/write/..., domains, load, export_data."""

import re
import unittest

from fixtures import Emulator, RpcError

DB = "t"


class Base(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB])

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def call(self, model, method, args=(), kwargs=None, db=DB):
        return self.emu.call(db, model, method, args, kwargs)

    def error(self, model, method, args=(), kwargs=None):
        with self.assertRaises(RpcError) as cm:
            self.call(model, method, args, kwargs)
        return cm.exception

    def ids(self, domain, **kw):
        return self.call("res.partner", "search", [domain], dict({"order": "id"}, **kw))


class TestServices(Base):
    def test_version_login(self):
        r = self.emu.rpc("common", "version")["result"]
        self.assertEqual(r["server_version_info"][0], 17)
        self.assertEqual(self.emu.rpc("common", "login", DB, "admin", "admin")["result"], 2)
        self.assertIs(self.emu.rpc("common", "login", DB, "admin", "bad")["result"], False)
        self.assertIs(self.emu.rpc("common", "authenticate", DB, "nobody", "admin", {})["result"], False)
        # the API key is accepted as a password, as in Odoo
        self.assertEqual(self.emu.rpc("common", "login", DB, "admin", "test-key")["result"], 2)

    def test_unknown_db_service(self):
        err = self.emu.rpc("common", "login", "nope", "admin", "admin")["error"]
        self.assertEqual(err["data"]["name"], "psycopg2.OperationalError")
        self.assertIn('database "nope" does not exist', err["data"]["message"])
        err = self.emu.rpc("nope", "x")["error"]
        self.assertEqual((err["data"]["name"], err["data"]["message"]), ("builtins.KeyError", "nope"))
        self.assertIn(DB, self.emu.rpc("db", "list")["result"])

    def test_auth_errors(self):
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.partner", "search", [[]], password="x")
        self.assertEqual(cm.exception.name, "odoo.exceptions.AccessDenied")
        with self.assertRaises(RpcError) as cm:
            self.emu.call(DB, "res.partner", "search", [[]], uid=999)
        self.assertEqual(cm.exception.name, "odoo.exceptions.MissingError")

    def test_method_errors(self):
        self.assertEqual(self.error("res.nope", "search", [[]]).name, "odoo.exceptions.UserError")
        self.assertEqual(self.error("res.partner", "_private", [[]]).name, "odoo.exceptions.AccessError")
        self.assertEqual(self.error("res.partner", "frobnicate", [[]]).name, "builtins.AttributeError")
        e = self.error("res.partner", "search", [[]], {"bogus": 1})
        self.assertEqual(e.name, "builtins.TypeError")


class TestFieldsGet(Base):
    def test_attributes(self):
        r = self.call("res.partner", "fields_get", [], {"attributes": ["type", "relation", "store", "selection"]})
        self.assertEqual(r["country_id"], {"relation": "res.country", "store": True, "type": "many2one"})
        self.assertEqual(r["display_name"], {"store": False, "type": "char"})
        self.assertEqual(r["type"]["selection"][1], ["invoice", "Invoice Address"])
        full = self.call("res.partner", "fields_get", [["child_ids", "create_date"]])
        self.assertEqual(set(full), {"child_ids", "create_date"})
        self.assertEqual(full["child_ids"]["relation_field"], "parent_id")
        self.assertTrue(full["create_date"]["readonly"])
        for model in ("res.partner.category", "res.country", "product.product", "product.template",
                      "sale.order", "sale.order.line", "res.users", "ir.model.data"):
            self.assertIn("id", self.call(model, "fields_get"))


class TestCrud(Base):
    def test_create_read_write_unlink(self):
        cid = self.call("res.partner", "create", [{"name": "Crud Co", "is_company": True, "country_id": 20,
                                                   "street": "Main 1", "comment": "a & b"}])
        ids = self.call("res.partner", "create", [[{"name": "Crud A", "parent_id": cid},
                                                   {"name": "Crud B", "parent_id": cid, "type": "invoice"}]])
        self.assertEqual(len(ids), 2)
        [co] = self.call("res.partner", "read", [[cid]], {"fields": ["comment", "child_ids", "display_name",
                                                                     "company_type", "country_code"]})
        self.assertEqual(co["comment"], "<p>a &amp; b</p>")
        self.assertEqual(co["child_ids"], ids)
        self.assertEqual((co["company_type"], co["country_code"]), ("company", "BE"))
        a = self.call("res.partner", "read", [ids], {"fields": ["display_name", "country_id", "street",
                                                                "commercial_partner_id"]})
        # contacts take the company's address (Odoo's address sync)
        self.assertEqual(a[0]["display_name"], "Crud Co, Crud A")
        self.assertEqual(a[0]["country_id"], [20, "Belgium"])
        self.assertIs(a[1]["street"], False)       # only type "contact" follows the company
        self.assertEqual(a[0]["commercial_partner_id"], [cid, "Crud Co"])
        # renaming the company renames the contacts' display names; address flows down
        self.assertIs(self.call("res.partner", "write", [[cid], {"name": "Crud Corp", "street": "Main 2"}]), True)
        a = self.call("res.partner", "read", [ids, ["display_name", "street"]])
        self.assertEqual(a[0]["display_name"], "Crud Corp, Crud A")
        self.assertEqual(a[0]["street"], "Main 2")
        self.assertIs(self.call("res.partner", "unlink", [ids[1:]]), True)
        self.assertEqual(self.call("res.partner", "read", [ids, ["name"]]), [{"id": ids[0], "name": "Crud A"}])
        e = self.error("res.partner", "write", [ids[1:], {"name": "x"}])
        self.assertEqual(e.name, "odoo.exceptions.MissingError")
        self.assertIn("res.partner(%d,)" % ids[1], e.message)

    def test_x2many_commands(self):
        t1 = self.call("res.partner.category", "create", [{"name": "X2M one"}])
        t2 = self.call("res.partner.category", "create", [{"name": "X2M two"}])
        pid = self.call("res.partner", "create", [{"name": "X2M", "category_id": [(6, 0, [t1, t2])],
                                                   "child_ids": [(0, 0, {"name": "X2M child"})]}])
        r = self.call("res.partner", "read", [[pid], ["category_id", "child_ids"]])[0]
        self.assertEqual(r["category_id"], [t1, t2])
        self.assertEqual(len(r["child_ids"]), 1)
        self.call("res.partner", "write", [[pid], {"category_id": [(3, t1), (4, t2)], "child_ids": [(5,)]}])
        r = self.call("res.partner", "read", [[pid], ["category_id", "child_ids"]])[0]
        self.assertEqual((r["category_id"], r["child_ids"]), ([t2], []))
        self.call("res.partner", "write", [[pid], {"category_id": [t1]}])     # plain id list = set
        self.assertEqual(self.call("res.partner", "read", [[pid], ["category_id"]])[0]["category_id"], [t1])
        # deleting a tag removes the relation
        self.call("res.partner.category", "unlink", [[t1]])
        self.assertEqual(self.call("res.partner", "read", [[pid], ["category_id"]])[0]["category_id"], [])

    def test_errors(self):
        e = self.error("res.partner.category", "create", [{"color": 1}])
        self.assertEqual(e.name, "odoo.exceptions.ValidationError")
        self.assertIn("Field: Tag Name (name)", e.message)
        e = self.error("res.partner", "create", [{"email": "no@name"}])
        self.assertEqual(e.message, "The operation cannot be completed: Contacts require a name")
        # name is only required for contacts
        self.assertIsInstance(self.call("res.partner", "create", [{"type": "invoice"}]), int)
        e = self.error("res.partner", "create", [{"name": "x", "type": "bogus"}])
        self.assertEqual(e.name, "builtins.ValueError")
        e = self.error("res.partner", "create", [{"name": "x", "country_id": 99999}])
        self.assertIn("res.country(99999,)", e.message)
        e = self.error("res.partner", "read", [[1], ["nope"]])
        self.assertEqual(e.name, "builtins.ValueError")
        e = self.error("res.partner", "unlink", [[3]])      # admin's partner: res.users restricts
        self.assertIn("res_users_partner_id_fkey", e.message)

    def test_recursion(self):
        a = self.call("res.partner", "create", [{"name": "Rec A"}])
        b = self.call("res.partner", "create", [{"name": "Rec B", "parent_id": a}])
        e = self.error("res.partner", "write", [[a], {"parent_id": b}])
        self.assertEqual(e.message, "You cannot create recursive Partner hierarchies.")
        t = self.call("res.partner.category", "create", [{"name": "Rec T"}])
        e = self.error("res.partner.category", "write", [[t], {"parent_id": t}])
        self.assertEqual(e.message, "You can not create recursive tags.")

    def test_unlink_cascade(self):
        order = self.call("sale.order", "create", [{"partner_id": 3, "order_line": [
            (0, 0, {"name": "L1", "product_uom_qty": 2, "price_unit": 5.0}),
            (0, 0, {"name": "L2", "price_unit": 1.5})]}])
        r = self.call("sale.order", "read", [[order], ["name", "order_line", "amount_total", "state"]])[0]
        self.assertTrue(re.match(r"S\d{5}$", r["name"]))
        self.assertEqual((len(r["order_line"]), r["amount_total"], r["state"]), (2, 11.5, "draft"))
        self.call("sale.order", "unlink", [[order]])
        self.assertEqual(self.call("sale.order.line", "search_count", [[["id", "in", r["order_line"]]]]), 0)

    def test_products(self):
        pid = self.call("product.product", "create", [{"name": "Widget", "default_code": "W1", "list_price": 3}])
        r = self.call("product.product", "read", [[pid], ["display_name", "lst_price", "product_tmpl_id"]])[0]
        self.assertEqual((r["display_name"], r["lst_price"]), ("[W1] Widget", 3.0))
        tid = self.call("product.template", "create", [{"name": "Gadget"}])
        self.assertEqual(len(self.call("product.template", "read", [[tid], ["product_variant_ids"]])[0]
                             ["product_variant_ids"]), 1)
        line = self.call("sale.order.line", "create", [{"order_id": self.call("sale.order", "create", [
            {"partner_id": 3}]), "product_id": pid}])
        self.assertEqual(self.call("sale.order.line", "read", [[line], ["name"]])[0]["name"], "[W1] Widget")


class TestSearch(Base):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = lambda vals: cls.emu.call(DB, "res.partner", "create", [vals])  # noqa: E731
        cls.tag = cls.emu.call(DB, "res.partner.category", "create", [{"name": "Dom Tag"}])
        cls.top = c({"name": "Dom Top", "is_company": True, "country_id": 20, "category_id": [(6, 0, [cls.tag])]})
        cls.mid = c({"name": "Dom Mid", "parent_id": cls.top, "email": "Mid@Example.com", "color": 5})
        cls.leaf = c({"name": "Dom Lëaf_%", "parent_id": cls.mid, "color": 7})
        cls.arch = c({"name": "Dom Archived", "active": False})
        cls.other = c({"name": "dom other", "country_id": 75})

    def test_operators(self):
        dom = [("name", "=like", "Dom%")]
        self.assertEqual(self.ids(dom), [self.top, self.mid, self.leaf])
        self.assertEqual(self.ids([("name", "=ilike", "dom%")]), [self.top, self.mid, self.leaf, self.other])
        self.assertEqual(self.ids([("name", "like", "Dom M")]), [self.mid])
        self.assertEqual(self.ids([("name", "ilike", "LËAF")]), [self.leaf])          # unicode case folding
        self.assertEqual(self.ids([("name", "ilike", "dom"), ("name", "not ilike", "o")]), [])
        self.assertEqual(self.ids(dom + [("color", ">", 5)]), [self.leaf])
        self.assertEqual(self.ids(dom + [("color", ">=", 5)]), [self.mid, self.leaf])
        self.assertEqual(self.ids(dom + [("color", "<", 5)]), [self.top])
        self.assertEqual(self.ids(dom + [("color", "<=", 5)]), [self.top, self.mid])
        self.assertEqual(self.ids(dom + [("color", "!=", 5)]), [self.top, self.leaf])
        self.assertEqual(self.ids(dom + [("color", "in", [5, 7])]), [self.mid, self.leaf])
        self.assertEqual(self.ids(dom + [("color", "not in", [5, 7])]), [self.top])
        self.assertEqual(self.ids(dom + [("email", "=", False)]), [self.top, self.leaf])
        self.assertEqual(self.ids(dom + [("email", "!=", False)]), [self.mid])
        self.assertEqual(self.ids(dom + [("email", "in", [False, "Mid@Example.com"])]),
                         [self.top, self.mid, self.leaf])
        self.assertEqual(self.ids(dom + [("is_company", "=", False)]), [self.mid, self.leaf])
        self.assertEqual(self.ids(dom + [("is_company", "!=", False)]), [self.top])
        self.assertEqual(self.ids(dom + [("is_company", "in", [False])]), [self.mid, self.leaf])
        self.assertEqual(self.ids(dom + [("is_company", "not in", [False])]), [self.top])
        self.assertEqual(self.ids(dom + [("color", "=?", False)]), [self.top, self.mid, self.leaf])
        self.assertEqual(self.ids(dom + [("color", "=?", 7)]), [self.leaf])

    def test_prefix_operators(self):
        dom = [("name", "=like", "Dom%")]
        self.assertEqual(self.ids(dom + ["|", ("color", "=", 5), ("color", "=", 7)]), [self.mid, self.leaf])
        self.assertEqual(self.ids(dom + ["!", ("color", "=", 5)]), [self.top, self.leaf])
        self.assertEqual(self.ids(["&", ("name", "=like", "Dom%"), "!", "|", ("color", "=", 5),
                                   ("color", "=", 7)]), [self.top])

    def test_relational(self):
        self.assertEqual(self.ids([("country_id.code", "=", "BE"), ("name", "like", "Dom")]),
                         [self.top, self.mid, self.leaf])          # address synced from the company
        self.assertEqual(self.ids([("country_id", "=", "Belgium"), ("name", "like", "Dom")]),
                         [self.top, self.mid, self.leaf])
        self.assertEqual(self.ids([("parent_id.name", "=", "Dom Top")]), [self.mid])
        self.assertEqual(self.ids([("category_id", "in", [self.tag])]), [self.top])
        self.assertEqual(self.ids([("category_id", "=", "Dom Tag")]), [self.top])
        self.assertEqual(self.ids([("category_id.name", "ilike", "dom t")]), [self.top])
        self.assertEqual(self.ids([("child_ids.email", "ilike", "mid@")]), [self.top])
        self.assertIn(self.other, self.ids([("category_id", "=", False), ("name", "ilike", "dom")]))
        self.assertEqual(self.ids([("id", "child_of", self.top)]), [self.top, self.mid, self.leaf])
        self.assertEqual(self.ids([("parent_id", "child_of", self.top)]), [self.mid, self.leaf])
        self.assertEqual(self.ids([("id", "parent_of", self.leaf)]), [self.top, self.mid, self.leaf])
        self.assertEqual(self.ids([("id", "child_of", "Dom Top")]), [self.top, self.mid, self.leaf])

    def test_active_test(self):
        self.assertNotIn(self.arch, self.ids([("name", "like", "Dom")]))
        self.assertIn(self.arch, self.ids([("name", "like", "Dom")], context={"active_test": False}))
        self.assertEqual(self.ids([("active", "=", False), ("name", "like", "Dom")]), [self.arch])
        n_all = self.call("res.partner", "search_count", [[]], {"context": {"active_test": False}})
        self.assertGreater(n_all, self.call("res.partner", "search_count", [[]]))

    def test_bad_domains(self):
        self.assertIn("Invalid field", self.error("res.partner", "search", [[("nope", "=", 1)]]).message)
        self.assertIn("Invalid leaf", self.error("res.partner", "search", [[("name", "~", 1)]]).message)
        self.assertIn("syntactically", self.error("res.partner", "search", [["&", ("name", "=", 1)]]).message)
        self.assertIn("Invalid \"order\"", self.error("res.partner", "search", [[]], {"order": "nope"}).message)

    def test_search_read_paging_order(self):
        dom = [("name", "=like", "Dom%")]
        r = self.call("res.partner", "search_read", [dom], {"fields": ["name"], "order": "name desc",
                                                             "offset": 1, "limit": 1})
        self.assertEqual(r, [{"id": self.mid, "name": "Dom Mid"}])
        self.assertEqual(self.call("res.partner", "search_count", [dom]), 3)
        self.assertEqual(self.call("res.partner", "search", [dom], {"order": "color desc, id"})[0], self.leaf)
        r = self.call("res.partner", "search_read", [dom], {"fields": ["parent_id", "category_id"], "order": "id"})
        self.assertEqual(r[0]["parent_id"], False)
        self.assertEqual(r[1]["parent_id"], [self.top, "Dom Top"])
        self.assertEqual(r[0]["category_id"], [self.tag])

    def test_name_search(self):
        r = self.call("res.partner", "name_search", [], {"name": "Dom M", "limit": 5})
        self.assertEqual(r, [[self.mid, "Dom Top, Dom Mid"]])
        r = self.call("res.country", "name_search", ["BE"], {"operator": "=", "limit": 1})
        self.assertEqual(r, [[20, "Belgium"]])


class TestExport(Base):
    def test_export(self):
        tag = self.call("res.partner.category", "create", [{"name": "Exp Tag"}])
        co = self.call("res.partner", "create", [{"name": "Exp Co", "is_company": True, "category_id": [(6, 0, [tag])],
                                                  "country_id": 20}])
        kids = [self.call("res.partner", "create", [{"name": "Exp Kid %d" % i, "parent_id": co}]) for i in (1, 2)]
        rows = self.call("res.partner", "export_data", [[co], ["id", ".id", "name", "category_id/id",
                                                               "category_id", "country_id/id", "country_id/.id",
                                                               "is_company", "type", "child_ids/name",
                                                               "child_ids/id"]])["datas"]
        xid = rows[0][0]
        self.assertTrue(re.match(r"__export__\.res_partner_%d_[0-9a-f]{8}$" % co, xid), xid)
        # import-compatible many2many: only the first of category_id/id, category_id is filled
        self.assertEqual(rows[0][1:9], [str(co), "Exp Co", rows[0][3], "", "base.be", "20", True, "Contact"])
        self.assertTrue(rows[0][3].startswith("__export__.res_partner_category_%d_" % tag))
        # one2many sub-fields: first child on the main line, the others on extra lines
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[0][9], "Exp Kid 1")
        self.assertEqual(rows[1][:9], [""] * 9)
        self.assertEqual(rows[1][9], "Exp Kid 2")
        self.assertTrue(rows[1][10].startswith("__export__.res_partner_%d_" % kids[1]))
        again = self.call("res.partner", "export_data", [[co], ["id"]])["datas"]
        self.assertEqual(again, [[xid]])
        e = self.error("res.partner", "export_data", [[999999], ["name"]])
        self.assertEqual(e.name, "odoo.exceptions.MissingError")

    def test_export_order_lines(self):
        order = self.call("sale.order", "create", [{"partner_id": 3, "order_line": [
            (0, 0, {"name": "A", "price_unit": 1}), (0, 0, {"name": "B", "price_unit": 2})]}])
        rows = self.call("sale.order", "export_data", [[order], ["name", "partner_id/id", "order_line/name",
                                                                 "order_line/price_unit"]])["datas"]
        self.assertEqual(rows[0][1:], ["base.partner_admin", "A", 1.0])
        self.assertEqual(rows[1], ["", "", "B", 2.0])


class TestLoad(Base):
    def load(self, fields, rows, model="res.partner", context=None):
        return self.call(model, "load", [fields, rows], {"context": context} if context else None)

    def count(self, domain, model="res.partner"):
        return self.call(model, "search_count", [domain], {"context": {"active_test": False}})

    def test_create_update_and_references(self):
        r = self.load(["id", "name"], [["ld_tag_a", "LD Tag A"], ["ld_tag_b", "LD Tag B"]],
                      model="res.partner.category")
        self.assertEqual(r["messages"], [])
        r = self.load(["id", "name", "is_company", "category_id/id", "country_id", "parent_id/id"], [
            ["ld_co", "LD Co", "1", "ld_tag_a,ld_tag_b", "Belgium", ""],
            ["ld_p1", "LD P1", "0", "", "", "ld_co"],           # flushes the pending batch
            ["ld_p2", "LD P2", "no", "", "France", "__import__.ld_co"]])
        self.assertEqual(r["messages"], [])
        co, p1, p2 = r["ids"]
        rec = self.call("res.partner", "read", [[co, p1], ["category_id", "country_id", "parent_id"]])
        self.assertEqual(len(rec[0]["category_id"]), 2)
        self.assertEqual(rec[0]["country_id"][1], "Belgium")
        self.assertEqual(rec[1]["parent_id"], [co, "LD Co"])
        r = self.load(["id", "name"], [["ld_p1", "LD P1 renamed"]])
        self.assertEqual(r["ids"], [p1])
        r = self.load([".id", "email"], [[str(p2), "p2@example.com"]])
        self.assertEqual(r["ids"], [p2])
        r = self.load(["name", "parent_id/.id"], [["LD P3", str(co)]])
        self.assertEqual(r["messages"], [])
        r = self.load(["name", "parent_id/.id", "parent_id"], [["LD P3", str(co), ""]])
        self.assertIn("Ambiguous specification", r["messages"][0]["message"])
        r = self.load(["name", "parent_id"], [["LD P4", "LD Co"]])      # by name (name_search '=')
        self.assertEqual(self.call("res.partner", "read", [r["ids"], ["parent_id"]])[0]["parent_id"][0], co)
        imd = self.call("ir.model.data", "search_read", [[("name", "=", "ld_co")]], {"fields": ["module", "res_id"]})
        self.assertEqual((imd[0]["module"], imd[0]["res_id"]), ("__import__", co))

    def test_row_errors_all_or_nothing(self):
        before = self.count([])
        r = self.load(["id", "name", "color", "partner_latitude", "is_company", "type", "parent_id/id", "date"], [
            ["ld_e1", "E1", "x", "", "", "", "", ""],
            ["ld_e2", "E2", "", "north", "", "", "", ""],
            ["ld_e3", "E3", "", "", "maybe", "", "", ""],
            ["ld_e4", "E4", "", "", "", "bogus", "", ""],
            ["ld_e5", "E5", "", "", "", "Invoice Address", "ld_nope", ""],
            ["ld_e6", "E6", "", "", "", "", "", "31/12/2024"],
            ["ld_e7", "", "", "", "", "contact", "", ""]])
        self.assertIs(r["ids"], False)
        fields = [(m["rows"]["from"], m.get("field")) for m in r["messages"]]
        self.assertEqual(fields, [(0, "color"), (1, "partner_latitude"), (2, "is_company"), (3, "type"),
                                  (4, "parent_id"), (5, "date"), (6, None)])
        self.assertEqual(r["messages"][6]["message"], "'Contacts require a name'")
        self.assertEqual(r["messages"][5]["moreinfo"], "Use the format '2012-12-31'")
        self.assertEqual(self.count([]), before)

    def test_whole_call_errors(self):
        for fields, rows, name in [
                (["id", "nope"], [["a", "b"]], "builtins.KeyError"),
                (["name", "is_company"], [["a", True]], "builtins.AttributeError"),
                (["name", "category_id/id"], [["a", ["x"]]], "builtins.AttributeError")]:
            e = self.error("res.partner", "load", [fields, rows])
            self.assertEqual(e.name, name)

    def test_unknown_dbid_and_required(self):
        r = self.load([".id", "name"], [["999999", "x"]])
        self.assertEqual(r["messages"][0]["message"], "Unknown database identifier '999999'")
        r = self.load(["name"], [[""]], model="res.partner.category")
        self.assertEqual(r["messages"][0]["message"], "Missing required value for the field 'Tag Name' (name)")

    def test_limit_nextrow(self):
        rows = [["ld_n%d" % i, "N %d" % i] for i in range(5)]
        r = self.load(["id", "name"], rows, context={"_import_limit": 2})
        self.assertEqual((len(r["ids"]), r["nextrow"]), (2, 2))
        r = self.load(["id", "name"], rows[2:], context={"_import_limit": 5})
        self.assertEqual((len(r["ids"]), r["nextrow"]), (3, 0))

    def test_one2many_lines(self):
        self.load(["id", "name"], [["ld_cust", "LD Customer"]])
        r = self.load(["id", "partner_id/id", "order_line/name", "order_line/product_uom_qty",
                       "order_line/price_unit"], [
            ["ld_so1", "ld_cust", "Line 1", "2", "10"],
            ["", "", "Line 2", "1", "5.5"],
            ["ld_so2", "ld_cust", "Other", "1", "1"]], model="sale.order")
        self.assertEqual(r["messages"], [])
        self.assertEqual(len(r["ids"]), 2)
        o = self.call("sale.order", "read", [r["ids"], ["order_line", "amount_total"]])
        self.assertEqual([len(x["order_line"]) for x in o], [2, 1])
        self.assertEqual(o[0]["amount_total"], 25.5)
        # sub-field error: the message names the path
        r = self.load(["partner_id/id", "order_line/name", "order_line/product_uom_qty"],
                      [["ld_cust", "L", "many"]], model="sale.order")
        self.assertIn("Order Lines/Quantity", r["messages"][0]["message"])

    def test_names_round_trip(self):
        parent = self.call("res.partner.category", "create", [{"name": "RT Parent"}])
        child = self.call("res.partner.category", "create", [{"name": "RT Child", "parent_id": parent}])
        pid = self.call("res.partner", "create", [{"name": "RT", "category_id": [(6, 0, [child, parent])]}])
        [row] = self.call("res.partner", "export_data", [[pid], ["name", "category_id", "country_id"]])["datas"]
        self.assertEqual(row[1], "RT Parent / RT Child,RT Parent")     # ordered by name
        r = self.load(["name", "category_id", "country_id"], [["RT2", row[1], "BE"]])
        self.assertEqual(r["messages"], [])
        got = self.call("res.partner", "read", [r["ids"], ["category_id", "country_id"]])[0]
        self.assertEqual((sorted(got["category_id"]), got["country_id"][0]), (sorted([parent, child]), 20))

    def test_string_booleans_and_selection(self):
        r = self.load(["id", "name", "is_company", "active", "type"], [
            ["ld_b1", "B1", "True", "1", "invoice"], ["ld_b2", "B2", "0", "False", "Delivery Address"],
            ["ld_b3", "B3", "yes", "true", "OTHER"]])
        self.assertEqual(r["messages"], [])
        rows = self.call("res.partner", "read", [r["ids"], ["is_company", "active", "type"]])
        self.assertEqual([(x["is_company"], x["active"], x["type"]) for x in rows],
                         [(True, True, "invoice"), (False, False, "delivery"), (True, True, "other")])


if __name__ == "__main__":
    unittest.main()
