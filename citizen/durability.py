"""The one moment a report becomes real: photos moved into place, then the database commit.

Views and API routes call this instead of a bare commit whenever a request staged files, so a
tracking code is only ever shown for a report whose rows and photos are both on disk.
"""
import logging

from sqlalchemy.exc import SQLAlchemyError

from citizen.storage import Batch
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
        batch.publish()
        db.session.commit()
    except (OSError, SQLAlchemyError) as exc:
        db.session.rollback()
        batch.discard()
        log.error("report save failed: %s", type(exc).__name__)  # no content, no code, no address
        raise SaveFailed() from None
