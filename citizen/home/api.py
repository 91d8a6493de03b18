"""JSON endpoint of a village as anyone sees it: its name, township, and how much is published, open and answered."""
from accounts.authz import village_by_slug
from citizen.reports.lifecycle import count_open
from citizen.home.schemas import PublicVillageSchema
from citizen.wall.entries import count_entries
from disclosure.lookup import count_published
from jsonapi import fails, response


@response(200, PublicVillageSchema)
@fails((404, "没有这个村（not_found）"))
def village(slug: str):
    """A village as anyone sees it: its name, township, and how much is published, open and answered."""
    village = village_by_slug(slug)
    counts = {"disclosures": count_published(village), "open_reports": count_open(village),
              "wall": count_entries(village)}
    return {"slug": village.slug, "name": village.name,
            "township": {"slug": village.township.slug, "name": village.township.name}, "counts": counts}
