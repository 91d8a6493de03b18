"""Extension objects, created here so that no module ever imports app.py."""
from flask import current_app
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()


def _limit_key() -> str:
    """The default rate-limit key, which the accounts area registers (accounts.ratelimit.client_key)."""
    return current_app.extensions["rate_limit_key"]()


def column_defaults(model) -> dict:
    """The scalar defaults a table's columns declare: what a row holds until someone saves other values."""
    return {column.key: column.default.arg for column in model.__table__.columns
            if column.default is not None and column.default.is_scalar}


limiter = Limiter(key_func=_limit_key, default_limits=[], headers_enabled=True)
