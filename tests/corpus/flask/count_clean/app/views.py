from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/count_clean")
def count_clean():
    rows = Member.query.all()
    ids = [r.id for r in rows]
    return jsonify({"count": len(ids)})
