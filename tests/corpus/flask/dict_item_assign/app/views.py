from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/dict_item_assign")
def dict_item_assign():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    data = {"nick": m.nickname}
    data["member"] = m.id
    return jsonify(data)  # expect: IDL001
