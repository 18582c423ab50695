from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/dict_item_assign")
def dict_item_assign():
    m = Member.get(Member.nickname == request.args["n"])
    data = {"nick": m.nickname}
    data["member"] = m.id
    return data  # expect: IDL001
