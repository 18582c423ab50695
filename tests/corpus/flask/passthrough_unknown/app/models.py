from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Account(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    nickname = db.Column(db.String(40))
    phone = db.Column(db.String(20))
    public_id = db.Column(db.String(36), unique=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("account.id"))


class Room(db.Model):
    id = db.Column(db.String(36), primary_key=True)
    title = db.Column(db.String(80))
