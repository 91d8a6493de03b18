"""Commands of the privacy area: `flask privacy purge`."""
import click
from flask import Flask
from flask.cli import AppGroup

from privacy.retention import run_retention

privacy = AppGroup("privacy", help="个人信息保存期限。")


@privacy.command("purge")
def purge_command():
    """Delete what each township's retention policy says has expired (run daily)."""
    done = run_retention()
    click.echo(f"已删除：{done.cases} 件过期反映，{done.photos} 张过期照片，{done.counts} 条过期统计，"
               f"{done.codes} 条过期验证码。")


def register(app: Flask) -> None:
    """Attach the privacy commands to `flask`."""
    app.cli.add_command(privacy)
