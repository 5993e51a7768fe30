"""The emulated models, declared as data.

Adding a model: append ``Model(name, description, [F(...), ...])`` to
``MODELS``.  Field attributes mirror Odoo's (type, string, relation, required,
readonly, store, selection).  Relations to models that are not declared here
are "stub" fields: they show in ``fields_get`` like in Odoo but always read
empty (mail, activities, banks ...).

res.partner's field list, order, labels and store/readonly flags are copied
from the recorded ``fields_get`` of a real Odoo 17 (109 fields).
"""

import random

from .fields import Field as F, Model
from . import behaviour as _partner

PARTNER_TYPES = [
    ("contact", "Contact"),
    ("invoice", "Invoice Address"),
    ("delivery", "Delivery Address"),
    ("other", "Other Address"),
]
# Odoo's lang selection lists the *installed* languages.
LANGS = [
    ("en_US", "English (US)"),
    ("fr_FR", "French / Français"),
    ("fr_BE", "French (BE) / Français (BE)"),
    ("nl_BE", "Dutch (BE) / Nederlands (BE)"),
    ("de_DE", "German / Deutsch"),
    ("es_ES", "Spanish / Español"),
]
TZS = [(tz, tz) for tz in (
    "Africa/Abidjan", "America/New_York", "America/Sao_Paulo", "Asia/Tokyo",
    "Australia/Sydney", "Europe/Athens", "Europe/Berlin", "Europe/Brussels",
    "Europe/London", "Europe/Madrid", "Europe/Oslo", "Europe/Paris",
    "Europe/Warsaw", "UTC")]


def _company_type(env, model, rows):
    return {r["id"]: "company" if r["is_company"] else "person" for r in rows}


def _email_formatted(env, model, rows):
    out = {}
    for r in rows:
        out[r["id"]] = '"%s" <%s>' % (r["name"] or "", r["email"]) if r["email"] else False
    return out


def _contact_address(env, model, rows):
    out = {}
    for r in rows:
        parts = [r["street"], r["street2"], " ".join(p for p in (r["zip"], r["city"]) if p)]
        out[r["id"]] = "\n".join(p for p in parts if p)
    return out


def _self(env, model, rows):
    return {r["id"]: r["id"] for r in rows}


def _empty_list(env, model, rows):
    return {r["id"]: [] for r in rows}


_color_rng = random.Random(0)


def _category_color(env):
    # Odoo picks randint(1, 11); seeded so a run is reproducible.
    return _color_rng.randint(1, 11)


def _line_subtotal(env, model, rows):
    return {r["id"]: round((r["product_uom_qty"] or 0.0) * (r["price_unit"] or 0.0)
                           * (1 - (r["discount"] or 0.0) / 100.0), 2) for r in rows}


def _order_amount(env, model, rows):
    ids = [r["id"] for r in rows]
    totals = dict.fromkeys(ids, 0.0)
    if ids:
        q = ",".join("?" * len(ids))
        for oid, total in env.cr.execute(
                "SELECT order_id, SUM(COALESCE(product_uom_qty,0) * COALESCE(price_unit,0)"
                " * (1 - COALESCE(discount,0) / 100.0)) FROM sale_order_line"
                " WHERE order_id IN (%s) GROUP BY order_id" % q, ids):
            totals[oid] = round(total or 0.0, 2)
    return totals


