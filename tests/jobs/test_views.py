"""后台任务 page: township staff see every open failure of their township and the install, and act on it."""
import sqlalchemy as sa

from accounts.models import Township, Village
from jobs.models import FailedJob
from tests.jobs import sample_tasks


def _failure(session, township_id=None, task="tests.jobs.sample_tasks.remember", args='{"args": ["again"], "kwargs": {}}'):
    row = FailedJob(task=task, label="测试：记录一次运行", township_id=township_id, tries=6,
                    error="URLError: <urlopen error timed out>", args_json=args, status="failed")
    session.add(row)
    session.flush()
    return row


def test_staff_see_their_townships_and_the_installs_failures_not_others(client, login_as, people, demo, session):
    other = Township(name="别的镇", slug="other-town")
    session.add(other)
    session.flush()
    mine, everyone, theirs = _failure(session, demo.township.id), _failure(session), _failure(session, other.id)
    page = login_as(people["township"]).get("/township/jobs").get_data(as_text=True)
    assert f'id="failed-{mine.id}"' in page and f'id="failed-{everyone.id}"' in page
    assert f'id="failed-{theirs.id}"' not in page
    assert "共尝试 6 次" in page and "URLError" in page and "测试：记录一次运行" in page


def test_a_failure_shows_until_it_is_dealt_with(client, login_as, people, session):
    row = _failure(session)
    staff = login_as(people["township"])
    assert staff.post(f"/township/jobs/{row.id}/dismiss").status_code == 303
    session.expire_all()
    assert session.get(FailedJob, row.id).status == "dismissed"
    assert f'id="failed-{row.id}"' not in staff.get("/township/jobs").get_data(as_text=True)


def test_retry_queues_the_job_again_with_its_arguments(client, login_as, people, session):
    row = _failure(session)
    assert login_as(people["township"]).post(f"/township/jobs/{row.id}/retry").status_code == 303
    assert sample_tasks.RUNS == ["again"]  # immediate mode: it ran once the request committed
    session.expire_all()
    assert session.get(FailedJob, row.id).status == "retried"


def test_a_job_without_arguments_to_replay_cannot_be_retried_and_says_so(client, login_as, people, session):
    row = _failure(session, args=None)
    response = login_as(people["township"]).post(f"/township/jobs/{row.id}/retry")
    assert response.status_code == 409 and "不能重新排队" in response.get_data(as_text=True)


def test_only_township_staff_may_open_the_page(client, login_as, people, session):
    row = _failure(session)
    assert client.get("/township/jobs").status_code in (302, 401)
    for role in ("committee", "inspector", "villager"):
        assert login_as(people[role]).get("/township/jobs").status_code == 404
        assert client.post(f"/township/jobs/{row.id}/dismiss").status_code == 404
    session.expire_all()
    assert session.get(FailedJob, row.id).status == "failed"


def test_another_townships_failure_is_not_found(client, login_as, people, session):
    other = Township(name="别的镇", slug="other-town")
    session.add(other)
    session.flush()
    session.add(Village(township_id=other.id, name="别村", slug="other-village"))
    row = _failure(session, other.id)
    assert login_as(people["township"]).post(f"/township/jobs/{row.id}/dismiss").status_code == 404
    assert session.execute(sa.select(FailedJob.status).filter_by(id=row.id)).scalar_one() == "failed"
