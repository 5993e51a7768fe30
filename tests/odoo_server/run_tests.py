#!/usr/bin/env python3
"""Run the emulator's unittest suite and print TAP (for the project runner).

    python3 tests/odoo_server/run_tests.py [-v] [pattern]

One TAP line per test method ("ok N - module.Class.test" / "not ok N - ..."),
failure details as TAP comments, the plan "1..N" at the end; exit status 1
when anything failed or errored.
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(HERE, "tests")


class TapResult(unittest.TestResult):
    def __init__(self, stream, verbose):
        super().__init__()
        self.stream = stream
        self.verbose = verbose
        self.count = 0
        self._failed = {}

    def _name(self, test):
        return test.id()

    def _emit(self, test, ok, detail=None, directive=""):
        self.count += 1
        self.stream.write("%s %d - %s%s\n" % ("ok" if ok else "not ok", self.count, self._name(test), directive))
        if detail:
            for line in detail.rstrip().splitlines():
                self.stream.write("# %s\n" % line)
        self.stream.flush()

    def startTest(self, test):
        super().startTest(test)
        self._failed[test.id()] = []
        self._t0 = time.time()

    def addSubTest(self, test, subtest, outcome):
        super().addSubTest(test, subtest, outcome)
        if outcome is not None:
            self._failed[test.id()].append("%s\n%s" % (subtest.id(), self._exc_info_to_string(outcome, test)))

    def addError(self, test, err):
        super().addError(test, err)
        self._failed[test.id()].append(self._exc_info_to_string(err, test))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._failed[test.id()].append(self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._failed[test.id()] = None
        self._emit(test, True, directive=" # SKIP %s" % reason)

    def stopTest(self, test):
        super().stopTest(test)
        problems = self._failed.pop(test.id(), [])
        if problems is None:
            return
        if self.verbose:
            self.stream.write("# %.2fs\n" % (time.time() - self._t0))
        self._emit(test, not problems, "\n".join(problems) if problems else None)


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    pattern = args[0] if args else "test*.py"
    sys.path.insert(0, TESTS)
    suite = unittest.defaultTestLoader.discover(TESTS, pattern=pattern, top_level_dir=TESTS)
    result = TapResult(sys.stdout, verbose)
    t0 = time.time()
    suite.run(result)
    sys.stdout.write("1..%d\n# %d tests, %.1fs\n" % (result.count, result.count, time.time() - t0))
    return 0 if result.wasSuccessful() and result.count else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
