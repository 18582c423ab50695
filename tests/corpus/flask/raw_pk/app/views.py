from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/raw_pk")
def raw_pk():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"id": m.id, "nick": m.nickname})  # expect: IDL001
