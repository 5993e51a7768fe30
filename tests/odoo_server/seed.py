#!/usr/bin/env python3
"""Seed synthetic partners:  seed.py --data-dir DIR --db NAME --partners N [--seed S]"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odooemu.seed import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
