from .ids import public_ref
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/two_hop_helper")
def two_hop_helper():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"ref": public_ref(m.id)})  # expect: IDL003
