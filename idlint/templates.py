"""Templates a view renders: found by name under the `templates/` folders of the scanned
project, read as text (never rendered) and reduced to what they print of their context.

A view that passes records to a template (`render_template("members.html", users=users)`)
leaks what the template prints of them: `{% for u in users.items %}{{ u.id }}{% endfor %}`
prints every user's serial, `{{ u.username }}` none. This module reads a template's
Jinja2/Django syntax far enough to say which attribute chains of which context variables it
prints, and where: `Use("users", (("attr", "items"), ("item", ""), ("attr", "id")), 52)`.

Templates come from the scanned repository, which may be hostile: only templates named by
render calls are read, each once, as bytes of a regular file (no symlink, no FIFO) at most
`MAX_BYTES` long, inside the scanned root, decoded leniently. A name that matches no file, or
files in several `templates/` folders, gives nothing (idlint cannot tell which one renders).
What was found for each name is recorded (`fingerprints`), so that a cached result is used
only while every template it read is unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from idlint.safeio import UnsafeFileError, read_regular

MAX_BYTES = 512 * 1024  # a template larger than this is not read
MAX_FOLDERS = 20_000  # folders walked looking for `templates/` folders
MAX_INCLUDES = 16  # templates followed through include/extends from one render
MAX_DEPTH = 4  # nesting of include/extends followed
_FOLDER = "templates"
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", ".git", ".hg", ".svn", ".tox",
                              ".venv", "venv", "site-packages", ".idlint_cache"})

# A step of a chain: ("attr", name) `.name`, ("key", name) `['name']`, ("call", name)
# `.name(...)`, ("item", "") an element of what it iterates (`{% for u in users %}`).
Step = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Use:
    """A chain of attributes of the context variable `root` that the template prints
    (`in_url`: inside `url_for(...)` or a Django `{% url %}` tag), at `line` of `template`."""

    root: str
    steps: tuple[Step, ...]
    line: int
    text: str
    in_url: bool = False
    template: str = ""


@dataclass(frozen=True, slots=True)
class TemplateFacts:
    uses: tuple[Use, ...]
    includes: tuple[str, ...]  # names of templates it includes or extends (sharing its context)


# ------------------------------------------------------------------------ lookup


class TemplateSource:
    """Templates of the project at `root`, by the name a render call gives them."""

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.abspath(root))
        self._folders: list[Path] | None = None
        # Set when the walk stopped at MAX_FOLDERS: a `templates/` folder past them was not
        # looked in, and the scan says so (a tree could otherwise hide its templates that way)
        self.truncated: str | None = None
        self._facts: dict[str, TemplateFacts | None] = {}
        # name -> what was found for it: the sha256 of the one file's bytes, "" for none,
        # "ambiguous" for several; a cached result holds while these are unchanged
        self.fingerprints: dict[str, str] = {}

    def folders(self) -> list[Path]:
        """The `templates/` folders under the root (walked once, not through symlinks)."""
        if self._folders is None:
            found: list[Path] = []
            for walked, (current, dirs, _) in enumerate(
                    os.walk(self.root, followlinks=False)):
                if walked >= MAX_FOLDERS:
                    self.truncated = (
                        f"more than {MAX_FOLDERS} folders in the project: templates were looked "
                        f"for in the first {MAX_FOLDERS} only, and what templates elsewhere "
                        "print is not reported")
                    break
                dirs[:] = sorted(d for d in dirs
                                 if d not in _SKIPPED_FOLDERS and not d.startswith("."))
                if os.path.basename(current) == _FOLDER:
                    found.append(Path(current))
            self._folders = found
        return self._folders

    def _candidates(self, name: str) -> list[Path]:
        if not _safe_name(name):
            return []
        out = []
        for folder in self.folders():
            path = folder / name
            try:
                st = os.lstat(path)
            except (OSError, ValueError):
                continue
            if stat.S_ISREG(st.st_mode) and _inside(path, self.root):
                out.append(path)
        return out

    def read(self, name: str) -> tuple[str, str] | None:
        """(relative path, text) of the one template of that name, else None."""
        candidates = self._candidates(name)
        if len(candidates) != 1:
            self.fingerprints[name] = "ambiguous" if candidates else ""
            return None
        path = candidates[0]
        try:
            data, _ = read_regular(path, MAX_BYTES + 1, follow_symlinks=False)
        except (OSError, UnsafeFileError):
            self.fingerprints[name] = ""
            return None
        self.fingerprints[name] = hashlib.sha256(data).hexdigest()
        if len(data) > MAX_BYTES:
            return None
        return path.relative_to(self.root).as_posix(), _decode(data)

    def facts(self, name: str) -> TemplateFacts | None:
        """What the template of that name prints (read and parsed once per name)."""
        if name not in self._facts:
            found = self.read(name)
            self._facts[name] = parse(found[1], name) if found is not None else None
        return self._facts[name]

    def uses(self, name: str) -> list[Use]:
        """What the template prints of its context, with the templates it includes or
        extends (which see the same context), in order; bounded in number and depth."""
        out: list[Use] = []
        seen: set[str] = set()
        todo = [(name, 0)]
        while todo and len(seen) < MAX_INCLUDES:
            current, depth = todo.pop(0)
            if current in seen:
                continue
            seen.add(current)
            facts = self.facts(current)
            if facts is None:
                continue
            out.extend(facts.uses)
            if depth < MAX_DEPTH:
                todo.extend((n, depth + 1) for n in facts.includes)
        return out

    def unchanged(self, fingerprints: dict[str, str]) -> bool:
        """Whether every template name resolves to what it did when `fingerprints` were
        taken (read again; nothing is parsed)."""
        for name, old in sorted(fingerprints.items()):
            self.read(name)
            if self.fingerprints.get(name) != old:
                return False
        return True


def _safe_name(name: str) -> bool:
    """A relative template name that stays below its folder."""
    if not name or len(name) > 512 or "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _inside(path: Path, root: Path) -> bool:
    """`path` (a regular file, not a link) resolves inside `root`: no folder on the way is a
    link out of it."""
    try:
        resolved = path.resolve()
        return resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# ------------------------------------------------------------------------ parsing

_CLOSERS = {"{": "}}", "%": "%}", "#": "#}"}
_MAX_EXPRESSION = 2000  # characters of one tag read; longer ones are skipped
_MAX_NESTING = 64  # loops, `with` and macros open at once
_MAX_CALL_NESTING = 8  # method calls in the arguments of method calls, read for chains
_TOKEN = re.compile(r"""\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>'[^']*'|"[^"]*")|"""
                    r"""(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|\*\*|//|[^\sA-Za-z0-9_]))""")
