"""Commands: seed the demo township, create a real install's first township account."""
from importlib import import_module

import click
import sqlalchemy as sa
from flask import Flask

from accounts.models import Township
from accounts.phones import normalize_phone
from accounts.seed import get_or_create, grant
from errors import DomainError
from extensions import db

# Each area seeds its own part of the demo, in this order (later ones use earlier ones' rows).
SEEDERS = ("accounts.seed", "disclosure.seed", "points.seed", "citizen.codes.seed", "citizen.reports.seed",
           "citizen.triage.seed", "points.activity_seed")


def run_seeders():
    """Run every area's demo seeder in one transaction."""
    demo = None
    for name in SEEDERS:
        demo = import_module(name).seed_demo(demo)
    db.session.commit()
    return demo


def register(app: Flask) -> None:
    """Attach the accounts commands to `flask`."""

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create the demo township (idempotent)."""
        demo = run_seeders()
        click.echo(f"演示数据已就绪：{demo.township.name}，{len(demo.villages)}个村，{len(demo.users)}个演示账号。")

    @app.cli.command("create-admin")
    @click.option("--township", "township_name", required=True, help="乡镇名称，例如 清溪镇")
    @click.option("--slug", required=True, help="乡镇的英文简称，例如 qingxi")
    @click.option("--phone", required=True)
    @click.option("--name", required=True)
    @click.password_option(help="至少8位")
    def create_admin(township_name, slug, phone, name, password):
        """Create a township staff account (and the township if new)."""
        from accounts.login import change_password, user_by_phone
        from accounts.models import User

        try:
            phone = normalize_phone(phone)
        except DomainError as exc:
            raise click.BadParameter(exc.message, param_hint="--phone") from None
        if len(password) < 8:
            raise click.BadParameter("密码至少8位。", param_hint="--password")
        township = get_or_create(Township, {"name": township_name}, slug=slug)
        user = user_by_phone(phone)
        if user is None:
            user = User(phone=phone, name=name)
            user.set_password(password)
            db.session.add(user)
        else:
            change_password(user, password)  # a reset: every old cookie and token of the account dies
        grant(user, "township", township_id=township.id)
        db.session.commit()
        click.echo(f"已创建乡镇管理员：{name}（{township.name}）")

    @app.cli.command("check-config")
    def check_config():
        """Print the effective non-secret settings."""
        for key in ("SQLALCHEMY_DATABASE_URI", "BASE_URL", "UPLOAD_DIR", "RATELIMIT_STORAGE_URI"):
            click.echo(f"{key}={app.config[key]}")
        click.echo(f"tables={len(sa.inspect(db.engine).get_table_names())}")
