"""The set of databases served by one emulator instance, and their base data.

A new database gets the schema, the 250 countries (xmlids base.<code>), and
the records every Odoo 17 database has: partners 1-6 and users 1-2 (uid 2 =
admin, partner 3 = base.partner_admin "Administrator"), so the first partner
created gets id 7 as in the recorded ``odf_dst`` transcripts.  One more user,
``portal`` (uid 5, on partner 6), is denied res.partner (see access.py).
"""

import os
import re
import threading

from . import db as dbmod
from . import errors
from .countries import COUNTRIES
from .models import MODELS_BY_VERSION

# The schema of each version served (--version): 17.0's models, or the
# 19.0-shaped variant (res.partner as a real 19.0 declares it).
REGISTRIES = {version: dbmod.Registry(models) for version, models in MODELS_BY_VERSION.items()}
REGISTRY = REGISTRIES["17.0"]

# (id, xmlid, name, extra columns)
BASE_PARTNERS = [
    (1, "base.main_partner", "My Company", {"is_company": 1, "email": "info@yourcompany.com"}),
    (2, "base.partner_root", "OdooBot", {"email": "odoobot@example.com", "active": 0}),
    (3, "base.partner_admin", "Administrator", {"email": "admin@example.com"}),
    (4, "base.public_partner", "Public user", {"active": 0}),
    (5, "base.partner_user_template", "Default User Template", {"active": 0}),
    (6, "base.partner_portal_template", "Portal User Template", {"active": 0}),
]
BASE_USERS = [
    (1, "base.user_root", "__system__", 2, 0),
    (2, "base.user_admin", "admin", 3, 1),
]
# a user that can log in but may not read res.partner (access.PORTAL_UID)
PORTAL_USER = (5, "odf_test.user_portal", "portal", 6, 1)
PORTAL_PASSWORD = "portal"
TIMESTAMP = "2024-07-09 00:00:00"
DB_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def populate_base(conn):
    """Insert the base records into an empty, freshly created database."""
    ts = TIMESTAMP
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO res_country (id, name, code, active, create_uid, create_date, write_uid, write_date)"
        " VALUES (?, ?, ?, 1, 1, ?, 1, ?)",
        [(i, name, code, ts, ts) for i, (_x, code, name) in enumerate(COUNTRIES, 1)])
    imd = [("base", x, "res.country", i) for i, (x, _c, _n) in enumerate(COUNTRIES, 1)]
    for pid, xmlid, name, extra in BASE_PARTNERS:
        cols = {"id": pid, "name": name, "complete_name": name, "type": "contact", "active": 1,
                "is_company": 0, "color": 0, "lang": "en_US", "commercial_partner_id": pid,
                "create_uid": 1, "create_date": ts, "write_uid": 1, "write_date": ts, "partner_share": 0}
        cols.update(extra)
        if cols.get("email"):
            cols["email_normalized"] = cols["email"]
        conn.execute('INSERT INTO res_partner (%s) VALUES (%s)' % (
            ", ".join('"%s"' % c for c in cols), ",".join("?" * len(cols))), list(cols.values()))
        imd.append(tuple(xmlid.split(".", 1)) + ("res.partner", pid))
    for uid, xmlid, login, partner, active in BASE_USERS:
        conn.execute("INSERT INTO res_users (id, partner_id, login, active, share, create_uid, create_date,"
                     " write_uid, write_date) VALUES (?, ?, ?, ?, 0, 1, ?, 1, ?)",
                     (uid, partner, login, active, ts, ts))
        imd.append(tuple(xmlid.split(".", 1)) + ("res.users", uid))
    add_portal_user(conn)
    conn.executemany(
        "INSERT INTO ir_model_data (module, name, model, res_id, noupdate, create_uid, create_date,"
        " write_uid, write_date) VALUES (?, ?, ?, ?, 1, 1, ?, 1, ?)",
        [row + (ts, ts) for row in imd])
    conn.execute("INSERT INTO odf_meta (key, value) VALUES ('base', '17.0')")
    conn.execute("COMMIT")


def add_portal_user(conn):
    """The portal user, also into databases created before it existed."""
    uid, xmlid, login, partner, active = PORTAL_USER
    if conn.execute("SELECT 1 FROM res_users WHERE id = ?", (uid,)).fetchone():
        return
    conn.execute("INSERT INTO res_users (id, partner_id, login, active, share, create_uid, create_date,"
                 " write_uid, write_date) VALUES (?, ?, ?, ?, 1, 1, ?, 1, ?)",
                 (uid, partner, login, active, TIMESTAMP, TIMESTAMP))
    conn.execute("INSERT INTO ir_model_data (module, name, model, res_id, noupdate, create_uid, create_date,"
                 " write_uid, write_date) VALUES (?, ?, 'res.users', ?, 1, 1, ?, 1, ?)",
                 tuple(xmlid.split(".", 1)) + (uid, TIMESTAMP, TIMESTAMP))


def create_database(path, registry=REGISTRY):
    """Create the file with schema and base data (no-op if it exists)."""
    fresh = not os.path.exists(path)
    dbmod.create_schema(path, registry)
    conn = dbmod.connect(path)
    try:
        if fresh and not conn.execute("SELECT 1 FROM odf_meta WHERE key = 'base'").fetchone():
            populate_base(conn)
        elif not fresh:
            conn.execute("BEGIN IMMEDIATE")
            add_portal_user(conn)
            conn.execute("COMMIT")
    finally:
        conn.close()


class Instance:
    """Configuration and databases of one running emulator."""

    def __init__(self, data_dir, password="admin", api_key=None, version="17.0"):
        self.data_dir = data_dir
        self.password = password
        self.api_key = api_key
        self.version = version
        self.registry = REGISTRIES.get(version, REGISTRY)
        self._dbs = {}
        self._lock = threading.Lock()
        os.makedirs(data_dir, exist_ok=True)

    def password_ok(self, login, password):
        """admin: the password or the API key; portal: its own password."""
        if not isinstance(password, str):
            return False
        if login == PORTAL_USER[2]:
            return password == PORTAL_PASSWORD
        return login == "admin" and password in (self.password, self.api_key)

    def set_credentials(self, settings):
        """Change admin's password and/or API key while running, as an
        administrator would (a key revoked mid-import); the names of the
        keys changed."""
        if not isinstance(settings, dict) or not settings:
            raise ValueError("expected an object with password and/or api_key")
        for key, value in settings.items():
            if key not in ("password", "api_key"):
                raise ValueError("unknown key %r" % key)
            if not isinstance(value, str) or not value:
                raise ValueError("%s: expected a non-empty string" % key)
        for key, value in settings.items():
            setattr(self, key, value)
        return {"changed": sorted(settings)}

    def create(self, name):
        if not DB_NAME.match(name):
            raise ValueError("invalid database name %r" % name)
        create_database(dbmod.db_path(self.data_dir, name), self.registry)

    def list(self):
        return sorted(f[:-len(".sqlite")] for f in os.listdir(self.data_dir) if f.endswith(".sqlite"))

    def get(self, name):
        """The Database ``name``; psycopg2.OperationalError if it does not exist."""
        with self._lock:
            database = self._dbs.get(name)
            if database is None:
                # names are file names: refuse anything that could leave data_dir
                if not isinstance(name, str) or not DB_NAME.match(name):
                    raise errors.operational_error_unknown_db(name)
                path = dbmod.db_path(self.data_dir, name)
                if not os.path.exists(path):
                    raise errors.operational_error_unknown_db(name)
                database = self._dbs[name] = dbmod.Database(name, path, self.registry)
                database.version = self.version     # wording of some errors
            return database
