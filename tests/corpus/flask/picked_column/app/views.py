from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)

EXPORTS = {
    "number": lambda m: m.id,
    "handle": lambda m: m.nickname,
}


@bp.get("/export/<nick>/<column>")
def export(nick, column):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    pick = EXPORTS.get(column)
    return jsonify({"value": pick(m)})  # expect: IDL001