def partner_fields_17():
    """res.partner's fields in Odoo 17 (new Field objects on each call)."""
    return [
        F('message_is_follower', 'boolean', 'Is Follower', store=False, readonly=True),
        F('message_follower_ids', 'one2many', 'Followers', relation='mail.followers'),
        F('message_partner_ids', 'many2many', 'Followers (Partners)', relation='res.partner', store=False, compute=_empty_list),
        F('message_ids', 'one2many', 'Messages', relation='mail.message'),
        F('has_message', 'boolean', 'Has Message', store=False, readonly=True),
        F('message_needaction', 'boolean', 'Action Needed', store=False, readonly=True),
        F('message_needaction_counter', 'integer', 'Number of Actions', store=False, readonly=True),
        F('message_has_error', 'boolean', 'Message Delivery error', store=False, readonly=True),
        F('message_has_error_counter', 'integer', 'Number of errors', store=False, readonly=True),
        F('message_attachment_count', 'integer', 'Attachment Count', store=False, readonly=True),
        F('message_has_sms_error', 'boolean', 'SMS Delivery error', store=False, readonly=True),
        F('email_normalized', 'char', 'Normalized Email', readonly=True),
        F('is_blacklisted', 'boolean', 'Blacklist', store=False, readonly=True),
        F('message_bounce', 'integer', 'Bounce'),
        F('activity_ids', 'one2many', 'Activities', relation='mail.activity'),
        F('activity_state', 'selection', 'Activity State', store=False, readonly=True,
          selection=[('overdue', 'Overdue'), ('today', 'Today'), ('planned', 'Planned')]),
        F('activity_user_id', 'many2one', 'Responsible User', relation='res.users', store=False, readonly=True),
        F('activity_type_id', 'many2one', 'Next Activity Type', relation='mail.activity.type', store=False),
        F('activity_type_icon', 'char', 'Activity Type Icon', store=False, readonly=True),
        F('activity_date_deadline', 'date', 'Next Activity Deadline', store=False, readonly=True),
        F('my_activity_date_deadline', 'date', 'My Activity Deadline', store=False, readonly=True),
        F('activity_summary', 'char', 'Next Activity Summary', store=False),
        F('activity_exception_decoration', 'selection', 'Activity Exception Decoration', store=False, readonly=True,
          selection=[('warning', 'Alert'), ('danger', 'Error')]),
        F('activity_exception_icon', 'char', 'Icon', store=False, readonly=True),
        F('image_1920', 'binary', 'Image'),
        F('image_1024', 'binary', 'Image 1024', readonly=True),
        F('image_512', 'binary', 'Image 512', readonly=True),
        F('image_256', 'binary', 'Image 256', readonly=True),
        F('image_128', 'binary', 'Image 128', readonly=True),
        F('avatar_1920', 'binary', 'Avatar', store=False, readonly=True),
        F('avatar_1024', 'binary', 'Avatar 1024', store=False, readonly=True),
        F('avatar_512', 'binary', 'Avatar 512', store=False, readonly=True),
        F('avatar_256', 'binary', 'Avatar 256', store=False, readonly=True),
        F('avatar_128', 'binary', 'Avatar 128', store=False, readonly=True),
        F('name', 'char', 'Name'),
        F('complete_name', 'char', 'Complete Name', readonly=True, index=True),
        F('date', 'date', 'Date'),
        F('title', 'many2one', 'Title', relation='res.partner.title'),
        F('parent_id', 'many2one', 'Related Company', relation='res.partner', index=True),
        F('parent_name', 'char', 'Parent name', store=False, readonly=True, related='parent_id.name'),
        F('child_ids', 'one2many', 'Contact', relation='res.partner', inverse='parent_id'),
        F('ref', 'char', 'Reference'),
        F('lang', 'selection', 'Language', selection=LANGS, default=lambda env: env.context.get('lang') or 'en_US'),
        F('active_lang_count', 'integer', 'Active Lang Count', store=False, readonly=True),
        F('tz', 'selection', 'Timezone', selection=TZS),
        F('tz_offset', 'char', 'Timezone offset', store=False, readonly=True),
        F('user_id', 'many2one', 'Salesperson', relation='res.users'),
        F('vat', 'char', 'Tax ID'),
        F('same_vat_partner_id', 'many2one', 'Partner with same Tax ID', relation='res.partner', store=False, readonly=True),
        F('same_company_registry_partner_id', 'many2one', 'Partner with same Company Registry', relation='res.partner', store=False, readonly=True),
        F('company_registry', 'char', 'Company ID'),
        F('bank_ids', 'one2many', 'Banks', relation='res.partner.bank'),
        F('website', 'char', 'Website Link'),
        F('comment', 'html', 'Notes'),
        F('category_id', 'many2many', 'Tags', relation='res.partner.category',
          relation_table='res_partner_res_partner_category_rel', column1='partner_id', column2='category_id'),
        F('active', 'boolean', 'Active', default=True),
        F('employee', 'boolean', 'Employee', default=False),
        F('function', 'char', 'Job Position'),
        F('type', 'selection', 'Address Type', selection=PARTNER_TYPES, default='contact'),
        F('street', 'char', 'Street'),
        F('street2', 'char', 'Street2'),
        F('zip', 'char', 'Zip'),
        F('city', 'char', 'City'),
        F('state_id', 'many2one', 'State', relation='res.country.state'),
        F('country_id', 'many2one', 'Country', relation='res.country', ondelete='restrict', index=True),
        F('country_code', 'char', 'Country Code', store=False, readonly=True, related='country_id.code'),
        F('partner_latitude', 'float', 'Geo Latitude'),
        F('partner_longitude', 'float', 'Geo Longitude'),
        F('email', 'char', 'Email'),
        F('email_formatted', 'char', 'Formatted Email', store=False, readonly=True, compute=_email_formatted),
        F('phone', 'char', 'Phone'),
        F('mobile', 'char', 'Mobile'),
        F('is_company', 'boolean', 'Is a Company', default=False),
        F('is_public', 'boolean', 'Is Public', store=False, readonly=True),
        F('industry_id', 'many2one', 'Industry', relation='res.partner.industry'),
        F('company_type', 'selection', 'Company Type', store=False, selection=[('person', 'Individual'), ('company', 'Company')],
          compute=_company_type),
        F('company_id', 'many2one', 'Company', relation='res.company'),
        F('color', 'integer', 'Color Index', default=0),
        F('user_ids', 'one2many', 'Users', relation='res.users', inverse='partner_id'),
        F('partner_share', 'boolean', 'Share Partner', readonly=True, default=True),
        F('contact_address', 'char', 'Complete Address', store=False, readonly=True, compute=_contact_address),
        F('commercial_partner_id', 'many2one', 'Commercial Entity', relation='res.partner', readonly=True, index=True),
        F('commercial_company_name', 'char', 'Company Name Entity', readonly=True),
        F('company_name', 'char', 'Company Name'),
        F('barcode', 'char', 'Barcode', store=False),
        F('self', 'many2one', 'Self', relation='res.partner', store=False, readonly=True, compute=_self),
        F('id', 'integer', 'ID', readonly=True),
        F('display_name', 'char', 'Display Name', store=False, readonly=True),
        F('create_uid', 'many2one', 'Created by', relation='res.users', readonly=True),
        F('create_date', 'datetime', 'Created on', readonly=True),
        F('write_uid', 'many2one', 'Last Updated by', relation='res.users', readonly=True),
        F('write_date', 'datetime', 'Last Updated on', readonly=True),
        F('im_status', 'char', 'IM Status', store=False, readonly=True),
        F('channel_ids', 'many2many', 'Channels', relation='discuss.channel'),
        F('contact_address_inline', 'char', 'Inlined Complete Address', store=False, readonly=True),
        F('starred_message_ids', 'many2many', 'Starred Message', relation='mail.message'),
        F('signup_token', 'char', 'Signup Token', store=False),
        F('signup_type', 'char', 'Signup Token Type'),
        F('signup_expiration', 'datetime', 'Signup Expiration'),
        F('signup_valid', 'boolean', 'Signup Token is Valid', store=False, readonly=True),
        F('signup_url', 'char', 'Signup URL', store=False, readonly=True),
        F('property_product_pricelist', 'many2one', 'Pricelist', relation='product.pricelist', store=False),
        F('partner_gid', 'integer', 'Company database ID'),
        F('additional_info', 'char', 'Additional info'),
        F('phone_sanitized', 'char', 'Sanitized Number', readonly=True),
        F('phone_sanitized_blacklisted', 'boolean', 'Phone Blacklisted', store=False, readonly=True),
        F('phone_blacklisted', 'boolean', 'Blacklisted Phone is Phone', store=False, readonly=True),
        F('mobile_blacklisted', 'boolean', 'Blacklisted Phone Is Mobile', store=False, readonly=True),
        F('phone_mobile_search', 'char', 'Phone/Mobile', store=False),
    ]


