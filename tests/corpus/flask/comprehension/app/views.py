from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/comprehension")
def comprehension():
    rows = Member.query.all()
    return jsonify({"members": [{"id": r.id} for r in rows]})  # expect: IDL001
