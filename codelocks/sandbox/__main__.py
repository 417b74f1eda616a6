"""`python -m codelocks.sandbox`: run the sandbox API on a local port until stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType

from .faults import rule_from_cli
from .server import DEFAULT_ACCESSKEYS, SandboxServer
from .state import PLANS


def build_parser() -> argparse.ArgumentParser:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m codelocks.sandbox", description="A stand-in Codelocks Connect API."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8001, help="port (0 picks a free one)")
    parser.add_argument("--api-key", required=True, help="the x-api-key the sandbox accepts")
    parser.add_argument("--plan", default="business-1", choices=sorted(PLANS))
    parser.add_argument(
        "--k3-accesskey",
        action="append",
        dest="k3_accesskeys",
        help="a K3 Connect access key to seed an account for (repeatable)",
    )
    parser.add_argument("--state-file", help="JSON file to load at start and save changes to")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        help='a fault rule: JSON or "operation=k3_locks,status=502,count=2" (repeatable)',
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start the sandbox and serve until SIGINT/SIGTERM."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s sandbox %(message)s",
    )
    try:
        faults = [rule_from_cli(spec) for spec in args.fault]
    except ValueError as exc:
        print(f"Bad --fault: {exc}", file=sys.stderr)
        return 2
    server = SandboxServer(
        api_key=args.api_key,
        plan=args.plan,
        k3_accesskeys=args.k3_accesskeys or DEFAULT_ACCESSKEYS,
        host=args.host,
        port=args.port,
        state_file=args.state_file,
        seed=args.seed,
        faults=faults,
    )
    _stop_on_signals(server)
    accounts = ", ".join(
        f"{a.email} ({len(a.locks)} locks)" for a in server.state.accounts.values()
    )
    print(f"Codelocks sandbox on {server.url} (plan {args.plan}; K3 accounts: {accounts})")
    sys.stdout.flush()
    server.serve_forever()
    server.state.flush()
    return 0


def _stop_on_signals(server: SandboxServer) -> None:
    """Stop cleanly (and save the state file) on Ctrl-C or SIGTERM."""

    def stop(signum: int, frame: FrameType | None) -> None:
        """Stop from another thread: shutdown() waits for serve_forever to return."""
        threading.Thread(target=server.stop, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


if __name__ == "__main__":
    sys.exit(main())