def partner_model(fields):
    return Model(
        "res.partner", "Contact",
        order="complete_name asc, id desc",
        rec_name="complete_name",
        rec_names_search=["complete_name", "email", "ref", "vat", "company_registry"],
        recursion_message="You cannot create recursive Partner hierarchies.",
        sql_constraints=[
            ("check_name", "(type='contact' AND name IS NOT NULL) or (type!='contact')",
             "Contacts require a name"),
        ],
        hooks={"after_create": _partner.after_create, "after_write": _partner.after_write},
        fields=fields,
    )


RES_PARTNER = partner_model(partner_fields_17())


def category_fields_17():
    """res.partner.category's fields in Odoo 17 (new Field objects on each call)."""
    return [
        F("name", "char", "Tag Name", required=True),
        F("color", "integer", "Color Index", default=_category_color),
        F("parent_id", "many2one", "Parent Category", relation="res.partner.category",
          ondelete="cascade", index=True),
        F("child_ids", "one2many", "Child Tags", relation="res.partner.category", inverse="parent_id"),
        F("active", "boolean", "Active", default=True,
          help="The active field allows you to hide the category without removing it."),
        F("parent_path", "char", "Parent Path", index=True),
        F("partner_ids", "many2many", "Partners", relation="res.partner",
          relation_table="res_partner_res_partner_category_rel", column1="category_id", column2="partner_id"),
    ]


