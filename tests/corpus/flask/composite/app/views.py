from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/composite")
def composite():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    ref = f"{m.owner_id}-{m.id}"
    return jsonify({"ref": ref})  # expect: IDL002
