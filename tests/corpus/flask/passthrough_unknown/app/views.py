import codec
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/passthrough_unknown")
def passthrough_unknown():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    token = codec.pack(m.id)
    return jsonify({"token": token})  # expect: IDL001
