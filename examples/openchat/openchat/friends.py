from flask import jsonify, request

from . import app
from .models import Member


@app.post("/friends/add")
def add_friend():
    member = Member.query.filter_by(public_id=request.json["public_id"]).first_or_404()
    # The response should carry the public ID; the serial slipped in "for the client cache".
    return jsonify({"friend": member.public_id, "cache_key": f"m-{member.id}"})
