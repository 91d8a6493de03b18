"""Who may see and handle a report: the reports area's rules in the accounts.authz registry."""
from accounts.authz import holds, rule
from accounts.models import User
from citizen.reports.deadlines import is_overdue
from citizen.reports.models import Report
from citizen.reports.routing import concerned_user_ids


def named_in(user: User, report: Report) -> bool:
    """Is this person one of the cadres the case names?"""
    return user.id in concerned_user_ids(report)


@rule("report.handle")
def _report_handler(user: User, report: Report) -> bool:
    """Act on a case: its village's committee for village-level cases (never one it names), inspectors above."""
    if report.level == "village":
        return holds(user, "committee", village=report.village) and not named_in(user, report)
    return holds(user, "inspector", village=report.village)


@rule("report.take_over")
def _report_take_over(user: User, report: Report) -> bool:
    """An inspector may take an overdue village case up to the township."""
    return report.level == "village" and holds(user, "inspector", village=report.village) and is_overdue(report)


def _village_history(user: User, report: Report) -> bool:
    """A case the village handled before it went up stays readable (not actionable) by its committee."""
    return (report.level == "township" and holds(user, "committee", village=report.village)
            and not named_in(user, report)
            and any(e.from_level == "village" and e.to_level == "township" for e in report.events))


@rule("report.view_as_handler")
def _report_desk_view(user: User, report: Report) -> bool:
    """Open a case on a desk: its handlers; read-only, inspectors for overdue village cases and the
    village's committee for cases it handled before they went up to the township."""
    return _report_handler(user, report) or _report_take_over(user, report) or _village_history(user, report)


@rule("report.view")
def _report_viewer(user: User, report: Report) -> bool:
    """See a report and its photos: its named reporter, or whoever may open it on a desk."""
    if report.user_id is not None and report.user_id == user.id:
        return True
    return _report_desk_view(user, report)
