from flask import Blueprint, jsonify
from flask_login import current_user

from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/contact/<int:member_id>")
def contact(member_id):
    m = Member.query.get_or_404(member_id)
    mine = m.owner_id == current_user.id
    return jsonify({"phone": m.phone, "mine": mine})  # expect: IDL006
