"""The ``infoview`` command line. Run it from the repository root (it reads rxconfig.py for
the database URL, which REFLEX_DB_URL overrides)."""

import argparse
import fcntl
import getpass
import hashlib
import os
import secrets
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reflex.config import get_config

from infoview_app import db, routes, serving
from infoview_app.api import backend_url
from infoview_app.config import audit_retention_days, secret_key, smtp_settings
from infoview_app.models import Role
from infoview_app.models._base import utcnow
from infoview_app.services.accounts import audit, user_accounts
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.time_zones import today_in
from infoview_app.services.demo import sample_student, synthetic_campus
from infoview_app.services.follow_up import reminders
from infoview_app.services.research import occupations
from infoview_app.services.staff import institution


def _read_password() -> str:
    """From the terminal (asked twice), or the first line of standard input when piped."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password for the new admin: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise SystemExit("The two passwords differ; nothing was created.")
    return first


def _create_admin(args: argparse.Namespace) -> int:
    db.upgrade_to_head()
    password = _read_password()
    with db.session() as session:
        try:
            user = user_accounts.create_user(session, role=Role.ADMIN, name=args.name,
                                             email=args.email, password=password)
        except InvalidInput as error:
            for field, message in error.errors.items():
                print(f"error: {field}: {message}", file=sys.stderr)
            return 2
    print(f"Created admin {user.name} <{user.email}>.")
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    db.upgrade_to_head()
    password = args.password or secrets.token_urlsafe(12)
    with db.session() as session:
        try:
            student, staff = sample_student.create_demo_data(session, password)
        except (ValueError, InvalidInput) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    print("Demo accounts created (sign in at /login):")
    print(f"  student: {student.email}")
    print(f"  staff:   {staff.email}")
    print(f"  password for both: {password}")
    return 0


def _synthetic_campus(args: argparse.Namespace) -> int:
    if not 0 < args.students <= synthetic_campus.MAX_STUDENTS:
        print(f"error: --students must be 1 to {synthetic_campus.MAX_STUDENTS:,}", file=sys.stderr)
        return 2
    db.upgrade_to_head()
    full_size = synthetic_campus.CampusSize()
    size = full_size.scaled(args.students / full_size.students)
    with db.session() as session:
        real = synthetic_campus.real_students(session)
        if real and not args.force:
            print(f"error: this database has {real:,} real students; synthetic ones would "
                  "mix into the staff dashboard's figures. Use an empty database, or --force.",
                  file=sys.stderr)
            return 2
        written = synthetic_campus.create_campus(session, size, today_in(), args.seed)
    print("Synthetic campus added (nobody can sign in as these students):")
    for table, count in written.items():
        print(f"  {table}: {count:,}")
    return 0


SKIPPED_SHOWN = 50
DEFAULT_PORT = 3000


def _import_onet(args: argparse.Namespace) -> int:
    db.upgrade_to_head()
    with db.session() as session:
        try:
            report = occupations.import_onet(session, Path(args.directory))
        except InvalidInput as error:
            print(f"error: {error.message}", file=sys.stderr)
            return 2
    print(f"Imported O*NET from {args.directory}:")
    print(f"  occupations: {report.occupations_added} added, "
          f"{report.occupations_updated} updated")
    print(f"  tasks: {report.tasks_added} added, {report.tasks_updated} updated, "
          f"{report.starter_tasks_replaced} starter tasks replaced")
    print(f"  skipped rows: {len(report.skipped)}")
    for row in report.skipped[:SKIPPED_SHOWN]:
        print(f"{row.file}:{row.line}: {row.reason}")
    if len(report.skipped) > SKIPPED_SHOWN:
        print(f"… and {len(report.skipped) - SKIPPED_SHOWN} more")
    return 0


def _prune_audit(args: argparse.Namespace) -> int:
    try:
        days = audit_retention_days() if args.days is None else args.days
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    db.upgrade_to_head()
    with db.session() as session:
        try:
            deleted = audit.prune(session, days)
        except InvalidInput:
            low, high = audit.RETENTION_RANGE
            print(f"error: --days must be {low} to {high:,}", file=sys.stderr)
            return 2
    print(f"Deleted {deleted:,} audit events older than {days:,} days.")
    return 0


def _run_lock(database_url: str) -> int | None:
    """An exclusive lock for one run of send-reminders per database on this machine (a flock,
    released by the system when the process ends, however it ends): the file descriptor, or
    None when another run holds it."""
    name = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"infoview-send-reminders-{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _exit_after() -> int:
    """INFOVIEW_REMINDERS_EXIT_AFTER (tests only): die abruptly after that many digests, as a
    run killed halfway would; 0, the default, never."""
    raw = os.environ.get("INFOVIEW_REMINDERS_EXIT_AFTER", "0").strip() or "0"
    return int(raw) if raw.isdigit() else 0


def _send_reminders(args: argparse.Namespace) -> int:
    try:
        settings, secret = smtp_settings(), secret_key()
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if settings is None:
        print("error: no SMTP server is configured (INFOVIEW_SMTP_HOST).", file=sys.stderr)
        return 2
    base_url = (get_config().deploy_url or "").rstrip("/")
    if not base_url:
        print("error: the app's address is not set (REFLEX_DEPLOY_URL): the emails' links "
              "need it.", file=sys.stderr)
        return 2
    if _run_lock(str(get_config().db_url)) is None:
        print("Another send-reminders run is in progress; nothing sent.", file=sys.stderr)
        return 1
    db.upgrade_to_head()
    stop_at = _exit_after()

    def on_sent(count: int) -> None:
        if count == stop_at:
            os._exit(3)  # a killed run: no clean-up, no report

    with db.session() as session:
        mailing = reminders.Mailing(settings=settings, letterhead=institution.letterhead(session),
                                    base_url=base_url,
                                    unsubscribe_url=backend_url(routes.UNSUBSCRIBE),
                                    secret=secret, now=utcnow())
        report = reminders.send_reminders(session, mailing, page_size=args.page_size,
                                          connections=args.connections, on_sent=on_sent)
    print(f"Reminder digests sent: {report.sent:,}; failed (retried next run): "
          f"{report.failed:,}; already sent today: {report.already_sent:,}.")
    return 1 if report.failed else 0


def _migrate(_args: argparse.Namespace) -> int:
    db.upgrade_to_head()
    print("Database is at the latest migration.")
    return 0


def _build(args: argparse.Namespace) -> int:
    if status := serving.build(args.port):
        print("error: the production build failed (its output is above).", file=sys.stderr)
        return status
    print(f"Production build ready for port {args.port}: start it with `infoview serve`.")
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        serving.serve(args.host, args.port,
                      serving.default_workers() if args.workers is None else args.workers)
    except serving.ServeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _make_migration(args: argparse.Namespace) -> int:
    db.make_migration(args.message)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="infoview", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="create the first admin account "
                                "(password from the terminal, or stdin when piped)")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.set_defaults(run=_create_admin)
    demo_parser = commands.add_parser("demo-data", help="create a demo student and a demo "
                                      "staff account with realistic data")
    demo_parser.add_argument("--password", help="password for both (default: generated and "
                             "printed)")
    demo_parser.set_defaults(run=_demo_data)
    onet = commands.add_parser("import-onet", help="load (or update) occupations and their "
                               "tasks from the O*NET database text files in DIRECTORY")
    onet.add_argument("directory", metavar="DIRECTORY",
                      help="holds 'Occupation Data.txt' and 'Task Statements.txt'")
    onet.set_defaults(run=_import_onet)
    campus = commands.add_parser("synthetic-campus", help="(developers) add thousands of "
                                 "synthetic students with realistic activity, to try the "
                                 "staff dashboard")
    campus.add_argument("--students", type=int, default=1000,
                        help="how many (explorations, contacts and so on in proportion)")
    campus.add_argument("--seed", type=int, default=1, help="the same seed gives the same rows")
    campus.add_argument("--force", action="store_true",
                        help="add them even beside real students")
    campus.set_defaults(run=_synthetic_campus)
    prune = commands.add_parser("prune-audit", help="delete the audit log's events older "
                                "than the retention period (run it daily, e.g. from cron)")
    prune.add_argument("--days", type=int, help="keep this many days (default: "
                       "INFOVIEW_AUDIT_RETENTION_DAYS, or 365)")
    prune.set_defaults(run=_prune_audit)
    remind = commands.add_parser("send-reminders", help="email each student their digest of "
                                 "follow-ups due today and interviews tomorrow (run it hourly "
                                 "or daily from cron or a systemd timer; see the README)")
    remind.add_argument("--page-size", type=int, default=reminders.PAGE_SIZE,
                        choices=range(1, 5001), metavar="N",
                        help=f"students read per page (default {reminders.PAGE_SIZE})")
    remind.add_argument("--connections", type=int, default=reminders.CONNECTIONS,
                        help="SMTP connections sending at once (default "
                             f"{reminders.CONNECTIONS}; 1 if the server allows only one)")
    remind.set_defaults(run=_send_reminders)
    migrate = commands.add_parser("migrate", help="apply the committed migrations")
    migrate.set_defaults(run=_migrate)
    build = commands.add_parser("build", help="compile the app and build the production "
                                "frontend (once per release; `serve` does not rebuild)")
    build.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"the port `serve` will listen on (default {DEFAULT_PORT})")
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="serve the built frontend and the backend on one "
                                "port, with workers started again when one fails")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port to listen on (default {DEFAULT_PORT})")
    serve.add_argument("--workers", type=int, help="worker processes (default: "
                       "GRANIAN_WORKERS, else min(2 x CPUs + 1, 8) with REFLEX_REDIS_URL, else 1)")
    serve.set_defaults(run=_serve)
    make = commands.add_parser("make-migration", help="(developers) write a new migration "
                               "from the changes to the models")
    make.add_argument("message")
    make.set_defaults(run=_make_migration)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
