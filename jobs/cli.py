"""Commands of the jobs area: the worker, and the queue's state."""
import click
from flask import Flask
from flask.cli import AppGroup


def register(app: Flask) -> None:
    """Attach `flask jobs …` to the app."""
    group = AppGroup("jobs", help="后台任务：启动执行进程、查看队列。")

    @group.command("worker")
    @click.option("--workers", default=2, show_default=True, help="执行任务的线程数")
    @click.option("--no-periodic", is_flag=True, help="不安排定时任务（多台机器时只让一台安排）")
    def worker(workers, no_periodic):
        """Run queued and scheduled jobs until stopped (SIGINT finishes the running ones first)."""
        from jobs.worker import run_worker

        try:
            run_worker(app, workers=workers, periodic=not no_periodic)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from None

    @group.command("status")
    def status():
        """Print how many jobs wait, run, are scheduled for a retry, and have failed for good."""
        import sqlalchemy as sa

        from extensions import db
        from jobs.models import FailedJob

        huey = app.extensions["jobs"]
        failed = db.session.scalar(sa.select(sa.func.count()).select_from(FailedJob).where(FailedJob.status == "failed"))
        click.echo(f"排队 {huey.storage.queue_size()} · 执行中 {getattr(huey.storage, 'inflight_count', lambda: 0)()} · "
                   f"等待重试 {huey.storage.schedule_size()} · 失败待处理 {failed}")

    app.cli.add_command(group)
