import os

from itsdangerous import URLSafeSerializer
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/oracle_signed")
def oracle_signed():
    data = URLSafeSerializer(os.environ["K"]).loads(request.args["v"])
    return {"member": data["m"]}  # expect: IDL005
