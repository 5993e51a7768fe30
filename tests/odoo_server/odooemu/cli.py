"""Command line entry point of the emulator (see tests/odoo_server/README.md)."""

import argparse
import os
import signal
import ssl
import sys
import threading
import time

from . import faults as faults_mod
from .httpd import Server
from .instance import Instance
from .services import Services


def build_parser():
    p = argparse.ArgumentParser(description="Odoo external API emulator for odf tests")
    p.add_argument("--data-dir", required=True, help="directory holding one <db>.sqlite per database")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--port-file", help="written (atomically) with the port once ready")
    p.add_argument("--db", action="append", default=[], help="database to create if absent (repeatable)")
    p.add_argument("--password", default="admin", help="password of admin (uid 2)")
    p.add_argument("--api-key", default="odf-test-api-key", help="API key (JSON-2 bearer, or as password)")
    p.add_argument("--version", default="17.0", choices=["17.0", "19.0"], help="reported Odoo version")
    p.add_argument("--seed-partners", type=int, default=0, help="seed N partners into the first --db")
    p.add_argument("--seed", type=int, default=1, help="random seed for --seed-partners")
    p.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain)")
    p.add_argument("--tls-key", help="the certificate's PEM private key (default: in --tls-cert)")
    p.add_argument("--login-cost", type=float, default=0.0, metavar="SECONDS",
                   help="time a login (common.login/authenticate) takes, as real Odoo's password "
                        "hash does (0.4-0.8 s); default 0")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="shut down when the parent process dies (no leftovers from killed test runs)")
    g = p.add_argument_group("fault injection (also at runtime: POST /odf-test/faults)")
    g.add_argument("--latency-ms", type=int)
    g.add_argument("--error-rate", type=float)
    g.add_argument("--error-status", type=int)
    g.add_argument("--drop-rate", type=float)
    g.add_argument("--drop-after-commit-rate", type=float)
    g.add_argument("--serialization-rate", type=float)
    g.add_argument("--echo-request-rate", type=float)
    g.add_argument("--hang-ms", type=int)
    g.add_argument("--hang-rate", type=float)
    g.add_argument("--fault-methods", help="comma-separated model methods faults apply to")
    g.add_argument("--fault-seed", type=int)
    g.add_argument("--load-error-on", help="a load holding a cell equal to this text fails whole (ValueError)")
    g.add_argument("--xmlid-race-ms", type=int, help="export_data: gap between reading and creating xmlids")
    return p


def fault_options(args):
    opts = {}
    for key in faults_mod.OPTIONS:
        if key in ("methods", "seed"):
            continue
        value = getattr(args, key, None)
        if value is not None:
            opts[key] = value
    if args.fault_methods:
        opts["methods"] = [m for m in args.fault_methods.split(",") if m]
    if args.fault_seed is not None:
        opts["seed"] = args.fault_seed
    return opts


def write_port_file(path, port):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as fh:
        fh.write("%d\n" % port)
    os.replace(tmp, path)


def watch_parent(parent, server):
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            server.shutdown()
            return


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.login_cost < 0:
        sys.exit("--login-cost must be 0 or more seconds")
    instance = Instance(args.data_dir, password=args.password, api_key=args.api_key, version=args.version)
    for name in args.db:
        instance.create(name)
    if args.seed_partners:
        if not args.db:
            sys.exit("--seed-partners needs a --db")
        from .seed import seed_partners
        seed_partners(os.path.join(args.data_dir, "%s.sqlite" % args.db[0]), args.seed_partners, args.seed)
    ssl_context = None
    if args.tls_cert:
        ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_context.load_cert_chain(args.tls_cert, args.tls_key)
    elif args.tls_key:
        sys.exit("--tls-key needs --tls-cert")
    server = Server((args.host, args.port), Services(instance, login_cost=args.login_cost),
                    faults_mod.Faults(**fault_options(args)), verbose=args.verbose, ssl_context=ssl_context)
    port = server.server_address[1]

    def stop(_signum, _frame):
        # shutdown() blocks until serve_forever returns: call it off the main thread
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_with_parent:
        threading.Thread(target=watch_parent, args=(os.getppid(), server), daemon=True).start()
    if args.port_file:
        write_port_file(args.port_file, port)
    print("listening on %s:%d%s" % (args.host, port, " (https)" if ssl_context else ""), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0