def category_model(fields):
    return Model(
        "res.partner.category", "Partner Tags",
        order="name",
        display_name=_partner.category_display_names,
        rec_names_search=["name"],
        name_search_split=" / ",
        recursion_message="You can not create recursive tags.",
        fields=fields,
    )


RES_PARTNER_CATEGORY = category_model(category_fields_17())

RES_COUNTRY = Model(
    "res.country", "Country",
    order="name",
    rec_names_search=["name", "code"],
    fields=[
        F("name", "char", "Country Name", required=True),
        F("code", "char", "Country Code", help="The ISO country code in two chars."),
        F("phone_code", "integer", "Country Calling Code"),
        F("currency_id", "many2one", "Currency", relation="res.currency"),
        F("state_ids", "one2many", "States", relation="res.country.state", inverse="country_id"),
        F("active", "boolean", "Active", default=True),
    ],
)

RES_USERS = Model(
    "res.users", "User",
    order="login",
    display_name=_partner.user_display_names,
    rec_names_search=["login"],
    fields=[
        F("partner_id", "many2one", "Related Partner", relation="res.partner", required=True,
          ondelete="restrict"),
        F("login", "char", "Login", required=True),
        F("name", "char", "Name", store=False, related="partner_id.name"),
        F("email", "char", "Email", store=False, related="partner_id.email"),
        F("active", "boolean", "Active", default=True),
        F("share", "boolean", "Share User", readonly=True, default=False),
    ],
)

IR_MODEL_DATA = Model(
    "ir.model.data", "Model Data",
    order="module, model, name",
    display_name=_partner.imd_display_names,
    fields=[
        F("name", "char", "External Identifier", required=True),
        F("complete_name", "char", "Complete ID", store=False, readonly=True,
          compute=lambda env, m, rows: {r["id"]: "%s.%s" % (r["module"], r["name"]) for r in rows}),
        F("model", "char", "Model Name", required=True),
        F("module", "char", "Module", required=True, default=""),
        F("res_id", "integer", "Record ID"),
        F("noupdate", "boolean", "Non Updatable", default=False),
    ],
)

PRODUCT_TEMPLATE = Model(
    "product.template", "Product",
    order="priority desc, name",
    display_name=_partner.product_display_names,
    rec_names_search=["name", "default_code"],
    hooks={"after_create": _partner.template_after_create},
    fields=[
        F("name", "char", "Name", required=True, index=True),
        F("sequence", "integer", "Sequence", default=1),
        F("priority", "selection", "Favorite", selection=[("0", "Normal"), ("1", "Favorite")], default="0"),
        F("description", "html", "Description"),
        F("description_sale", "text", "Sales Description"),
        F("type", "selection", "Product Type", default="consu",
          selection=[("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product")]),
        F("list_price", "float", "Sales Price", default=1.0),
        F("default_code", "char", "Internal Reference"),
        F("barcode", "char", "Barcode"),
        F("sale_ok", "boolean", "Can be Sold", default=True),
        F("purchase_ok", "boolean", "Can be Purchased", default=True),
        F("active", "boolean", "Active", default=True),
        F("weight", "float", "Weight"),
        F("categ_id", "many2one", "Product Category", relation="product.category"),
        F("uom_id", "many2one", "Unit of Measure", relation="uom.uom"),
        F("product_variant_ids", "one2many", "Products", relation="product.product",
          inverse="product_tmpl_id"),
    ],
)

