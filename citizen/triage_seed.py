"""Demo data: the demo reports run through the real lifecycle (arrives with the triage issue)."""
from accounts.seed import Demo


def seed_demo(demo: Demo) -> Demo:
    """Nothing of the lifecycle exists yet to seed."""
    return demo
