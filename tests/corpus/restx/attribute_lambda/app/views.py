from flask_restx import Resource, fields, marshal_with

from .ids import masked
from .models import Member

card_fields = {
    "token": fields.String(attribute=lambda m: masked(m.id)),
    "loud": fields.String(attribute=lambda m: m.nickname.upper()),
}


class CardResource(Resource):
    @marshal_with(card_fields)
    def get(self, nick):
        return Member.query.filter_by(nickname=nick).first_or_404()  # expect: IDL003
