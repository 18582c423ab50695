from flask import abort
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/error_detail_clean")
def error_detail_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    abort(409, description=f"member {m.nickname} is busy")
    return jsonify({"ok": True})
