"""The one moment a report becomes real: photos moved into place, then the database commit.

Views and API routes call this instead of a bare commit whenever a request staged files, so a
tracking code is only ever shown for a report whose rows and photos are both on disk.
"""
import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from storage import Batch, commit_with
from errors import DomainError
from extensions import db

log = logging.getLogger(__name__)


class SaveFailed(DomainError):
    """Storage or database failed mid-way: nothing was kept, the villager should try again."""

    status = 503
    code = "save_failed"
    message = "提交没有成功（系统忙），什么都没有保存。请再点一次“提交”。"


def commit_with_files(batch: Batch) -> None:
    """Publish the batch's files and commit; on any failure remove the files, roll back, raise SaveFailed."""
    try:
        commit_with(batch)  # on failure it has already removed the files and rolled back
    except (OSError, SQLAlchemyError) as exc:
        log.error("report save failed: %s", type(exc).__name__)  # no content, no code, no address
        raise SaveFailed() from None


def save_report(work: Callable[[Batch], "Submission"], form_token: str) -> "Submission":
    """Run `work` (which files a report into a fresh batch) and make it durable, exactly once per form token.

    Two taps racing past the duplicate check collide on the unique form token; the loser rolls back
    and answers with the winner's report and code, so the villager still sees one report and one code.
    """
    from citizen.reports import tracking
    from citizen.reports.filing import Submission

    batch = Batch()
    try:
        submission = work(batch)
        commit_with_files(batch)
        return submission
    except (SaveFailed, SQLAlchemyError):
        db.session.rollback()
        batch.discard()
        earlier = tracking.find_by_form_token(form_token)
        if earlier is None:
            raise SaveFailed() from None
        return Submission(earlier, tracking.code_for_token(form_token), repeated=True)
    except BaseException:
        db.session.rollback()
        batch.discard()
        raise
