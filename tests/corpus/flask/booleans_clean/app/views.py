from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/flags/<nick>")
def flags(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return jsonify({"owned": m.owner_id is not None, "saved": bool(m.id)})
