def member_card(member):
    return {"ref": member.id, "nick": member.nickname}  # expect: IDL001
