from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/lookup_pii")
def lookup_pii():
    key = request.args["v"]
    m = Member.query.get_or_404(int(key))
    return jsonify({"phone": m.phone})  # expect: IDL006