PRODUCT_PRODUCT = Model(
    "product.product", "Product Variant",
    order="priority desc, default_code, name, id",
    display_name=_partner.product_display_names,
    rec_names_search=["name", "default_code"],
    hooks={"before_create": _partner.variant_before_create, "after_write": _partner.variant_after_write},
    fields=[
        F("product_tmpl_id", "many2one", "Product Template", relation="product.template",
          required=True, ondelete="cascade", index=True),
        F("name", "char", "Name", store=False, related="product_tmpl_id.name", inherited=True),
        F("priority", "selection", "Favorite", store=False, related="product_tmpl_id.priority",
          selection=[("0", "Normal"), ("1", "Favorite")], inherited=True),
        F("default_code", "char", "Internal Reference", index=True),
        F("barcode", "char", "Barcode"),
        F("active", "boolean", "Active", default=True),
        F("lst_price", "float", "Sales Price", store=False, related="product_tmpl_id.list_price"),
        F("type", "selection", "Product Type", store=False, related="product_tmpl_id.type",
          selection=[("consu", "Consumable"), ("service", "Service"), ("product", "Storable Product")],
          inherited=True),
        F("weight", "float", "Weight"),
    ],
)

SALE_ORDER = Model(
    "sale.order", "Sales Order",
    order="date_order desc, id desc",
    hooks={"before_create": _partner.order_before_create},
    fields=[
        F("name", "char", "Order Reference", required=True, default="New", index=True),
        F("partner_id", "many2one", "Customer", relation="res.partner", required=True, index=True),
        F("date_order", "datetime", "Order Date", required=True, default=lambda env: env.now()),
        F("state", "selection", "Status", default="draft", selection=[
            ("draft", "Quotation"), ("sent", "Quotation Sent"), ("sale", "Sales Order"), ("cancel", "Cancelled")]),
        F("client_order_ref", "char", "Customer Reference"),
        F("note", "html", "Terms and conditions"),
        F("user_id", "many2one", "Salesperson", relation="res.users"),
        F("order_line", "one2many", "Order Lines", relation="sale.order.line", inverse="order_id"),
        F("amount_total", "float", "Total", store=False, readonly=True, compute=_order_amount),
    ],
)

SALE_ORDER_LINE = Model(
    "sale.order.line", "Sales Order Line",
    order="order_id, sequence, id",
    hooks={"before_create": _partner.line_before_create},
    fields=[
        F("order_id", "many2one", "Order Reference", relation="sale.order", required=True,
          ondelete="cascade", index=True),
        F("sequence", "integer", "Sequence", default=10),
        F("product_id", "many2one", "Product", relation="product.product", ondelete="restrict"),
        F("name", "text", "Description", required=True),
        F("product_uom_qty", "float", "Quantity", default=1.0),
        F("price_unit", "float", "Unit Price", default=0.0),
        F("discount", "float", "Discount (%)", default=0.0),
        F("price_subtotal", "float", "Subtotal", store=False, readonly=True, compute=_line_subtotal),
    ],
)

MODELS = [RES_COUNTRY, RES_PARTNER, RES_PARTNER_CATEGORY, RES_USERS, IR_MODEL_DATA,
          PRODUCT_TEMPLATE, PRODUCT_PRODUCT, SALE_ORDER, SALE_ORDER_LINE]


# -- Odoo 19.0 ---------------------------------------------------------------
# What changed between the recorded fields_get of res.partner in 17.0
# (17.0-fields_get-res.partner.json) and in 19.0 (19.0-json2-05_fields_get.json).
# The 19.0 recording does not ask for ``store``: the new read-only fields are
# taken as computed (not stored), and the new fields that point at models not
# emulated here are stubs, as everywhere else.

PARTNER_DROPPED_IN_19 = (
    "date", "title", "mobile", "starred_message_ids", "signup_token",
    "signup_expiration", "signup_valid", "signup_url", "partner_gid",
    "additional_info", "mobile_blacklisted",
)

