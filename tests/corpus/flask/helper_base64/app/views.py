from .ids import encode_id
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/helper_base64")
def helper_base64():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    token = encode_id(m.id)
    return jsonify({"token": token})  # expect: IDL003
