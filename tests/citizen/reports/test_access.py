"""Who may see a report and its photos: the reporter by code or account, handlers at the case's level."""
import pytest

from accounts.authz import allowed


@pytest.fixture
def photo_report(hexi, cadres, file_report):
    from tests.citizen.conftest import jpeg_bytes

    def _make(**data):
        return file_report(hexi, photos=[jpeg_bytes()], **data)

    return _make


def test_report_view_rule(hexi, cadres, photo_report, people):
    village_case = photo_report().report
    about_head = photo_report(cadre_id=cadres["李秀英"].id).report
    head, other_head = people["committee"], people["committee_chama"]
    inspector, villager = people["inspector"], people["villager"]
    assert allowed("report.view", village_case, head)
    assert not allowed("report.view", village_case, other_head)
    assert not allowed("report.view", village_case, villager)
    assert not allowed("report.view", village_case, inspector)  # inspectors see village cases once overdue
    assert about_head.level == "township"
    assert not allowed("report.view", about_head, head)
    assert allowed("report.view", about_head, inspector)


def test_photo_is_served_to_code_holder_only(client, demo, photo_report):
    submission = photo_report()
    photo = submission.report.photos[0]
    assert client.get(f"/photos/{photo.id}").status_code == 404
    client.get(f"/t/{submission.tracking_code}")
    full = client.get(f"/photos/{photo.id}")
    thumb = client.get(f"/photos/{photo.id}?size=thumb")
    assert full.status_code == thumb.status_code == 200 and full.mimetype == "image/jpeg"
    assert len(thumb.data) < len(full.data)


def test_photo_for_handler_but_not_for_concerned_member(client, cadres, photo_report, login_as, people):
    mine = photo_report().report.photos[0]
    about_head = photo_report(cadre_id=cadres["李秀英"].id).report.photos[0]
    login_as(people["committee"])
    assert client.get(f"/photos/{mine.id}").status_code == 200
    assert client.get(f"/photos/{about_head.id}").status_code == 404


def test_photo_hidden_from_other_village_committee(client, photo_report, login_as, people):
    photo = photo_report().report.photos[0]
    login_as(people["committee_chama"])
    assert client.get(f"/photos/{photo.id}").status_code == 404
