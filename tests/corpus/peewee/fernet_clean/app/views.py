import os

from cryptography.fernet import Fernet
from flask import Flask, request

from .models import Member, Room

app = Flask(__name__)


@app.route("/fernet_clean")
def fernet_clean():
    m = Member.get(Member.nickname == request.args["n"])
    token = Fernet(os.environ["KEY"]).encrypt(str(m.id).encode()).decode()
    return {"token": token}
