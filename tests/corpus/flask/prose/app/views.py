from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/prose")
def prose():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"status": f"Member {m.id} joined"})  # expect: IDL001
