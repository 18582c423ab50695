from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    nickname = db.Column(db.String(40))
    phone = db.Column(db.String(20))
    owner_id = db.Column(db.Integer, db.ForeignKey("account.id"))
