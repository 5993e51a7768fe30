"""Fault injection and counters, switchable at runtime.

A fault is decided *before* the work is done (nothing is executed, so the
database matches what the client is told), except ``drop_after_commit``,
which commits and then drops the connection: the client cannot know the
outcome, which is what idempotent retries must cope with.  After a
latency/hang sleep, a call whose client has hung up meanwhile (timeout) is
abandoned, not executed (counted as "abandoned").

Faults only apply to model method calls (object.execute_kw, execute,
JSON-2), never to ``common``/``db`` services (the readiness check uses
common.version) nor to ``/odf-test/*``.

``echo_request_rate``: the call fails (builtins.ValueError, nothing done)
with a message quoting the request's Authorization header and body, as a
careless server might: secrets must not reach the client's output.

``load_error_on`` is not random: a ``load`` whose data holds a cell equal to
that text fails whole (builtins.ValueError, nothing saved), the kind of
error envelope real Odoo answers for some bad cells, which odf's own data
never produces; ``load_error_name`` "ValidationError" makes it an
odoo.exceptions.ValidationError instead (JSON-2: a 422, not a 500).  ``xmlid_race_ms`` makes ``export_data`` behave as Odoo's
unlocked ``__ensure_xml_id`` under concurrency (see services.py).

The call log (``log()``) records every model method call: model, method,
the client's address:port (``peer``), monotonic start/end of the work, the
``id`` column of a ``load``, and the fault if one was injected.
"""

import random
import threading
import time
from collections import Counter, deque

from . import errors

OPTIONS = {
    "latency_ms": 0, "error_rate": 0.0, "error_status": 503, "drop_rate": 0.0,
    "serialization_rate": 0.0, "hang_ms": 0, "hang_rate": 0.0,
    "drop_after_commit_rate": 0.0, "methods": None, "seed": None,
    "load_error_on": None, "load_error_name": "ValueError", "xmlid_race_ms": 0,
    "echo_request_rate": 0.0,
}
# what a load hit by load_error_on raises: name -> (class, message format)
LOAD_ERRORS = {
    "ValueError": (ValueError, "invalid literal for int() with base 10: %r"),
    "ValidationError": (errors.ValidationError, "odf test server: the record holding %r cannot be saved"),
}
NULLABLE = ("methods", "seed", "load_error_on")
LOG_SIZE = 100000      # entries kept (the oldest are dropped)
SERIALIZABLE = ("load", "write", "create", "unlink")


class Decision:
    """What to do with one call; ``sleep_ms`` first, then at most one fault."""
    __slots__ = ("sleep_ms", "kind")

    def __init__(self, sleep_ms=0, kind=None):
        self.sleep_ms = sleep_ms
        # None | "error" | "drop" | "serialization" | "drop_after_commit" | "echo_request"
        self.kind = kind


class Faults:
    def __init__(self, **options):
        self._lock = threading.Lock()
        self.settings = dict(OPTIONS)
        self.rng = random.Random()
        self.stats = Counter()
        self.calls = Counter()
        self.calls_log = deque(maxlen=LOG_SIZE)
        self.configure(options)

    def configure(self, options):
        """Apply a (partial) settings dict; unknown keys are a ValueError."""
        unknown = set(options) - set(OPTIONS)
        if unknown:
            raise ValueError("unknown fault option(s): %s" % ", ".join(sorted(unknown)))
        with self._lock:
            for key, value in options.items():
                if value is None and key not in NULLABLE:
                    value = OPTIONS[key]
                if key == "methods" and value is not None:
                    value = list(value)
                elif key == "load_error_on" and value is not None:
                    if not isinstance(value, str) or not value:
                        raise ValueError("load_error_on must be a non-empty text or null")
                elif key == "load_error_name" and value not in LOAD_ERRORS:
                    raise ValueError("load_error_name must be one of %s" % ", ".join(sorted(LOAD_ERRORS)))
                elif key in ("latency_ms", "hang_ms", "error_status", "xmlid_race_ms"):
                    value = int(value)
                elif key.endswith("_rate"):
                    value = float(value)
                    if not 0.0 <= value <= 1.0:
                        raise ValueError("%s must be within [0, 1]" % key)
                self.settings[key] = value
            if "seed" in options:
                self.rng = random.Random(self.settings["seed"])
            return dict(self.settings)

    def get(self):
        with self._lock:
            return dict(self.settings)

    def _hit(self, rate):
        return rate > 0 and self.rng.random() < rate

    def decide(self, method):
        """Decision for a call of model method ``method`` (counts the call)."""
        with self._lock:
            self.calls[method] += 1
            s = self.settings
            if s["methods"] is not None and method not in s["methods"]:
                return Decision()
            sleep = s["latency_ms"]
            if s["hang_ms"] and self._hit(s["hang_rate"]):
                sleep += s["hang_ms"]
                self.stats["hang"] += 1
            if sleep and s["latency_ms"]:
                self.stats["latency"] += 1
            kind = None
            if self._hit(s["error_rate"]):
                kind = "error"
            elif self._hit(s["drop_rate"]):
                kind = "drop"
            elif method in SERIALIZABLE and self._hit(s["serialization_rate"]):
                kind = "serialization"
            elif self._hit(s["drop_after_commit_rate"]):
                kind = "drop_after_commit"
            elif self._hit(s["echo_request_rate"]):
                kind = "echo_request"
            if kind:
                self.stats[kind] += 1
            return Decision(sleep, kind)

    def load_error(self, data):
        """The exception a ``load`` of ``data`` fails with, else None (counts it)."""
        settings = self.get()
        marker = settings["load_error_on"]
        if marker is None or not isinstance(data, list):
            return None
        for row in data:
            if isinstance(row, list) and marker in row:
                self.count("load_error")
                cls, fmt = LOAD_ERRORS[settings["load_error_name"]]
                return cls(fmt % marker)
        return None

    def log_call(self, entry):
        with self._lock:
            self.calls_log.append(entry)

    def log(self):
        with self._lock:
            return list(self.calls_log)

    @staticmethod
    def clock():
        return round(time.monotonic(), 6)

    def count(self, key):
        with self._lock:
            self.stats[key] += 1

    def snapshot(self):
        with self._lock:
            return {"calls": dict(self.calls), "faults": dict(self.stats),
                    "total_calls": sum(self.calls.values()),
                    "total_faults": sum(v for k, v in self.stats.items() if k not in ("latency", "abandoned"))}

    def reset_stats(self):
        with self._lock:
            self.calls.clear()
            self.stats.clear()
            self.calls_log.clear()
