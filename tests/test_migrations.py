"""A fresh database made by the migrations matches the models exactly."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.databases import fresh_database


@pytest.mark.live
def test_migrations_produce_exactly_the_models(tmp_path):
    import flask_migrate

    from app import create_app
    from extensions import db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": fresh_database(tmp_path, "migrations")})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == []
