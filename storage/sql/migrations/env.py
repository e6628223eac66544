"""Alembic environment: runs migrations on the connection prwatch hands over."""

from __future__ import annotations

from alembic import context

from storage.sql.models import Base, modelled

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")

if connection is None:  # `alembic` command line: build an engine from the ini/url
    from storage.sql.engine import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                          include_object=modelled)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      include_object=modelled)
    with context.begin_transaction():
        context.run_migrations()
