import hashlib
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/unkeyed_md5")
def unkeyed_md5():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    key = hashlib.md5(str(m.id).encode()).hexdigest()
    return jsonify({"avatar": key})  # expect: IDL004
