"""JSON endpoints of the codes: what a scanned code is, and the staff's list, new codes, revoking, posters."""
from flask import current_app, make_response

from accounts.authz import authorize, village_by_slug
from citizen.codes import posters, qrcodes
from citizen.codes.schemas import CodeInSchema, PublicCodeSchema, StaffCodePageSchema, StaffCodeSchema
from extensions import db
from jsonapi import PageArgs, answers, api_user, binary, body, fails, json_object, needs_login, paginate, query, response

NO_CODE = (404, "没有这个二维码，或调用者管不了它所在的村（not_found）")
NOT_STAFF = (404, "没有这个村，或调用者不是这个村的文书、镇干部（not_found）")


def _staff_code(row) -> dict:
    """A code for the management list."""
    return {"code": row.code, "kind": row.kind, "label": row.label, "active": row.active,
            "url": qrcodes.public_url(row), "target_id": row.target_id}


@response(200, PublicCodeSchema)
@fails((404, "没有这个二维码（not_found）"))
def scanned_code(code: str):
    """What a code is and where it leads (public); a revoked code still answers, with active false."""
    row = qrcodes.get_code(code)
    return {"code": row.code, "kind": row.kind, "label": row.label, "active": row.active,
            "village": {"slug": row.village.slug, "name": row.village.name},
            "target": {"type": row.kind, "id": row.target_id,
                       "url": current_app.config["BASE_URL"] + qrcodes.target_url(row)}}


@answers(200, StaffCodePageSchema)
@needs_login
@query(PageArgs)
@fails(NOT_STAFF)
def village_codes(slug: str):
    """A village's codes (its clerk, township staff)."""
    api_user()
    village = village_by_slug(slug)
    authorize("village.manage_codes", village)
    page = paginate(qrcodes.village_codes(village), _Rows())
    return page


class _Rows:
    """paginate() wants a schema; the staff list is built by _staff_code."""

    def dump(self, rows, many=True):
        """Dump rows the staff way."""
        return StaffCodeSchema().dump([_staff_code(r) for r in rows], many=True)


@response(201, StaffCodeSchema)
@needs_login
@body(CodeInSchema)
@fails((404, "没有这个村，或调用者不能建这一类二维码（文书只能建公开栏的码）（not_found）"),
       (422, "类型、指向的内容或张贴位置有误：fields 逐项说明"))
def create_code(slug: str):
    """A new code: township staff any kind, clerks disclosure codes of their village."""
    user = api_user()
    village = village_by_slug(slug)
    authorize("village.manage_codes", village)
    data = CodeInSchema().load(json_object())
    authorize("qr.create", (village, data["kind"]))
    row = qrcodes.create_code(village, data["kind"], data["target_id"], data["label"], user)
    db.session.commit()
    return _staff_code(row)


@response(200, StaffCodeSchema)
@needs_login
@fails(NO_CODE)
def revoke_code(code: str):
    """Withdraw a code (township staff)."""
    api_user()
    row = qrcodes.get_code(code)
    authorize("qr.manage", row.village)
    qrcodes.revoke_code(row)
    db.session.commit()
    return _staff_code(row)


@binary(200, "image/png", "application/pdf", description="A4 海报（fmt 为 png 或 pdf）")
@needs_login
@fails(NO_CODE, (422, "海报字体写不出某些字，或没有安装（poster_font_missing）"))
def code_poster(code: str, fmt: str):
    """The code's A4 poster as PNG or PDF."""
    api_user()
    row = qrcodes.get_code(code)
    authorize("village.manage_codes", row.village)
    data = posters.poster_png(row) if fmt == "png" else posters.poster_pdf([row])
    response = make_response(data)
    response.headers["Content-Type"] = "image/png" if fmt == "png" else "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="poster-{row.code}.{fmt}"'
    return response
