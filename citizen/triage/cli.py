"""Commands of the triage area: `flask triage remind`."""
import click
from flask import Flask
from flask.cli import AppGroup

from citizen.triage import notify
from extensions import db

triage = AppGroup("triage", help="村监会、镇纪委工作台的定时任务。")


@triage.command("remind")
def remind_command():
    """Notify handlers about cases due within 24 hours (run hourly from cron)."""
    count = notify.remind_due_soon()
    db.session.commit()
    click.echo(f"已提醒 {count} 件即将到期的反映。")


def register(app: Flask) -> None:
    """Attach the triage commands to `flask`."""
    app.cli.add_command(triage)
