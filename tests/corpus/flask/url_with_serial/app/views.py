from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/url_with_serial")
def url_with_serial():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    return jsonify({"href": f"/members/{m.id}"})  # expect: IDL008
