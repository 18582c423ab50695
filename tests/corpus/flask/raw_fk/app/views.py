from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/raw_fk")
def raw_fk():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"owner": m.owner_id})  # expect: IDL001
