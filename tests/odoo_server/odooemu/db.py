"""SQLite storage: one file per Odoo database, schema derived from models.

Concurrency model: WAL mode, one connection per (thread, database).  Readers
run in a deferred transaction (a consistent snapshot); writers take the
per-database lock *and* ``BEGIN IMMEDIATE`` so they never deadlock on a lock
upgrade, also against another process (seed.py) writing the same file.

Ids come from an in-memory counter that is NOT rolled back with the
transaction, like a PostgreSQL sequence: a failed ``load`` consumes ids, so
the ids of later records match the recorded Odoo transcripts.
"""

import os
import sqlite3
import threading
from contextlib import contextmanager

from .fields import SQL_TYPES
from . import errors


def _py_lower(value):
    # SQLite's lower() only folds ASCII; Odoo runs on PostgreSQL's ILIKE.
    return value.lower() if isinstance(value, str) else value


class Registry:
    """All declared models, with stub detection and DDL."""

    def __init__(self, models):
        self.models = {m.name: m for m in models}
        for m in models:
            for f in m.fields.values():
                f.stub = bool(f.relation) and f.relation not in self.models
        self.by_table = {m.table: m for m in models}

    def __contains__(self, name):
        return name in self.models

    def __getitem__(self, name):
        return self.models[name]

    def m2m_tables(self):
        seen = {}
        for m in self.models.values():
            for f in m.fields.values():
                if f.type == "many2many" and f.store and not f.stub and f.relation_table:
                    seen.setdefault(f.relation_table, (f.column1, f.column2))
        return seen

    def ddl(self):
        stmts = []
        for m in self.models.values():
            cols = ["id INTEGER PRIMARY KEY"]
            for f in m.fields.values():
                if f.name == "id" or not f.column:
                    continue
                col = '"%s" %s' % (f.name, SQL_TYPES[f.type])
                if f.required:
                    col += " NOT NULL"
                cols.append(col)
            for name, check, _msg in m.sql_constraints:
                cols.append("CONSTRAINT %s_%s CHECK (%s)" % (m.table, name, check))
            stmts.append('CREATE TABLE IF NOT EXISTS "%s" (%s)' % (m.table, ", ".join(cols)))
            for f in m.fields.values():
                if f.column and f.index:
                    stmts.append('CREATE INDEX IF NOT EXISTS "%s_%s_index" ON "%s" ("%s")'
                                 % (m.table, f.name, m.table, f.name))
        for table, (c1, c2) in self.m2m_tables().items():
            stmts.append('CREATE TABLE IF NOT EXISTS "%s" ("%s" INTEGER NOT NULL, "%s" INTEGER NOT NULL,'
                         ' PRIMARY KEY ("%s", "%s")) WITHOUT ROWID' % (table, c1, c2, c1, c2))
            stmts.append('CREATE INDEX IF NOT EXISTS "%s_%s_idx" ON "%s" ("%s", "%s")'
                         % (table, c2, table, c2, c1))
        stmts += [
            "CREATE UNIQUE INDEX IF NOT EXISTS ir_model_data_module_name_uniq ON ir_model_data (module, name)",
            "CREATE INDEX IF NOT EXISTS ir_model_data_model_res_id ON ir_model_data (model, res_id)",
            "CREATE TABLE IF NOT EXISTS odf_meta (key TEXT PRIMARY KEY, value TEXT)",
        ]
        return stmts


def connect(path):
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA case_sensitive_like=ON")   # LIKE is case-sensitive as in PostgreSQL
    conn.execute("PRAGMA cache_size=-65536")
    conn.create_function("py_lower", 1, _py_lower, deterministic=True)
    return conn


class Database:
    def __init__(self, name, path, registry):
        self.name = name
        self.path = path
        self.registry = registry
        self.version = "17.0"       # the Odoo version emulated (set by the instance)
        self.write_lock = threading.Lock()
        self._seq = {}
        self._seq_lock = threading.Lock()
        self._local = threading.local()

    @property
    def conn(self):
        conns = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get(self.path)
        if conn is None:
            conn = conns[self.path] = connect(self.path)
        return conn

    def close_thread_connection(self):
        conns = getattr(self._local, "conns", None) or {}
        conn = conns.pop(self.path, None)
        if conn is not None:
            conn.close()

    @contextmanager
    def transaction(self, write):
        """One RPC call = one transaction; rollback on any exception."""
        conn = self.conn
        if write:
            self.write_lock.acquire()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
        finally:
            if write:
                self.write_lock.release()

    def next_id(self, cr, table):
        """Sequence-like id allocation (not transactional, see module doc)."""
        with self._seq_lock:
            top = cr.execute('SELECT max(id) FROM "%s"' % table).fetchone()[0] or 0
            nxt = max(self._seq.get(table, 0), top) + 1
            self._seq[table] = nxt
            return nxt


def translate_integrity_error(exc):
    """sqlite3.IntegrityError -> errors.IntegrityViolation (psycopg2-like diag)."""
    msg = str(exc)
    if msg.startswith("NOT NULL constraint failed: "):
        table, _, column = msg.split(": ", 1)[1].partition(".")
        return errors.IntegrityViolation("not_null", table, column=column, message=msg)
    if msg.startswith("CHECK constraint failed: "):
        constraint = msg.split(": ", 1)[1]
        return errors.IntegrityViolation("check", None, constraint=constraint, message=msg)
    if msg.startswith("UNIQUE constraint failed: "):
        table, _, column = msg.split(": ", 1)[1].partition(".")
        return errors.IntegrityViolation("unique", table, column=column, message=msg)
    return errors.IntegrityViolation("other", None, message=msg)


def create_schema(path, registry):
    conn = connect(path)
    try:
        for stmt in registry.ddl():
            conn.execute(stmt)
    finally:
        conn.close()


def db_path(data_dir, name):
    return os.path.join(data_dir, "%s.sqlite" % name)
