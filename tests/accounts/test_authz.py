"""The one authorization module: scopes by village, township and shop; out of scope is 404."""
import pytest

from accounts.authz import RULES, allowed, authorize, rule, village_ids_for
from errors import NotFound, Unauthorized


@pytest.mark.parametrize("phone,action,place,expected", [
    ("13900000012", "village.committee", "hexi", True),
    ("13900000012", "village.committee", "chama", False),
    ("13900000022", "village.committee", "hexi", False),
    ("13900000011", "village.clerk", "hexi", True),
    ("13900000011", "village.clerk", "chama", False),
    ("13900000001", "village.clerk", "chama", True),  # township staff act for every village of the township
    ("13900000002", "village.inspect", "hexi", True),
    ("13900000002", "village.committee", "hexi", False),  # inspectors are not the committee
    ("13900000101", "village.clerk", "hexi", False),
    ("13900000201", "village.oversee", "hexi", False),
])
def test_village_rules_follow_role_and_place(demo, phone, action, place, expected):
    assert allowed(action, demo.villages[place], demo.users[phone]) is expected


def test_committee_head_of_hexi_asking_for_chama_gets_404(demo, people):
    with pytest.raises(NotFound):
        authorize("village.committee", demo.villages["chama"], people["committee"])


def test_visitor_is_asked_to_log_in_not_told_404(app_ctx, demo):
    with pytest.raises(Unauthorized):
        authorize("village.committee", demo.villages["hexi"])


def test_deactivated_account_is_allowed_nothing(demo, people):
    user = people["committee"]
    user.active = False
    assert not allowed("village.committee", demo.villages["hexi"], user)


def test_township_staff_of_another_township_see_nothing(session, demo):
    from accounts.models import RoleGrant, Township, User

    other = Township(name="别的镇", slug="other")
    session.add(other)
    session.flush()
    stranger = User(phone="13800000009", name="别镇干部")
    stranger.grants.append(RoleGrant(role="township", township_id=other.id))
    session.add(stranger)
    session.flush()
    assert not allowed("township.staff", demo.township, stranger)
    assert not allowed("village.clerk", demo.villages["hexi"], stranger)
    assert village_ids_for(stranger, "township") == set()


def test_township_role_expands_to_all_its_villages(demo, people):
    assert village_ids_for(people["inspector"], "inspector") == {v.id for v in demo.villages.values()}
    assert village_ids_for(people["committee"], "committee") == {demo.villages["hexi"].id}


def test_a_rule_cannot_be_defined_twice():
    with pytest.raises(ValueError):
        rule("village.clerk")(lambda user, target: True)
    assert "village.clerk" in RULES


def test_role_grant_must_match_its_scope(session, demo, people):
    import sqlalchemy.exc

    from accounts.models import RoleGrant

    session.add(RoleGrant(user_id=people["villager"].id, role="committee", township_id=demo.township.id))
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        session.flush()
    session.rollback()