PARTNER_TYPES_19 = [
    ("contact", "Contact"),
    ("invoice", "Invoice"),
    ("delivery", "Delivery"),
    ("other", "Other"),
]


def _partner_fields_new_in_19():
    return [
        F('properties', 'properties', 'Properties', store=False),
        F('properties_base_definition_id', 'many2one', 'Properties Base Definition',
          relation='properties.base.definition', store=False, readonly=True),
        F('vat_label', 'char', 'Tax ID Label', store=False, readonly=True),
        F('company_registry_label', 'char', 'Company ID Label', store=False, readonly=True),
        F('company_registry_placeholder', 'char', 'Company Registry Placeholder', store=False, readonly=True),
        F('type_address_label', 'char', 'Address Type Description', store=False, readonly=True),
        F('main_user_id', 'many2one', 'Main User', relation='res.users', store=False, readonly=True),
        F('application_statistics', 'json', 'Stats', store=False, readonly=True),
        F('channel_member_ids', 'one2many', 'Channel Member', relation='discuss.channel.member'),
        F('is_in_call', 'boolean', 'Is In Call', store=False, readonly=True),
        F('rtc_session_ids', 'one2many', 'Rtc Session', relation='discuss.channel.rtc.session'),
        F('offline_since', 'datetime', 'Offline since', store=False, readonly=True),
        F('specific_property_product_pricelist', 'many2one', 'Specific Property Product Pricelist',
          relation='product.pricelist'),
    ]


# fields_get's order in 19.0 (id, display_name and the create/write fields
# are placed by Model, as for 17.0)
PARTNER_ORDER_19 = (
    "message_is_follower message_follower_ids message_partner_ids message_ids has_message "
    "message_needaction message_needaction_counter message_has_error message_has_error_counter "
    "message_attachment_count message_has_sms_error email_normalized is_blacklisted message_bounce "
    "activity_ids activity_state activity_user_id activity_type_id activity_type_icon "
    "activity_date_deadline my_activity_date_deadline activity_summary activity_exception_decoration "
    "activity_exception_icon properties properties_base_definition_id image_1920 image_1024 image_512 "
    "image_256 image_128 avatar_1920 avatar_1024 avatar_512 avatar_256 avatar_128 name complete_name "
    "parent_id parent_name child_ids ref lang active_lang_count tz tz_offset user_id vat vat_label "
    "same_vat_partner_id same_company_registry_partner_id company_registry company_registry_label "
    "company_registry_placeholder bank_ids website comment category_id active employee function type "
    "type_address_label street street2 zip city state_id country_id country_code partner_latitude "
    "partner_longitude email email_formatted phone is_company is_public industry_id company_type "
    "company_id color user_ids main_user_id partner_share contact_address commercial_partner_id "
    "commercial_company_name company_name barcode self application_statistics channel_ids "
    "channel_member_ids is_in_call rtc_session_ids contact_address_inline im_status offline_since "
    "signup_type phone_sanitized phone_sanitized_blacklisted phone_blacklisted phone_mobile_search "
    "property_product_pricelist specific_property_product_pricelist"
).split()


def partner_fields_19():
    """res.partner's fields in Odoo 19: 17's less those dropped, plus the new ones."""
    fields = {f.name: f for f in partner_fields_17() + _partner_fields_new_in_19()
              if f.name not in PARTNER_DROPPED_IN_19}
    fields["type"].selection = PARTNER_TYPES_19
    fields["phone_mobile_search"].string = "Phone Number"
    return [fields[name] for name in PARTNER_ORDER_19]


RES_PARTNER_19 = partner_model(partner_fields_19())
# The recordings hold no fields_get of res.partner.category in 19.0: its
# fields stay as in 17.0 (a model of its own, as fields know their model).
RES_PARTNER_CATEGORY_19 = category_model(category_fields_17())

MODELS_19 = [RES_PARTNER_19 if m is RES_PARTNER else RES_PARTNER_CATEGORY_19 if m is RES_PARTNER_CATEGORY
             else m for m in MODELS]

# The schema each --version serves.
MODELS_BY_VERSION = {"17.0": MODELS, "19.0": MODELS_19}
