"""Demo data of the citizen area: QR codes and reports arrive with the reports issue."""
from accounts.seed import Demo


def seed_demo(demo: Demo) -> Demo:
    """Nothing of this area exists yet to seed."""
    return demo
