"""Fast, deterministic synthetic partners (constant memory).

Shape of the data (per ``--seed``, identical across runs on the same start
state):

* companies (about 20 %), each followed by 0-7 contacts (parent_id), some
  contacts with a sub-contact (3 levels, invoice/delivery/other addresses);
  contacts carry their company's address, as Odoo's address sync does;
* stored derived fields computed here exactly like the ORM does
  (complete_name "Company, Contact", commercial_partner_id ...);
* 30 tags (some nested), a third of the partners with 1-3 tags;
* non-ASCII names, quotes, apostrophes and newlines in text fields, html
  comments, a few archived partners;
* half of the partners have an ``__import__.odf_seed_<id>`` external id,
  the others none (export_data will create ``__export__`` ones).

Rows are streamed with executemany in chunks inside one transaction, which
works while a server is running on the same file (WAL, BEGIN IMMEDIATE).
"""

import random

from . import db as dbmod
from .behaviour import partner_complete_name
from .countries import COUNTRIES
from .instance import create_database

FIRST = ["Anna", "Seán", "Quentin", "Zoë", "José", "Ægir", "Łukasz", "Chloé", "Mohammed", "Yuki",
         "Björn", "Ingrid", "François", "Núria", "Dmitri", "Søren", "Ana", "Giulia", "Hélène", "Tomás",
         "Olivia", "Noah", "Emma", "Liam", "Ines", "Jürgen", "Małgorzata", "Ørjan", "Ştefan", "Lucía"]
LAST = ["Müller", "García", "O'Brien", "D'Angelo", "Ødegård", "Żółkiewski", "Papadopoulos", "Tanaka",
        "Nguyễn", "Smith", "Dubois", "Janssens", "Kowalski", "Rossi", "Fernández", "Andersson",
        "Brown", "Peeters", "Novák", "Horváth", "Silva", "Yılmaz", "Çelik", "Jensen", "Van den Berg"]
COMPANY_PREFIX = ["Acme \"Best\" Tools", "Alpha", "Nordic", "Grupo Ñandú", "Quantum", "Société Générale d'Études",
                  "Blue Öcean", "Apex & Sons", "Zenith", "Helios", "Kraków Łódź", "L'Atelier"]
COMPANY_SUFFIX = ["SA", "AG", "GmbH", "B.V.", "Ltd", "S.L.", "Sp. z o.o.", "AS", "A.E.", "S.r.l.", "Inc.", "NV"]
CITIES = ["Brussels", "Liège", "São Paulo", "Kraków", "Zürich", "Malmö", "Tromsø", "Athens", "Lyon", "Köln"]
COUNTRY_CODES = ["BE", "FR", "DE", "NL", "ES", "PL", "NO", "GR", "IT", "US", "GB", "BR", "CH", "SE"]
LANGS = ["en_US", "fr_BE", "nl_BE", "de_DE", "fr_FR", "es_ES"]
SUB_TYPES = ["invoice", "delivery", "other"]
TAGS = ["Seed Customer", "Seed Supplier", "Seed VIP", "Seed \"Key\" Account", "Seed Café & Bar",
        "Seed Łódź Region", "Seed Prospect", "Seed Partner", "Seed Retail", "Seed Wholesale"]
TIMESTAMP = "2024-07-09 12:00:00"
CHUNK = 5000

PARTNER_COLUMNS = [
    "id", "name", "complete_name", "display_name_dummy", "is_company", "type", "parent_id",
    "commercial_partner_id", "commercial_company_name", "email", "email_normalized", "phone", "street",
    "street2", "zip", "city", "country_id", "lang", "active", "comment", "color", "ref",
    "partner_latitude", "employee", "partner_share", "create_uid", "create_date", "write_uid", "write_date",
]
PARTNER_COLUMNS.remove("display_name_dummy")


def _country_ids():
    ids = {code: i for i, (_x, code, _n) in enumerate(COUNTRIES, 1)}
    return [ids[c] for c in COUNTRY_CODES]


