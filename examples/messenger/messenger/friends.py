from flask import jsonify

from . import app
from .models import Member


@app.get("/friends/lookup/<int:member_id>")
def lookup(member_id):
    # The add-friend API: any serial in, name and phone number out.
    member = Member.query.get_or_404(member_id)
    return jsonify({"name": member.real_name, "phone": member.phone})


@app.get("/friends/<public_id>")
def show(public_id):
    member = Member.query.filter_by(public_id=public_id).first_or_404()
    # The public ID is right; the serial slipped in "for the client cache".
    return jsonify({"friend": member.public_id, "cache_key": f"m-{member.id}"})
