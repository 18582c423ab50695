from flask import Blueprint, jsonify, url_for

from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/links/<nick>")
def links(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return jsonify({"self": url_for("api.show", member_id=m.id)})  # expect: IDL008
