"""Filing a report and what its reporter adds afterwards, through the real rules."""
import pytest
import sqlalchemy as sa

from citizen.reports import signals, tracking
from citizen.reports.models import Report, ReportEvent, ReportPhoto
from citizen.reports.lifecycle import rate_report
from citizen.reports.filing import add_reporter_message
from storage import Batch, photo_store
from errors import Conflict, Invalid, Unauthorized
from tests.citizen.conftest import jpeg_bytes


def test_anonymous_report_stores_no_account_even_when_logged_in(hexi, file_report, people):
    villager = people["villager"]
    submission = file_report(hexi, user=None, anonymous=True)
    assert submission.report.user_id is None and submission.report.anonymous
    assert all(e.actor_id is None for e in submission.report.events)
    assert villager.id not in {submission.report.user_id}


def test_named_report_keeps_the_account(hexi, file_report, people):
    villager = people["villager"]
    submission = file_report(hexi, user=villager, anonymous=False)
    assert submission.report.user_id == villager.id and not submission.report.anonymous


def test_named_report_needs_login(hexi, file_report, session):
    before = session.scalar(sa.select(sa.func.count(Report.id)))
    with pytest.raises(Unauthorized) as err:
        file_report(hexi, user=None, anonymous=False)
    assert "先登录" in err.value.message
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(Report.id))) == before


def test_tracking_code_is_grouped_and_stored_only_as_hash(hexi, file_report):
    submission = file_report(hexi)
    code = submission.tracking_code
    groups = code.split("-")
    assert len(groups) == 4 and all(len(g) == 4 for g in groups)
    assert set(code.replace("-", "")) <= set(tracking.ALPHABET)
    assert len(tracking.ALPHABET) ** 16 >= 2 ** 64
    report = submission.report
    assert code not in report.tracking_hash and code.replace("-", "") not in report.tracking_hash
    assert report.tracking_hash == tracking.tracking_hash(code)
    assert tracking.find_by_code(code.lower().replace("-", " ")) is report


def test_wrong_code_is_not_found(hexi, file_report):
    file_report(hexi)
    with pytest.raises(tracking.CodeNotFound) as err:
        tracking.find_by_code("2222-2222-2222-2222")
    assert "查询码不对" in err.value.message


def test_same_form_token_files_one_report_and_shows_same_code(hexi, file_report, session):
    first = file_report(hexi, token="same-token-123456")
    again = file_report(hexi, token="same-token-123456")
    assert again.repeated and again.report.id == first.report.id
    assert again.tracking_code == first.tracking_code
    assert session.scalar(sa.select(sa.func.count(Report.id)).where(Report.content == first.report.content)) == 1


def test_submit_writes_event_due_date_and_sends_signal(hexi, file_report):
    received = []

    def _receiver(report, **kwargs):
        received.append(report.id)

    signals.report_submitted.connect(_receiver)
    try:
        submission = file_report(hexi)
    finally:
        signals.report_submitted.disconnect(_receiver)
    report = submission.report
    assert received == [report.id]
    assert [(e.action, e.to_status, e.to_level) for e in report.events] == [("submit", "submitted", "village")]
    assert report.due_at > report.created_at


def test_photos_are_stored_and_published(hexi, file_report, session):
    submission = file_report(hexi, photos=[jpeg_bytes(), jpeg_bytes(gps=False)])
    photos = session.execute(sa.select(ReportPhoto).where(ReportPhoto.report_id == submission.report.id)).scalars().all()
    assert len(photos) == 2
    store = photo_store()
    for photo in photos:
        assert store.path(photo.storage_key).exists() and store.path(photo.thumb_key).exists()
        assert not store.path(photo.storage_key).with_name(photo.storage_key + ".part").exists()
        assert b"GPS" not in store.read(photo.storage_key)


@pytest.mark.parametrize("subject", [("line", 999999), ("power_item", 999999), ("cadre", 999999)])
def test_unknown_subject_is_refused(hexi, file_report, subject):
    with pytest.raises(Invalid) as err:
        file_report(hexi, subject=subject)
    assert "找不到这一项" in err.value.message


def test_subject_from_another_village_is_refused(hexi, cadres, file_report):
    with pytest.raises(Invalid) as err:
        file_report(hexi, subject=("cadre", cadres["刘长贵"].id))
    assert "找不到这一项" in err.value.message


def test_cadre_from_another_village_is_refused(hexi, cadres, file_report):
    with pytest.raises(Invalid) as err:
        file_report(hexi, cadre_id=cadres["刘长贵"].id)
    assert "不在这个村" in err.value.message


def test_reporter_message_is_added_to_open_case(hexi, file_report, session):
    report = file_report(hexi).report
    add_reporter_message(report, "补充：是上周三晚上看到的。", [], Batch())
    assert report.messages[-1].author == "reporter" and report.messages[-1].author_id is None
    assert report.events[-1].action == "message"


def test_no_message_on_closed_case(hexi, file_report):
    report = file_report(hexi).report
    report.status = "rejected"
    with pytest.raises(Conflict):
        add_reporter_message(report, "还有一点补充。", [], Batch())


def test_rating_needs_an_answer_and_only_once(hexi, file_report):
    report = file_report(hexi).report
    with pytest.raises(Conflict) as err:
        rate_report(report, "satisfied", None)
    assert "答复之后" in err.value.message
    report.status, report.reply = "answered", "已处理。"
    rate_report(report, "basic", "还行")
    assert report.rating == "basic" and report.rating_comment == "还行"
    with pytest.raises(Conflict):
        rate_report(report, "unsatisfied", None)


def test_events_of_rating_carry_no_account(hexi, file_report, session, people):
    report = file_report(hexi, user=people["villager"], anonymous=False).report
    report.status = "answered"
    rate_report(report, "satisfied", None)
    rate_event = session.execute(sa.select(ReportEvent).where(ReportEvent.report_id == report.id,
                                                              ReportEvent.action == "rate")).scalar_one()
    assert rate_event.text == "满意"


@pytest.mark.parametrize("content, ok", [("字" * 2000, True), ("字" * 2001, False), ("字" * 10, True),
                                         ("  " + "字" * 9 + "  ", False), ("😀" * 2000, True)])
def test_content_length_counts_characters_not_bytes(content, ok):
    from marshmallow import ValidationError

    from citizen.reports.schemas import ReportInSchema

    try:
        ReportInSchema().load({"category": "其他", "content": content})
    except ValidationError as err:
        assert not ok and err.messages["content"] == ["请填写10到2000个字。"]
    else:
        assert ok
