"""Commands of the points area."""
import click
from flask import Flask


def register(app: Flask) -> None:
    """Attach the points commands to `flask`."""

    @app.cli.command("points-check")
    def points_check():
        """Recompute every balance from the entries; print any difference and exit 1 if one exists."""
        from points.ledger import recomputed_balances, unbalanced_transfers

        problems = 0
        for account, total in recomputed_balances():
            problems += 1
            click.echo(f"账户 {account.id}（{account.kind}）：记录余额 {account.balance}，按流水应为 {total}，"
                       f"相差 {account.balance - total}")
        for transfer_id in unbalanced_transfers():
            problems += 1
            click.echo(f"转账 {transfer_id} 的各笔流水之和不为零")
        from points.tally import differences

        for village_id, kept, truth in differences():
            problems += 1
            click.echo(f"村 {village_id} 的积分合计：记录为发放 {kept[0]}、兑换 {kept[1]}，按流水应为 {truth[0]}、{truth[1]}")
        if problems:
            click.echo(f"发现 {problems} 处不一致。")
            raise SystemExit(1)
        click.echo("积分账目一致：每个账户余额都等于流水之和。")

    @app.cli.command("points-pay-claims")
    def points_pay_claims():
        """Pay the anonymous reporters' claims of earlier days in one batch (run once a day)."""
        from extensions import db
        from points.claims import pay_claims

        paid = pay_claims()
        db.session.commit()
        click.echo(f"已发放 {paid} 笔匿名举报奖励。")
