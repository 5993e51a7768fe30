#!/usr/bin/env python3
"""Odoo external API emulator for odf's tests.  See README.md in this folder.

    python3 tests/odoo_server/server.py --data-dir DIR --db NAME [--port 0 --port-file F]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odooemu.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
