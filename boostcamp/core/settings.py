"""Settings that are derived at start-up rather than written in config.py."""

import os
import secrets
import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from boostcamp.core import db


def finish(app: Flask) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        f"sqlite:///{Path(app.instance_path) / 'boostcamp.sqlite3'}",
    )
    # Served over https: the session and remember cookies travel over https only.
    if app.config.get("PREFERRED_URL_SCHEME") == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def _instance_secret(path: Path) -> str:
    """Generated once and kept in instance/, so sessions survive restarts and are shared by
    every worker on this machine. Several workers may start at once: the first one to
    create the file wins and the others read it."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty: delete it or set FLASK_SECRET_KEY")
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite opens transactions late and on its own; let SQLAlchemy emit BEGIN itself
    # so a transaction really starts at its first statement (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@sa.event.listens_for(sa.Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name == "sqlite":
        # A transaction that reads and then writes cannot become the writer once another
        # connection has written (SQLite refuses at once, busy_timeout does not help), so
        # whatever may write takes the write lock at BEGIN and waits for it there.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if db.may_write() else "BEGIN")
