from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/public_id_clean")
def public_id_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"id": m.public_id, "nick": m.nickname})
