"""Townships, villages, people, their roles, and logging in."""
