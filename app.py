"""Application factory: configuration, extensions, blueprints, error handlers, commands."""
import logging
import os

from flask import Flask
from flask_smorest import Api

import config as settings
import counters
import transactions
from errors import register_error_handlers
from extensions import csrf, db, limiter, login_manager, migrate
from jobs import queue as jobs_queue


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides the environment (tests pass their database here)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(settings.defaults(app.instance_path))
    app.config.update(config or {})
    settings.finish(app.config, app.debug or os.environ.get("FLASK_DEBUG") == "1", app.instance_path)
    _configure_logging(app)
    app.json.ensure_ascii = False  # API.md: Chinese text as is

    import models  # noqa: F401  (every table registered before anything touches the schema)

    db.init_app(app)
    transactions.install(app)
    counters.init_app(app)
    jobs_queue.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    api = Api(app, spec_kwargs={"info": {"description": "村务码上监督 JSON API (v1)"}})
    app.extensions["smorest_api"] = api

    import shell
    import webguard
    from accounts.views import bp as accounts_views
    from accounts.api import blp as accounts_api
    from citizen.views import bp as citizen_views
    from citizen.api import blp as citizen_api
    from citizen.triage_views import bp as triage_views
    from citizen.triage_api import blp as triage_api
    from citizen.wall_views import bp as wall_views
    from disclosure.views import bp as disclosure_views
    from jobs.views import bp as jobs_views
    from disclosure.api import blp as disclosure_api
    from points.views import bp as points_views
    from points.api import blp as points_api

    for blueprint in (accounts_views, citizen_views, triage_views, wall_views, disclosure_views, points_views,
                      jobs_views):
        app.register_blueprint(blueprint)
    for blueprint in (accounts_api, citizen_api, triage_api, disclosure_api, points_api):
        csrf.exempt(blueprint)  # the API checks CSRF itself for cookie-authenticated writes
        api.register_blueprint(blueprint)

    webguard.init_app(app)
    shell.init_app(app)
    register_error_handlers(app)
    _register_commands(app)
    from points import hooks

    hooks.connect()
    return app


def _configure_logging(app: Flask) -> None:
    """Plain logs to stderr; request logging never carries addresses or tracking codes."""
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _register_commands(app: Flask) -> None:
    """CLI commands of every area."""
    from accounts.cli import register as register_accounts
    from jobs.cli import register as register_jobs
    from points.cli import register as register_points

    register_accounts(app)
    register_points(app)
    register_jobs(app)
