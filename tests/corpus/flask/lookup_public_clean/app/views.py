from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/lookup_public_clean")
def lookup_public_clean():
    key = request.args["v"]
    m = Member.query.filter_by(public_id=key).first_or_404()
    return jsonify({"phone": m.phone})
