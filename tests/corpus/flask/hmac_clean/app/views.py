from .ids import sign_id
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/hmac_clean")
def hmac_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"pid": sign_id(m.id)})
