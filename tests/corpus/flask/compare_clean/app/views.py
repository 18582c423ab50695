from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/compare_clean")
def compare_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    first = m.id == 1
    return jsonify({"first": first})
