from flask import Blueprint, jsonify

from .auth import admin_required
from .models import Member

bp = Blueprint("api", __name__)


@bp.get("/audit/<nick>")
@admin_required
def audit(nick):
    m = Member.query.filter_by(nickname=nick).first_or_404()
    return jsonify({"member": m.id})
