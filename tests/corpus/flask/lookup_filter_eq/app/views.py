from flask import Blueprint, jsonify, request

from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/contact")
def contact():
    m = Member.query.filter(Member.id == request.args["id"]).first_or_404()
    return jsonify({"phone": m.phone})  # expect: IDL006
