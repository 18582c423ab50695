from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["ID_KEY"] = "loaded-from-the-environment-in-production"
db = SQLAlchemy(app)
