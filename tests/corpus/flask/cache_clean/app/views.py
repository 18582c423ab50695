from .cache import cache
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/cache_clean")
def cache_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    cache.set(f"member:{m.id}", m.nickname)
    return jsonify({"nick": m.nickname})
