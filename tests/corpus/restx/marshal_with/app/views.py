from flask_restx import Resource, fields, marshal_with

from .models import Member

member_fields = {
    "id": fields.Integer,
    "nickname": fields.String,
}


class MemberResource(Resource):
    @marshal_with(member_fields)
    def get(self, nick):
        return Member.query.filter_by(nickname=nick).first_or_404()  # expect: IDL001
