def collect(rows, pick):
    return [pick(row) for row in rows]
