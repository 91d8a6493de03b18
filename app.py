"""Application factory: configuration, extensions, blueprints, error handlers, commands."""
import logging
import os
from importlib import import_module

from flask import Flask
from flask_smorest import Api

import config as settings
import counters
import jsonapi
import pagecache
import storage
import transactions
from errors import register_error_handlers
from extensions import csrf, db, limiter, login_manager, migrate
from jobs import queue as jobs_queue

# Every area, lowest import layer first (docs/ARCHITECTURE.md): each one's blueprint.py holds its URL
# tables, `bp` for the pages and `api_bp` for the JSON API; those with commands have a cli.py.
AREAS = ("accounts", "disclosure", "notify", "citizen.reports", "citizen.triage", "citizen.wall", "citizen.codes",
         "citizen.home", "points", "jobs", "privacy")
COMMANDS = ("accounts", "citizen.triage", "points", "backup", "jobs", "privacy")


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
    pagecache.init_app(app)
    storage.init_app(app)
    jobs_queue.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    api = jsonapi.init_api(app)  # also bounds every <int:...> id in the URL map, so it comes before the areas

    import shell
    import webguard

    _register_areas(app, api)
    webguard.init_app(app)
    shell.init_app(app)
    register_error_handlers(app)
    for name in COMMANDS:
        import_module(f"{name}.cli").register(app)
    return app


def _configure_logging(app: Flask) -> None:
    """Plain logs to stderr; request logging never carries addresses or tracking codes."""
    if not app.testing:  # the demo (debug) logs like production, so what it would log is seen and tested
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _register_areas(app: Flask, api: Api) -> None:
    """Every area's pages and JSON API, registered the same way."""
    for name in AREAS:
        urls = import_module(f"{name}.blueprint")
        app.register_blueprint(urls.bp)
        csrf.exempt(urls.api_bp)  # the API checks CSRF itself for cookie-authenticated writes
        api.register_blueprint(urls.api_bp)