_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "if", "else", "true", "false", "none",
                       "True", "False", "None", "as", "with", "without", "context", "only",
                       "recursive", "ignore", "missing"})
_COMPARE = frozenset({"==", "!=", "<", ">", "<=", ">=", "in", "is", "not"})
_URL_CALLS = frozenset({"url_for", "url"})
# Filters (Jinja2 and Django) after which a sequence still holds its elements, and those that
# pick one of them.
_KEEPING_FILTERS = frozenset({"sort", "reverse", "unique", "list", "select", "reject",
                              "selectattr", "rejectattr", "dictsort", "dictsortreversed",
                              "slice", "batch"})
_ELEMENT_FILTERS = frozenset({"first", "last", "random"})
_MAX_TAGS = 20_000


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            break
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass(slots=True)
class _Chain:
    root: str
    steps: list[Step]
    start: int  # token index of the root
    end: int  # token index after the chain
    in_url: bool
    compared: bool


def _chains(tokens: list[tuple[str, str]], url_tag: bool = False,
            depth: int = 0) -> list[_Chain]:
    """Every chain `name(.attr | ['key'] | [0] | .method(...))*` in an expression, with
    whether it sits inside a URL builder's arguments and whether it is compared (a test,
    not printed)."""
    out: list[_Chain] = []
    calls: list[str] = []  # callee of each open parenthesis
    i = 0
    n = len(tokens)
    while i < n:
        kind, text = tokens[i]
        prev = tokens[i - 1] if i else ("op", "")
        if kind == "op":
            if text == "(":
                calls.append(prev[1] if prev[0] == "name" else "")
            elif text == ")" and calls:
                calls.pop()
            i += 1
            continue
        if kind != "name" or text in _KEYWORDS or prev[1] in (".", "|") or \
                (prev[0] == "name" and prev[1] == "is"):
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < n else ("op", "")
        if nxt == ("op", "=") or nxt == ("op", "("):  # a keyword argument, a call of a name
            i += 1
            continue
        steps: list[Step] = []
        j = i + 1
        while j < n:
            k, t = tokens[j]
            if (k, t) == ("op", ".") and j + 1 < n and tokens[j + 1][0] == "name":
                name = tokens[j + 1][1]
                if j + 2 < n and tokens[j + 2] == ("op", "("):
                    close = _closing(tokens, j + 2)
                    if close is None:
                        break
                    steps.append(("call", name))
                    # the arguments hold chains of their own
                    if depth < _MAX_CALL_NESTING:
                        out.extend(_chains(tokens[j + 3:close], url_tag, depth + 1))
                    j = close + 1
                else:
                    steps.append(("attr", name))
                    j += 2
            elif (k, t) == ("op", ".") and j + 1 < n and tokens[j + 1][0] == "num" and \
                    tokens[j + 1][1].isdigit():  # Django's `members.0`
                steps.append(("item", ""))
                j += 2
            elif (k, t) == ("op", "[") and j + 2 < n and tokens[j + 2] == ("op", "]") and \
                    tokens[j + 1][0] in ("str", "num"):
                key_kind, key = tokens[j + 1]
                steps.append(("key", key[1:-1]) if key_kind == "str" else ("item", ""))
                j += 3
            else:
                break
        before = prev[1] if prev[0] in ("op", "name") else ""
        after = tokens[j][1] if j < n and tokens[j][0] in ("op", "name") else ""
        out.append(_Chain(text, steps, i, j,
                          url_tag or any(c in _URL_CALLS for c in calls),
                          before in _COMPARE or after in _COMPARE))
        i = j
    return out


