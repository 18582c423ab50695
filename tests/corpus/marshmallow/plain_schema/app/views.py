from flask import Blueprint
from marshmallow import Schema, fields

from .models import Member

bp = Blueprint("api", __name__)


class MemberSchema(Schema):
    id = fields.Int()  # expect: IDL001
    nickname = fields.Str()


@bp.get("/m/<nick>")
def show(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return MemberSchema().dump(m)
