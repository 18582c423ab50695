import stripe
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/external_id_clean")
def external_id_clean():
    m = Member.get(Member.nickname == request.args["n"])
    charge = stripe.Charge.create(amount=100, description=m.nickname)
    return {"charge": charge.id}
