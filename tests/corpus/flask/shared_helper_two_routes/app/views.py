from flask import Blueprint, jsonify

from .cards import member_card
from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/one/<nick>")
def one(nick):
    return jsonify(member_card(Member.query.filter_by(nickname=nick).first_or_404()))


@bp.get("/all")
def every():
    return jsonify([member_card(m) for m in Member.query.all()])
