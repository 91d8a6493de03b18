"""Commands: flask backup PATH, flask restore PATH."""
import click
from flask import Flask, current_app

from backup.archive import KEY_WARNING, key_fingerprint, make_backup, restore_backup
from backup.database import BackupError


def register(app: Flask) -> None:
    """Attach the backup commands to `flask`."""

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup_command(path):
        """Back up the database and every uploaded file into one new file at PATH."""
        try:
            manifest = make_backup(path)
        except BackupError as exc:
            raise click.ClickException(exc.message) from None
        rows = sum(manifest["tables"].values())
        click.echo(f"备份完成：{path}（{len(manifest['tables'])}张表，{rows}行，{len(manifest['files'])}个上传文件）。")
        store = current_app.config.get("UPLOAD_STORE", "")
        if store.startswith("s3://"):  # the archive only holds files of the local folder
            click.echo(f"注意：上传的照片和附件在对象存储 {store} 里，不在这个备份文件中；"
                       "请用对象存储自己的版本保留或跨桶复制另行备份。", err=True)
        click.echo(KEY_WARNING, err=True)

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def restore_command(path):
        """Restore a backup made by `flask backup` into this empty install."""
        try:
            manifest = restore_backup(path)
        except BackupError as exc:
            raise click.ClickException(exc.message) from None
        rows = sum(manifest["tables"].values())
        click.echo(f"恢复完成：{len(manifest['tables'])}张表，{rows}行，{len(manifest['files'])}个上传文件，均已核对。")
        if manifest.get("secret_key") != key_fingerprint():
            click.echo("警告：这个备份是在另一个 SECRET_KEY 下做的。请改用原来的 SECRET_KEY 再启动，"
                       "否则查询码和登录凭证都不能用。", err=True)
        click.echo(KEY_WARNING, err=True)
