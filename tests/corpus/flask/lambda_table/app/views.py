from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)

COLUMNS = {
    "ref": lambda m: m.id,
    "nick": lambda m: m.nickname,
}


@bp.get("/card/<nick>")
def card(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return jsonify({key: get(m) for key, get in COLUMNS.items()})  # expect: IDL001
