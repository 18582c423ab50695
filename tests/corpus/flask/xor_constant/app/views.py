from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/xor_constant")
def xor_constant():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"ref": m.id ^ 0x5BD1E995})  # expect: IDL003
