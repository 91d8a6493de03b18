"""The route matrix's summary line: how many cells it asked, and how long that took."""
from tests.isolation.matrix import ROLE_SCOPES, STATS


def pytest_terminal_summary(terminalreporter):
    """Print the matrix size (route rows × roles × scopes) when the matrix ran."""
    if STATS["cells"]:
        terminalreporter.write_line(
            f"route matrix: {STATS['rows']} routes (endpoint × method × object kind) × {len(ROLE_SCOPES)} roles × "
            f"own and foreign scope ({STATS['scoped']} routes name a scoped object, the rest ask once) = "
            f"{STATS['cells']} requests in {STATS['seconds']:.1f} s")
