"""Thousands of random earn / redeem / retry / reverse / correct / settle / pay steps; the five ledger invariants
after each."""
import os
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

import clock
from accounts.models import RoleGrant, User
from errors import Conflict
from points import ledger
from points.earning import earn
from points.models import Account, Entry, Redemption, Settlement, Transfer
from points.periods import month_of, previous_month
from points.redemption import correct_settled_redemption, redeem, reverse_redemption
from points.rules import update_rule, update_settings
from points.settlement import mark_paid, open_settlement
from points.shops import shop_by_code
from tests.conftest import examples

START = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)
KEYS = [f"key-{n}" for n in range(12)]
# 25 runs × 80 steps = 2,000 steps by default; POINTS_STATEFUL_EXAMPLES=200 for a long soak.  # a small pool, so retries with a used key are frequent


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_ledger_invariants_hold_under_random_steps(session, demo, people):
    update_settings(demo.township, {"max_redemptions_per_day": 100, "max_points_per_redemption": 200})
    update_rule(demo.township, "report_accepted", 10, 40, 300, True)
    staff = people["township"]
    shops = [shop_by_code("HXZC01"), shop_by_code("HXCS02")]
    session.commit()
    counter = iter(range(10**9))

    class Ledger(RuleBasedStateMachine):
        """A model of what each balance must be, checked against the real ledger after every step."""

        @initialize()
        def start(self):
            self.savepoint = session.begin_nested()
            clock.freeze(START)
            self.people = []
            for n in range(3):
                user = User(phone=f"1360000{next(counter) % 10000:04d}", name=f"村民{n}")
                user.grants.append(RoleGrant(role="villager", village_id=demo.villages["hexi"].id))
                session.add(user)
                self.people.append(user)
            session.flush()
            self.balance = {u.id: 0 for u in self.people}
            self.unsettled = {s.id: 0 for s in shops}
            self.spent = {}  # (user id, key) -> redemption id
            self.rows = {}  # ids of ledger rows seen so far -> their values (never to change)

        def teardown(self):
            clock.freeze(None)
            if hasattr(self, "savepoint"):
                self.savepoint.rollback()
                for user in self.people:  # rolled back: they must not linger in the identity map
                    for grant in list(user.__dict__.get("grants", [])):
                        if grant in session:
                            session.expunge(grant)
                    if user in session:
                        session.expunge(user)

        @rule(who=st.integers(0, 2), key=st.sampled_from(["report_accepted", "finance_read", "event_checkin"]))
        def earn_points(self, who, key):
            user = self.people[who]
            record = earn(user, key, f"src-{next(counter)}")
            if record.granted:
                self.balance[user.id] += record.points

        @rule(who=st.integers(0, 2), shop=st.integers(0, 1), points=st.integers(1, 60), key=st.sampled_from(KEYS))
        def redeem_points(self, who, shop, points, key):
            user, target = self.people[who], shops[shop]
            earlier = self.spent.get((user.id, key))
            try:
                result = redeem(user, target, points, key)
            except ledger.InsufficientPoints:
                assert earlier is None and points > self.balance[user.id]
                return
            if earlier is not None:  # a retry: the first result, nothing moved
                assert result.replayed and result.id == earlier
                return
            assert not result.replayed and points <= self.balance[user.id]
            self.spent[(user.id, key)] = result.id
            self.balance[user.id] -= points
            self.unsettled[target.id] += points

        @rule(pick=st.integers(0, 10**6), reason=st.sampled_from(["收错了", "重复扣分"]))
        def reverse_one(self, pick, reason):
            rows = session.execute(sa.select(Redemption).where(Redemption.reversal_transfer_id.is_(None))
                                   .order_by(Redemption.id)).scalars().all()
            mine = [r for r in rows if r.user_id in self.balance]
            if not mine:
                return
            target = mine[pick % len(mine)]
            try:
                reverse_redemption(target, staff, reason)
            except Conflict as refused:
                assert refused.code == "already_settled" and target.settlement_id is not None
                return
            self.balance[target.user_id] += target.points
            self.unsettled[target.shop_id] -= target.points

        @rule(pick=st.integers(0, 10**6))
        def correct_one(self, pick):
            rows = session.execute(sa.select(Redemption).where(Redemption.reversal_transfer_id.is_(None),
                                                               Redemption.settlement_id.is_not(None))
                                   .order_by(Redemption.id)).scalars().all()
            mine = [r for r in rows if r.user_id in self.balance]
            if not mine:
                return
            target = mine[pick % len(mine)]
            try:
                correct_settled_redemption(target, staff, "更正")
            except Conflict as refused:
                assert refused.code == "correction_not_covered" and self.unsettled[target.shop_id] < target.points
                return
            self.balance[target.user_id] += target.points
            self.unsettled[target.shop_id] -= target.points

        @rule(days=st.integers(1, 20))
        def time_passes(self, days):
            clock.freeze(clock.now() + timedelta(days=days))

        @rule(shop=st.integers(0, 1))
        def settle_last_month(self, shop):
            target = shops[shop]
            month = previous_month(month_of())
            try:
                statement = open_settlement(target, month, staff)
            except Conflict as refused:
                assert refused.code in ("already_opened", "nothing_to_settle")
                return
            self.unsettled[target.id] -= statement.points
            assert statement.amount_fen == statement.points * statement.rate_fen

        @rule(pick=st.integers(0, 10**6))
        def pay_one(self, pick):
            rows = session.execute(sa.select(Settlement).order_by(Settlement.id)).scalars().all()
            if rows:
                statement = rows[pick % len(rows)]
                before = (statement.points, statement.amount_fen)
                try:
                    mark_paid(statement, "BANK", staff)
                except Conflict:
                    assert statement.status == "paid"
                assert (statement.points, statement.amount_fen) == before

        @invariant()
        def entries_of_every_transfer_sum_to_zero(self):
            if hasattr(self, "balance"):
                assert ledger.unbalanced_transfers() == []

        @invariant()
        def ledger_rows_never_change(self):
            if not hasattr(self, "rows"):
                return
            now = {("t", t.id): (t.kind, t.idempotency_key, t.memo) for t in session.execute(sa.select(Transfer)).scalars()}
            now |= {("e", e.id): (e.transfer_id, e.account_id, e.amount) for e in session.execute(sa.select(Entry)).scalars()}
            assert all(now.get(k) == v for k, v in self.rows.items())
            self.rows = now

        @invariant()
        def balances_never_negative_and_match_the_model(self):
            if not hasattr(self, "balance"):
                return
            negative = session.execute(sa.select(sa.func.count(Account.id))
                                       .where(Account.balance < 0, Account.kind != "issued")).scalar_one()
            assert negative == 0
            for user in self.people:
                assert ledger.balance_of(user) == self.balance[user.id]
            for shop in shops:
                assert ledger.shop_account(shop).balance == self.unsettled[shop.id]

        @invariant()
        def kept_balances_equal_the_sum_of_entries(self):
            if hasattr(self, "balance"):
                assert ledger.recomputed_balances() == []

    run_state_machine_as_test(Ledger, settings=settings(
        max_examples=examples(int(os.environ.get("POINTS_STATEFUL_EXAMPLES", 25))), stateful_step_count=80, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
