"""registry: the multicentre registry (an optional extra: Django is loaded only here).

``jdmtrack registry`` works without the extra installed far enough to say which
``pip install`` line brings it; each subcommand loads Django when it runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import click

from .errors import ReportedError, reported

__all__ = ["COMMANDS"]

INSTALL_LINE = 'pip install "jdmtrack[registry]"'


@click.group()
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder holding the registry's database and secret key "
                   "[./jdmtrack-registry]. DATABASE_URL, if set, names the database instead.")
@click.pass_context
def registry(ctx: click.Context, home: Path | None) -> None:
    """The multicentre registry: sites, users, data entry pages, import, export, audit log."""
    if find_spec("django") is None or find_spec("simple_history") is None:
        raise ReportedError(f"the registry needs its optional dependencies: {INSTALL_LINE}")
    ctx.obj = home or Path(os.environ.get("JDMTRACK_REGISTRY_HOME", "jdmtrack-registry"))


@contextmanager
def _django(ctx: click.Context, *, creating: bool = False) -> Iterator[Path]:
    """Load the registry in HOME; every error it raises becomes a message and exit 1."""
    home: Path = ctx.obj
    if not creating and not os.environ.get("DATABASE_URL") and not (home / "registry.sqlite3").exists():
        raise ReportedError(f"no registry in {home}: create one with "
                            "`jdmtrack registry init --admin NAME` (or give --home DIR)")
    from django.core.exceptions import ImproperlyConfigured, ValidationError
    from django.db import DatabaseError

    from ..registry import setup

    try:
        setup(home)
    except (ImproperlyConfigured, ValueError) as err:
        # e.g. a DATABASE_URL that names no known database
        raise ReportedError(f"the registry's settings cannot be used: {err}") from err
    with reported():
        try:
            yield home
        except ValidationError as err:
            raise ReportedError("; ".join(err.messages)) from err
        except DatabaseError as err:
            from ..registry.security import database_problem

            problem = database_problem(err)
            if problem is not None:
                raise ReportedError(f"{home}: {problem}") from err
            raise ReportedError(f"database error in {home}: {err} (after an upgrade of "
                                "jdmtrack, `jdmtrack registry serve` updates the database "
                                "first)") from err


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ReportedError("--password-stdin: no password on standard input")
        return line
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


def _user(name: str) -> Any:
    from ..registry.admin_ops import find_user

    return find_user(name)


PASSWORD_STDIN = click.option("--password-stdin", is_flag=True,
                              help="Read the password from the first line of standard input.")


@registry.command()
@click.option("--admin", "admin", required=True, metavar="NAME", help="The administrator's user name.")
@PASSWORD_STDIN
@click.pass_context
def init(ctx: click.Context, admin: str, password_stdin: bool) -> None:
    """Create the registry in HOME: database, secret key (mode 0600) and an administrator."""
    from ..registry.admin_ops import write_secret_key

    password = _password(password_stdin)
    home: Path = ctx.obj
    with reported():
        write_secret_key(home)
    with _django(ctx, creating=True):
        from django.contrib.auth import get_user_model

        from ..registry.admin_ops import create_user, migrate

        migrate()
        if get_user_model().objects.filter(username=admin).exists():
            raise ReportedError(f"{home} already holds a registry with user {admin!r}")
        create_user(admin, "admin", None, password, superuser=True)
    click.echo(f"Created the registry in {home} with administrator {admin}. "
               "Start it with `jdmtrack registry serve`.")


@registry.group()
def site() -> None:
    """Sites (centres) of the study."""


@site.command("add")
@click.argument("code")
@click.option("--name", default="", help="The site's full name.")
@click.pass_context
def site_add(ctx: click.Context, code: str, name: str) -> None:
    """Add the site CODE (the cohort format's `site` value)."""
    with _django(ctx):
        from ..registry.admin_ops import add_site

        add_site(code, name)
    click.echo(f"Added site {code}.")


@registry.command()
@click.argument("name")
@click.option("--role", required=True,
              type=click.Choice(["data_entry", "site_pi", "monitor", "statistician", "admin"]))
@click.option("--site", "site_code", default=None, metavar="CODE",
              help="The site (data_entry and site_pi work at one site).")
@PASSWORD_STDIN
@click.pass_context
def createuser(ctx: click.Context, name: str, role: str, site_code: str | None,
               password_stdin: bool) -> None:
    """Create the user NAME with a role."""
    with _django(ctx):
        from ..registry.admin_ops import create_user

        create_user(name, role, site_code, _password(password_stdin))
    where = f" at site {site_code}" if site_code else ""
    click.echo(f"Created user {name} ({role}{where}).")


@registry.command("import")
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--user", "user_name", required=True, metavar="NAME", help="Who enters the data.")
@click.pass_context
def import_(ctx: click.Context, data: Path, user_name: str) -> None:
    """Import DATA, a cohort folder or workbook (validated as `jdmtrack validate` does) or a
    raw REDCap export (.csv); all or nothing."""
    with _django(ctx):
        from ..registry.transfer import import_cohort

        counts = import_cohort(data, _user(user_name))
    click.echo(f"Imported {data}: {counts}.")


@registry.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--user", "user_name", required=True, metavar="NAME", help="Who exports.")
@click.option("--site", "site_code", default=None, metavar="CODE", help="Export this site only.")
@click.option("--deidentify", is_flag=True,
              help="Pooled de-identified export (monitors, statisticians): patient ids coded "
                   "by an HMAC of the registry's key, dates as days from the JAKi start, no "
                   "x_ columns, no patient whose consent is withdrawn.")
@click.option("--keep-extras", is_flag=True,
              help="With --deidentify: keep the x_ (free-text) columns.")
@click.pass_context
def export(ctx: click.Context, out: Path, user_name: str, site_code: str | None,
           deidentify: bool, keep_extras: bool) -> None:
    """Write the data the user may export to the folder OUT, in the cohort format v1."""
    if keep_extras and not deidentify:
        raise ReportedError("--keep-extras goes with --deidentify (an identified export "
                            "always keeps the x_ columns)")
    with _django(ctx):
        from ..registry.transfer import export_cohort

        counts = export_cohort(out, _user(user_name), site_code, deidentify=deidentify,
                               keep_extras=keep_extras)
    click.echo(f"Wrote {out}: " + ", ".join(f"{n} {t}" for t, n in counts.items()) + ".")


@registry.command("queries-from-warnings")
@click.option("--user", "user_name", required=True, metavar="NAME", help="The monitor raising them.")
@click.option("--site", "site_code", default=None, metavar="CODE", help="This site only.")
@click.pass_context
def queries_from_warnings(ctx: click.Context, user_name: str, site_code: str | None) -> None:
    """Raise a data query for each validation warning that has none yet (monitors)."""
    with _django(ctx):
        from ..registry.queries import raise_all_from_warnings

        raised = raise_all_from_warnings(_user(user_name), site_code)
    click.echo(f"Raised {sum(raised.values())} queries from warnings"
               + "".join(f"; {pid}: {n}" for pid, n in raised.items() if n) + ".")


@registry.command()
@click.option("--record", default=None, metavar="ID", help="Only the events of this record.")
@click.pass_context
def audit(ctx: click.Context, record: str | None) -> None:
    """List the audit log (oldest first)."""
    with _django(ctx):
        from ..registry.models import AuditEvent

        events = AuditEvent.objects.order_by("id")
        if record is not None:
            events = events.filter(record=record)
        for e in events:
            where = f" {e.table} {e.record}" if e.table else ""
            site_text = f" [{e.site}]" if e.site else ""
            reason = f" — {e.reason}" if e.reason else ""
            click.echo(f"{e.pk:>6} {e.time:%Y-%m-%d %H:%M:%S} {e.actor} {e.action}{where}"
                       f"{site_text}{reason}")


@registry.command("verify-audit")
@click.pass_context
def verify_audit(ctx: click.Context) -> None:
    """Re-walk the audit log's hash chain; exit 1 naming the first broken link."""
    with _django(ctx):
        from ..registry.audit import verify
        from ..registry.models import AuditEvent

        count, broken = verify()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    if broken is not None:
        raise ReportedError(f"the audit log is broken after {count} good events: {broken}")
    click.echo(f"The audit log is intact: {count} events, every hash chained. "
               f"Last hash: {last or 'none (empty log)'}")


@registry.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.pass_context
def backup(ctx: click.Context, out: Path) -> None:
    """Copy the whole registry to the new file OUT (SQLite: a SQLite file; PostgreSQL: JSON)."""
    with _django(ctx):
        from ..registry.backup import backup as run_backup

        summary = run_backup(out)
    click.echo(f"Wrote {out}: {summary}.")


@registry.command()
@click.argument("source", metavar="IN", type=click.Path(path_type=Path))
@click.pass_context
def restore(ctx: click.Context, source: Path) -> None:
    """Replace the registry's contents with the backup IN, if its audit chain verifies
    (stop `serve` first; the current database is kept in HOME/backups/)."""
    with _django(ctx, creating=True) as home:
        from ..registry.backup import restore as run_restore

        summary = run_restore(source, home)
    click.echo(f"Restored {source}: {summary}.")


@registry.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the registry's pages (waitress; DEBUG off)."""
    if host in ("127.0.0.1", "localhost", "::1"):
        # Plain http on the loopback interface: a browser would drop Secure cookies.
        os.environ["JDMTRACK_REGISTRY_INSECURE_COOKIES"] = "1"
    else:
        # Reached by other machines: only behind HTTPS (cookies are Secure), under the
        # names listed in JDMTRACK_REGISTRY_HOSTS (Django refuses any other Host header).
        names = [n for n in os.environ.get("JDMTRACK_REGISTRY_HOSTS", "").split(",") if n]
        os.environ["JDMTRACK_REGISTRY_HOSTS"] = ",".join([*names, host])
        click.echo("Not on the loopback interface: serve it behind HTTPS (its cookies are "
                   "Secure) and list the names it is reached by in JDMTRACK_REGISTRY_HOSTS.")
    with _django(ctx):
        from ..registry.admin_ops import migrate
        from ..registry.server import serve as run_server

        migrate()  # a registry made by an older jdmtrack gets the new fields first

        click.echo(f"Serving the registry on http://{host}:{port}/ (Ctrl-C stops it).")
        try:
            run_server(host, port)
        except OSError as err:
            raise ReportedError(f"cannot serve on {host}:{port}: {err.strerror or err}") from err
        except KeyboardInterrupt:
            click.echo("Stopped.")


COMMANDS = [registry]
