from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/groups")
def groups():
    by_owner = {}
    for m in Member.query.all():
        by_owner.setdefault(m.nickname[:1], []).append(m.id)
    return jsonify(by_owner)  # expect: IDL001
