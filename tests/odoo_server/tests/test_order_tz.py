"""product.product's default order (inherited fields) and export_data's
datetimes in the context's / user's time zone, as in Odoo 17."""

import unittest

from fixtures import Emulator, RpcError

DB = "o"


class TestOrderAndTz(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator(dbs=[DB])

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def call(self, model, method, args=(), kwargs=None):
        return self.emu.call(DB, model, method, args, kwargs)

    def test_product_default_order_is_priority_code_name(self):
        mk = lambda **v: self.call("product.product", "create", [v])     # noqa: E731
        b = mk(name="Bravo", default_code="C")
        a = mk(name="Alpha", default_code="C")
        z = mk(name="Zulu", default_code="A")
        fav = mk(name="Fav", default_code="Z", priority="1")
        ids = self.call("product.product", "search", [[["id", "in", [a, b, z, fav]]]])
        self.assertEqual(ids, [fav, z, a, b])
        self.assertEqual(self.call("product.product", "search", [[["id", "in", [a, b]]]], {"order": "name desc"}),
                         [b, a])
        fields = self.call("product.product", "fields_get", [], {"attributes": ["sortable"]})
        self.assertTrue(fields["name"]["sortable"])
        self.assertFalse(fields["lst_price"]["sortable"])
        with self.assertRaises(RpcError) as cm:
            self.call("product.product", "search", [[]], {"order": "lst_price"})
        self.assertIn('Invalid "order"', cm.exception.message)

    def test_export_data_shows_datetimes_in_the_time_zone(self):
        oid = self.call("sale.order", "create", [{"partner_id": 3, "date_order": "2024-03-01 12:34:56"}])

        def export(context=None):
            kwargs = {"context": context} if context is not None else None
            return self.call("sale.order", "export_data", [[oid], ["date_order"]], kwargs)["datas"][0][0]

        self.assertEqual(export(), "2024-03-01 12:34:56")            # admin has no tz: UTC
        self.assertEqual(export({"tz": "Europe/Brussels"}), "2024-03-01 13:34:56")
        self.assertEqual(export({"tz": "UTC"}), "2024-03-01 12:34:56")
        self.assertEqual(export({"tz": "No/Such_Zone"}), "2024-03-01 12:34:56")
        # read is always UTC
        self.assertEqual(self.call("sale.order", "read", [[oid], ["date_order"]],
                                   {"context": {"tz": "Europe/Brussels"}})[0]["date_order"],
                         "2024-03-01 12:34:56")
        self.call("res.partner", "write", [[3], {"tz": "Asia/Tokyo"}])     # the user's tz
        try:
            self.assertEqual(export(), "2024-03-01 21:34:56")
            self.assertEqual(export({"tz": "UTC"}), "2024-03-01 12:34:56")
        finally:
            self.call("res.partner", "write", [[3], {"tz": False}])

    def test_load_reads_datetimes_in_the_context_or_user_time_zone(self):
        # ir.fields.converter._input_tz: the context's tz, else the user's, else UTC.
        def load(value, context=None):
            kwargs = {"context": context} if context is not None else None
            res = self.call("sale.order", "load", [["partner_id/.id", "date_order"], [["3", value]]], kwargs)
            self.assertEqual(res["messages"], [])
            return self.call("sale.order", "read", [res["ids"], ["date_order"]])[0]["date_order"]

        self.assertEqual(load("2024-07-01 10:00:00"), "2024-07-01 10:00:00")      # admin has no tz
        self.assertEqual(load("2024-07-01 10:00:00", {"tz": "Europe/Brussels"}), "2024-07-01 08:00:00")
        self.call("res.partner", "write", [[3], {"tz": "Europe/Brussels"}])     # the user's tz
        try:
            self.assertEqual(load("2024-07-01 10:00:00"), "2024-07-01 08:00:00")
            self.assertEqual(load("2024-07-01 10:00:00", {"tz": "UTC"}), "2024-07-01 10:00:00")
        finally:
            self.call("res.partner", "write", [[3], {"tz": False}])


if __name__ == "__main__":
    unittest.main()
