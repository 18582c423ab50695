import stripe
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/external_id_clean")
def external_id_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return jsonify({"charge": charge.id})
