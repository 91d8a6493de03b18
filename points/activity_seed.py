"""Demo data: redemptions and settlements, after reports have earned points (arrives with the points issue)."""
from accounts.seed import Demo


def seed_demo(demo: Demo) -> Demo:
    """Nothing of the ledger exists yet to seed."""
    return demo