def ensure_tags(cr, rng):
    """The seed tags (30: 10 roots x 3 levels of names), created once per db."""
    existing = dict(cr.execute("SELECT name, id FROM res_partner_category WHERE name LIKE 'Seed %'"))
    if len(existing) >= 30:
        return sorted(existing.values())
    next_id = (cr.execute("SELECT max(id) FROM res_partner_category").fetchone()[0] or 0) + 1
    rows, ids = [], []
    for root in TAGS:
        parent = None
        for level, suffix in enumerate(("", " / Gold", " / Silver")):
            name = root if level == 0 else suffix.split(" / ")[1] + " " + root.split(" ", 1)[1]
            if name in existing:
                parent = existing[name]
                ids.append(parent)
                continue
            rows.append((next_id, name, rng.randint(1, 11), parent, 1, 2, TIMESTAMP, 2, TIMESTAMP))
            existing[name] = next_id
            ids.append(next_id)
            parent = next_id
            next_id += 1
    cr.executemany("INSERT INTO res_partner_category (id, name, color, parent_id, active, create_uid,"
                   " create_date, write_uid, write_date) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    return ids


def _slug(text):
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


class Generator:
    """Partner rows; ``rnd()`` indexing instead of randint/choice: this loop
    is the bottleneck of big seeds."""

    def __init__(self, rng, start_id, tag_ids):
        self.rnd = rng.random
        self.rng = rng
        self.next_id = start_id
        self.tag_ids = tag_ids
        self.countries = _country_ids()
        self.seq = 0
        self.first = [(f, _slug(f)) for f in FIRST]
        self.last = [(n, _slug(n)) for n in LAST]
        self.prefix = [(p, _slug(p)) for p in COMPANY_PREFIX]

    def pick(self, seq):
        return seq[int(self.rnd() * len(seq))]

    def _row(self, name, is_company, ptype, parent, commercial, commercial_name, address, email, extra_text):
        rnd = self.rnd
        pid = self.next_id
        self.next_id += 1
        self.seq += 1
        if parent:
            complete = partner_complete_name(name, ptype, is_company, parent[1], commercial_name, None)
        else:
            complete = name
        active = 0 if rnd() < 0.03 else 1
        comment = None
        if rnd() < 0.1:
            comment = "<p>Note for %s\nLine with \"double\" and 'single' quotes &amp; more</p>" % (
                (name or "").replace("&", "&amp;").replace("<", "&lt;"))
        row = (pid, name, complete, 1 if is_company else 0, ptype, parent[0] if parent else None,
               commercial or pid, commercial_name, email, email.lower() if email else None,
               "+32 2 %03d %02d %02d" % (int(rnd() * 1000), int(rnd() * 100), int(rnd() * 100)),
               address[0], address[1], address[2], address[3], address[4], self.pick(LANGS), active,
               comment, 0, extra_text, 0.0, 0, 1, 2, TIMESTAMP, 2, TIMESTAMP)
        tags = ()
        if rnd() < 0.33:
            tags = self.rng.sample(self.tag_ids, 1 + int(rnd() * 3))
        return row, tags, rnd() < 0.5

    def person(self):
        first, fslug = self.pick(self.first)
        last, lslug = self.pick(self.last)
        return "%s %s" % (first, last), fslug + "." + lslug

    def partners(self, count):
        """Yield (row, tag ids, has_xmlid) for ``count`` partners."""
        rnd, pick = self.rnd, self.pick
        produced = 0
        while produced < count:
            prefix, pslug = pick(self.prefix)
            last, lslug = pick(self.last)
            cname = "%s %s %s" % (prefix, last, pick(COMPANY_SUFFIX))
            if rnd() < 0.02:
                cname += " (Holding, \"Intl\")"
            address = ("Rue de l'Église %d" % (1 + int(rnd() * 200)),
                       "Building %d\nFloor %d" % (1 + int(rnd() * 9), 1 + int(rnd() * 20)) if rnd() < 0.4 else None,
                       "%04d" % (1000 + int(rnd() * 9000)), pick(CITIES), pick(self.countries))
            email = "info%05d@%s%s.example.com" % (self.seq, pslug[:8], lslug[:6])
            row, tags, xmlid = self._row(cname, True, "contact", None, None, cname, address, email, None)
            company = (row[0], cname)
            yield row, tags, xmlid
            produced += 1
            for _ in range(int(rnd() * 8)):
                if produced >= count:
                    return
                name, slug = self.person()
                email = "%s.%05d@example.org" % (slug, self.seq) if rnd() < 0.8 else None
                row, tags, xmlid = self._row(name, False, "contact", company, company[0], cname, address, email, None)
                contact = (row[0], name)
                yield row, tags, xmlid
                produced += 1
                if rnd() < 0.15 and produced < count:
                    sub_name = self.person()[0] if rnd() < 0.5 else None
                    row, tags, xmlid = self._row(sub_name, False, pick(SUB_TYPES), contact, company[0], cname,
                                                 address, None, "sub of %d" % contact[0])
                    yield row, tags, xmlid
                    produced += 1


def seed_partners(path, count, seed=1):
    """Insert ``count`` partners into the database file ``path``; returns their id range."""
    create_database(path)
    conn = dbmod.connect(path)
    try:
        rng = random.Random(seed)
        conn.execute("PRAGMA cache_size=-262144")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN IMMEDIATE")
        # Random-order inserts into the complete_name index dominate the cost
        # of big seeds; rebuilding it once (a sort) is much cheaper.  Readers
        # keep their snapshot (with the index) until COMMIT.
        rebuild = count >= 20000
        if rebuild:
            conn.execute("DROP INDEX IF EXISTS res_partner_complete_name_index")
        tag_ids = ensure_tags(conn, rng)
        start = (conn.execute("SELECT max(id) FROM res_partner").fetchone()[0] or 0) + 1
        imd_next = (conn.execute("SELECT max(id) FROM ir_model_data").fetchone()[0] or 0) + 1
        gen = Generator(rng, start, tag_ids)
        insert = "INSERT INTO res_partner (%s) VALUES (%s)" % (
            ", ".join('"%s"' % c for c in PARTNER_COLUMNS), ",".join("?" * len(PARTNER_COLUMNS)))
        rows, rels, imds = [], [], []
        for row, tags, xmlid in gen.partners(count):
            rows.append(row)
            pid = row[0]
            for t in tags:
                rels.append((pid, t))
            if xmlid:
                imds.append((imd_next, "__import__", "odf_seed_%d" % pid, "res.partner", pid))
                imd_next += 1
            if len(rows) >= CHUNK:
                _flush(conn, insert, rows, rels, imds)
        _flush(conn, insert, rows, rels, imds)
        if rebuild:
            conn.execute('CREATE INDEX IF NOT EXISTS res_partner_complete_name_index ON res_partner (complete_name)')
        conn.execute("COMMIT")
        return start, gen.next_id - 1
    finally:
        conn.close()


def _flush(conn, insert, rows, rels, imds):
    conn.executemany(insert, rows)
    conn.executemany("INSERT OR IGNORE INTO res_partner_res_partner_category_rel (partner_id, category_id)"
                     " VALUES (?, ?)", rels)
    conn.executemany("INSERT INTO ir_model_data (id, module, name, model, res_id, noupdate, create_uid,"
                     " create_date, write_uid, write_date) VALUES (?, ?, ?, ?, ?, 0, 2, '%s', 2, '%s')"
                     % (TIMESTAMP, TIMESTAMP), imds)
    rows.clear()
    rels.clear()
    imds.clear()


def main(argv=None):
    import argparse
    import os
    import time
    p = argparse.ArgumentParser(description="Seed synthetic partners into an emulator database")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--partners", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    os.makedirs(args.data_dir, exist_ok=True)
    t0 = time.time()
    first, last = seed_partners(dbmod.db_path(args.data_dir, args.db), args.partners, args.seed)
    dt = time.time() - t0
    print("seeded %d partners (ids %d-%d) into %s in %.2fs (%.0f rows/s)"
          % (args.partners, first, last, args.db, dt, args.partners / dt if dt else 0))
    return 0

