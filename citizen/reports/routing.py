"""Which desk a new report goes to, and who must never see it."""
from accounts.models import Village
from citizen.reports.models import Report
from disclosure.models import Cadre
from disclosure import lookup


def route_level(village: Village, cadre: Cadre | None, subject=None) -> str:
    """'township' when the report names the secretary-chair or a committee member, else 'village'.

    The committee cannot judge its own members or the village's first hand, so such reports go
    straight to the township inspectors (提级监督).
    """
    for person in (cadre, subject):
        if isinstance(person, Cadre) and person.village_id == village.id and (
                person.secretary_chair or person.committee):
            return "township"
    return "village"


def named_cadres(report: Report) -> list[Cadre]:
    """The cadres a report names: the chosen cadre and a cadre subject."""
    ids = {report.cadre_id} | ({report.subject_id} if report.subject_type == "cadre" else set())
    return lookup.cadres_by_ids({cadre_id for cadre_id in ids if cadre_id})


def concerned_user_ids(report: Report) -> set[int]:
    """Accounts of the cadres a report names: they must never see it, whatever role they hold."""
    return {cadre.user_id for cadre in named_cadres(report) if cadre.user_id}
