from flask import Blueprint
from marshmallow_sqlalchemy import SQLAlchemyAutoSchema

from .models import Member

bp = Blueprint("api", __name__)


class MemberSchema(SQLAlchemyAutoSchema):
    class Meta:
        model = Member
        exclude = ("phone",)  # expect: IDL001


@bp.get("/m/<nick>")
def show(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return MemberSchema().dump(m)
