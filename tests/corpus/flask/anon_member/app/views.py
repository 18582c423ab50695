from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/anon_member")
def anon_member():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"speaker": m.id})  # expect: IDL007