def _closing(tokens: list[tuple[str, str]], open_at: int) -> int | None:
    depth = 0
    for j in range(open_at, len(tokens)):
        if tokens[j] == ("op", "("):
            depth += 1
        elif tokens[j] == ("op", ")"):
            depth -= 1
            if depth == 0:
                return j
    return None


# A binding of a template name: the context variable and the chain it stands for, or None
# for a name that hides one (a macro's parameter, a loop over something unknown).
_Binding = tuple[str, tuple[Step, ...]] | None


class _Scopes:
    def __init__(self) -> None:
        self.stack: list[tuple[str, dict[str, _Binding]]] = [("", {})]

    def resolve(self, chain: _Chain) -> tuple[str, tuple[Step, ...]] | None:
        for _, names in reversed(self.stack):
            if chain.root in names:
                bound = names[chain.root]
                return None if bound is None else (bound[0], bound[1] + tuple(chain.steps))
        return chain.root, tuple(chain.steps)

    def push(self, kind: str, names: dict[str, _Binding]) -> None:
        self.stack.append((kind, names))

    def pop(self, kind: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == kind:
                del self.stack[i:]
                return

    def bind(self, name: str, value: _Binding) -> None:
        self.stack[-1][1][name] = value


def _one_chain(tokens: list[tuple[str, str]], scopes: _Scopes) -> _Binding:
    """The chain an expression is when it is one (`users.items`, `result['user'].all()`,
    with filters that keep its elements: `users|sort`), else None."""
    if not tokens:
        return None
    chains = _chains(tokens)
    if not chains or chains[0].start != 0:
        return None
    first = chains[0]
    rest = tokens[first.end:]
    steps = list(first.steps)
    # filters after the chain: some keep what it holds (`|sort(attribute='x')`), some pick
    # one element (`|first`); what others make of it is not known
    k = 0
    while k < len(rest) and rest[k] == ("op", "|") and k + 1 < len(rest) and \
            rest[k + 1][0] == "name":
        name = rest[k + 1][1]
        if name in _ELEMENT_FILTERS:
            steps.append(("item", ""))
        elif name not in _KEEPING_FILTERS:
            return None
        k += 2
        if k < len(rest) and rest[k] == ("op", ":") and k + 1 < len(rest):
            k += 2  # a Django filter's argument
        elif k < len(rest) and rest[k] == ("op", "("):
            close = _closing(rest, k)
            if close is None:
                return None
            k = close + 1
    if k != len(rest):
        return None
    return scopes.resolve(_Chain(first.root, steps, first.start, first.end, first.in_url,
                                 first.compared))


def _tags(text: str) -> Iterator[tuple[int, str, str]]:
    """(line, kind, inner text) of each `{{ }}`, `{% %}` and `{# #}` in order, found in
    linear time (an opening without its closing ends the scan)."""
    line = 1
    pos = last = 0
    for _ in range(_MAX_TAGS):
        start = text.find("{", pos)
        while start != -1 and text[start + 1:start + 2] not in ("{", "%", "#"):
            start = text.find("{", start + 1)
        if start == -1:
            return
        opener = text[start + 1]
        close = text.find(_CLOSERS[opener], start + 2)
        if close == -1:
            return
        line += text.count("\n", last, start)
        last = start
        inner = text[start + 2:close]
        pos = close + 2
        if opener != "#" and len(inner) <= _MAX_EXPRESSION:
            yield line, opener, inner.strip().strip("-").strip()


def parse(text: str, name: str = "") -> TemplateFacts:
    """What a Jinja2 or Django template prints of its context, and what it includes."""
    uses: list[Use] = []
    includes: list[str] = []
    scopes = _Scopes()
    for line, kind, inner in _tags(text):
        if len(scopes.stack) > _MAX_NESTING:
            break  # no real template nests this deep: the rest is not read
        if kind == "{":
            _printed(_tokens(inner), scopes, line, name, uses)
        else:
            _tag(_tokens(inner), scopes, line, name, uses, includes)
    return TemplateFacts(tuple(uses), tuple(dict.fromkeys(includes)))


def _printed(tokens: list[tuple[str, str]], scopes: _Scopes, line: int, name: str,
             uses: list[Use], url_tag: bool = False) -> None:
    for chain in _chains(tokens, url_tag):
        if chain.compared:
            continue
        resolved = scopes.resolve(chain)
        if resolved is None or not resolved[1]:
            continue  # a bare name: what the view passed is a sink of its own already
        root, steps = resolved
        if steps[-1][0] == "item":
            continue
        shown = chain.root + "".join(
            f".{s}" if k == "attr" else f".{s}()" if k == "call" else
            f"['{s}']" if k == "key" else "[]" for k, s in chain.steps)
        uses.append(Use(root, steps, line, shown, chain.in_url, name))


def _tag(tokens: list[tuple[str, str]], scopes: _Scopes, line: int, name: str,
         uses: list[Use], includes: list[str]) -> None:
    if not tokens or tokens[0][0] != "name":
        return
    word = tokens[0][1]
    rest = tokens[1:]
    if word == "for":
        # `for a in EXPR`, `for a, b in EXPR`, with an optional `if` filter or `recursive`
        names: list[str] = []
        k = 0
        while k < len(rest) and rest[k] != ("name", "in"):
            if rest[k][0] == "name":
                names.append(rest[k][1])
            k += 1
        iterable = rest[k + 1:]
        for stop in (("name", "if"), ("name", "recursive")):
            if stop in iterable:
                iterable = iterable[:iterable.index(stop)]
        bound = _one_chain(iterable, scopes)
        # `for forum, reads in rows`: as in the engine's own tuple unpacking, each name holds
        # what an element holds (a row of two records: either one)
        element: _Binding = (bound[0], (*bound[1], ("item", ""))) \
            if bound is not None and names else None
        scopes.push("for", dict.fromkeys(names, element))
    elif word in ("endfor",):
        scopes.pop("for")
    elif word == "with":
        scopes.push("with", _assignments(rest, scopes))
    elif word == "endwith":
        scopes.pop("with")
    elif word == "set":
        if ("op", "=") in rest:
            for target, value in _assignments(rest, scopes).items():
                scopes.bind(target, value)
    elif word in ("macro", "call"):
        params = [t for k, t in rest[1:] if k == "name"] if word == "macro" else []
        scopes.push(word, dict.fromkeys(params))
    elif word in ("endmacro", "endcall"):
        scopes.pop(word[3:])
    elif word in ("include", "extends"):
        if rest and rest[0][0] == "str":
            includes.append(rest[0][1][1:-1])
        elif len(rest) >= 4 and rest[0][0] == "name" and rest[1] == ("op", "(") and \
                rest[2][0] == "str" and rest[3] == ("op", ")"):
            # `{% include theme("forum/list.html") %}`: a helper that picks the folder of a
            # theme for a template name
            includes.append(rest[2][1][1:-1])
    elif word == "url":  # Django: {% url 'name' user.id %}
        _printed(rest[1:], scopes, line, name, uses, url_tag=True)


def _assignments(tokens: list[tuple[str, str]], scopes: _Scopes) -> dict[str, _Binding]:
    """`a=EXPR, b=EXPR` (Jinja `with`/`set`, Django `with`) or `EXPR as a` (old Django)."""
    out: dict[str, _Binding] = {}
    if ("name", "as") in tokens:
        k = tokens.index(("name", "as"))
        if k + 1 < len(tokens) and tokens[k + 1][0] == "name":
            out[tokens[k + 1][1]] = _one_chain(tokens[:k], scopes)
        return out
    parts: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for tok in tokens:
        if tok[0] == "op" and tok[1] in "([{":
            depth += 1
        elif tok[0] == "op" and tok[1] in ")]}":
            depth -= 1
        if depth == 0 and (tok == ("op", ",") or (tok[0] == "name" and parts[-1] and
                                                   len(parts[-1]) >= 3 and
                                                   parts[-1][1] == ("op", "=") and
                                                   tok[1] not in _KEYWORDS and
                                                   parts[-1][-1][0] != "op")):
            # a comma, or Django's space-separated `a=x b=y`
            if tok == ("op", ","):
                parts.append([])
                continue
            parts.append([])
        parts[-1].append(tok)
    for part in parts:
        if len(part) >= 3 and part[0][0] == "name" and part[1] == ("op", "="):
            out[part[0][1]] = _one_chain(part[2:], scopes)
    return out
