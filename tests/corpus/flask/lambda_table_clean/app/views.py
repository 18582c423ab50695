from flask import Blueprint, jsonify

from .models import Member

bp = Blueprint("api", __name__)

SUMMARY = {
    "handle": lambda m: m.nickname,
    "known": lambda m: m.owner_id is not None,
    "size": lambda m: len(m.nickname or ""),
}


@bp.get("/summary/<nick>")
def summary(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    ordered = sorted(Member.query.all(), key=lambda x: x.id)
    out = {key: get(m) for key, get in SUMMARY.items()}
    out["names"] = [x.nickname for x in ordered]
    return jsonify(out)
