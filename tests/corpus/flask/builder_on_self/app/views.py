from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)


class ProfileBuilder:
    def __init__(self):
        self.ref = None

    def load(self, member):
        self.ref = member.id

    def build(self):
        return {"ref": self.ref}


@bp.get("/p/<nick>")
def profile(nick):
    builder = ProfileBuilder()
    builder.load(Member.query.filter_by(nickname=nick).first_or_404())
    return jsonify(builder.build())  # expect: IDL001
