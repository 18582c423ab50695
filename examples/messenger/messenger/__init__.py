import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["ID_KEY"] = os.environ["MESSENGER_ID_KEY"]
db = SQLAlchemy(app)
