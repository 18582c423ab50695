from flask import abort
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/error_detail")
def error_detail():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    abort(409, description=f"member {m.id} is busy")  # expect: IDL001
    return jsonify({"ok": True})
