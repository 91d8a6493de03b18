"""Routing: reports naming the secretary-chair or a committee member go straight to the township."""
import pytest

from citizen.reports.routing import concerned_user_ids, route_level


@pytest.mark.parametrize("name, level", [
    ("张建国", "township"),  # 党支部书记兼村委会主任 (一肩挑)
    ("李秀英", "township"),  # 村监会主任
    ("王明", "township"),  # 村监会委员
    ("赵卫东", "village"),  # ordinary committee member of the villagers' committee
    (None, "village"),
])
def test_route_level_by_named_cadre(hexi, cadres, name, level):
    assert route_level(hexi, cadres.get(name)) == level


def test_cadre_as_subject_routes_too(hexi, cadres):
    assert route_level(hexi, None, cadres["张建国"]) == "township"


def test_cadre_of_another_village_does_not_route(hexi, cadres):
    assert route_level(hexi, cadres["刘长贵"]) == "village"


def test_filed_report_naming_committee_member_is_township_and_hides_from_them(hexi, cadres, file_report, people):
    submission = file_report(hexi, cadre_id=cadres["李秀英"].id)
    assert submission.report.level == "township"
    assert concerned_user_ids(submission.report) == {people["committee"].id}


def test_concerned_ids_empty_for_cadres_without_accounts(hexi, cadres, file_report):
    submission = file_report(hexi, cadre_id=cadres["张建国"].id)
    assert submission.report.level == "township"
    assert concerned_user_ids(submission.report) == set()


def test_concerned_ids_include_cadre_subject(hexi, cadres, file_report, people):
    submission = file_report(hexi, subject=("cadre", cadres["陈丽"].id))
    assert submission.report.level == "village"
    assert concerned_user_ids(submission.report) == {people["clerk"].id}
