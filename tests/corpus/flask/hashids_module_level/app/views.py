from flask import Blueprint, jsonify
from hashids import Hashids

from .models import Member

bp = Blueprint("api", __name__)
hasher = Hashids(salt="member-salt", min_length=8)


@bp.get("/share/<nick>")
def share(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return jsonify({"code": hasher.encode(m.id)})  # expect: IDL003
