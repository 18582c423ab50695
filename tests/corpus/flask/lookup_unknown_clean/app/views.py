import loaders
from flask import Blueprint, jsonify, request

from .models import Member, Room

bp = Blueprint("api", __name__)


@bp.get("/lookup_unknown_clean")
def lookup_unknown_clean():
    m = Member.query.filter_by(nickname=request.args["n"]).first_or_404()
    owner = loaders.load_owner(m.id)
    return jsonify({"owner": owner.name})
