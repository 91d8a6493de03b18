"""Commands of the triage area: `flask triage remind` and `flask triage digest` (the worker runs both on schedule)."""
import click
from flask import Flask
from flask.cli import AppGroup

from citizen.triage import digests, notify
from extensions import db

triage = AppGroup("triage", help="村监会、镇纪委工作台的定时任务。")


@triage.command("remind")
def remind_command():
    """In-app notices about cases due within 24 hours (the job worker runs this hourly; this is a run by hand)."""
    count = notify.remind_due_soon()
    db.session.commit()
    click.echo(f"已提醒 {count} 件即将到期的反映。")


@triage.command("digest")
def digest_command():
    """Queue today's WeChat/SMS digest for each handler (the worker does it daily at 08:30; at most one a day)."""
    count = digests.send_digests()
    db.session.commit()
    click.echo(f"已为 {count} 位办理人排队今日待办汇总。")


def register(app: Flask) -> None:
    """Attach the triage commands to `flask`."""
    app.cli.add_command(triage)
