import base64
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/oracle_lookup_clean")
def oracle_lookup_clean():
    key = base64.urlsafe_b64decode(request.args["v"]).decode()
    m = Member.query.get_or_404(int(key))
    return jsonify({"nick": m.nickname})
