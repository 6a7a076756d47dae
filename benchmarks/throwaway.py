"""What the benchmarks share: the throwaway PostgreSQL database named on the command line."""

from __future__ import annotations

import argparse
import os

import sqlalchemy as sa


def add_postgres_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCHMARK_DATABASE_URL"),
        help="a throwaway PostgreSQL database URL (its schema is dropped)",
    )


def reset_schema(uri: str) -> None:
    """An empty public schema on PostgreSQL (SQLite files start empty anyway)."""
    if uri.startswith("postgresql"):
        engine = sa.create_engine(uri)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
