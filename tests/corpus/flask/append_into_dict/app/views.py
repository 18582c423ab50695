from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/digest")
def digest():
    out = {"members": [], "count": 0}
    for m in Member.query.all():
        out["members"].append(m.id)
        out["count"] += 1
    return jsonify(out)  # expect: IDL001
