"""Templates a call renders: the serials of records in its context that the template prints.

`render_template("members.html", users=users)` sends a record to the client only as far as
the template prints it: `{{ user.id }}` in a loop over `users.items` sends every user's
serial, `{{ user.username }}` none. For a render call the knowledge describes (a `[[sinks]]`
entry with `template` and `context`), or a project function that passes its template name
and context on to one (a view helper `render(template, **context)`), idlint reads the named
template (see idlint/templates.py), evaluates each attribute chain it prints of a context
value as if the view had written it (`users.items[].id`), and reports the serials found at
the context argument, naming the template and its line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from idlint.analysis import ir
from idlint.analysis.core import Frame
from idlint.analysis.flows import template_sink
from idlint.analysis.library import LibraryCalls
from idlint.analysis.project import FunctionRef, dotted_name
from idlint.analysis.values import EMPTY, KEYED, NodeRef, Step, Taint, Value, kind_of
from idlint.knowledge import SinkSpec
from idlint.templates import Use

_TEMP = "\x00template"  # the name a chain's value is held under while it is evaluated
_WRAPPER_ROUNDS = 3  # helpers of helpers followed
# What a context value must be for the attributes a template prints of it to be looked at:
# records (one, a collection, a dict of them by key, rows of columns) or project objects.
_RECORD_KINDS = frozenset({"instance", "collection", KEYED, "row", "rows"})


@dataclass(frozen=True, slots=True)
class RenderSpec:
    """Where a render call takes its template's name and its context."""

    template: tuple[int | str, ...]
    context: tuple[int | str, ...] = ()
    context_keywords: bool = False


def _spec_of(sink: SinkSpec) -> RenderSpec | None:
    if not sink.template or not (sink.context or sink.context_keywords):
        return None
    return RenderSpec(sink.template, sink.context, sink.context_keywords)


def _passed(args: list[ir.Arg], wanted: tuple[int | str, ...]) -> ir.Arg | None:
    position = 0
    for arg in args:
        if arg.star:
            continue
        if arg.keyword is None:
            if position in wanted:
                return arg
            position += 1
        elif arg.keyword in wanted:
            return arg
    return None


class TemplateRenders(LibraryCalls):
    # ------------------------------------------------------------ which calls render

    def _render_spec(self, names: list[str]) -> RenderSpec | None:
        if self.templates is None:
            return None
        for q in names:
            sink = self.k.sink_callables.get(q)
            spec = _spec_of(sink) if sink is not None else None
            if spec is None:
                spec = self._template_helpers.get(q)
            if spec is not None:
                return spec
        return None

    @functools.cached_property
    def _template_helpers(self) -> dict[str, RenderSpec]:
        """Module-level project functions that pass a parameter on as the template name of
        a render call, and their `**context` (or a context parameter) as its context:
        `def render_template(template, **context): return render_theme(theme, template,
        **context)`. Found from the facts alone, helpers of helpers included."""
        known: dict[str, RenderSpec] = {}
        renderers = {q: spec for q, sink in self.k.sink_callables.items()
                     if (spec := _spec_of(sink)) is not None}
        if not renderers:
            return known
        for _ in range(_WRAPPER_ROUNDS):
            last_names = {q.rsplit(".", 1)[-1] for q in (*renderers, *known)}
            found = False
            for q, ref in sorted(self.project.functions.items()):
                fn = ref.function
                if q in known or fn.class_name is not None or fn.calls.isdisjoint(last_names):
                    continue
                spec = self._helper_spec(ref, {**renderers, **known})
                if spec is not None:
                    known[q] = spec
                    found = True
            if not found:
                break
        return known

    def _helper_spec(self, ref: FunctionRef, renderers: dict[str, RenderSpec]
                     ) -> RenderSpec | None:
        fn = ref.function
        params = {p.name: (i, p) for i, p in enumerate(fn.params)}
        module = self.project.module_names[ref.module.path]
        for call in _calls_in(self.project.body(ref)):
            callee = dotted_name(call.func)
            spec = renderers.get(self.project.resolve(module, callee)) if callee else None
            if spec is None:
                continue
            named = _passed(list(call.args), spec.template)
            if named is None or not isinstance(named.value, ir.Name) or \
                    named.value.id not in params:
                continue
            index, param = params[named.value.id]
            if param.kind not in ("pos", "kwonly"):
                continue
            template = (index, param.name) if param.kind == "pos" else (param.name,)
            if spec.context_keywords and any(
                    a.star == "**" and isinstance(a.value, ir.Name) and
                    a.value.id in params and params[a.value.id][1].kind == "**"
                    for a in call.args):
                return RenderSpec(template, (), True)
            given = _passed(list(call.args), spec.context)
            if given is not None and isinstance(given.value, ir.Name) and \
                    given.value.id in params:
                c_index, c_param = params[given.value.id]
                if c_param.kind == "**" and spec.context_keywords:
                    return RenderSpec(template, (), True)
                if c_param.kind in ("pos", "kwonly"):
                    context = (c_index, c_param.name) if c_param.kind == "pos" \
                        else (c_param.name,)
                    return RenderSpec(template, context, False)
        return None

    # ------------------------------------------------------------ what is rendered

    def _render(self, frame: Frame, spec: RenderSpec, args: list[tuple[ir.Arg, Value]],
                at: NodeRef) -> None:
        """Report the serials the named template prints of the records in the context."""
        if not frame.emit or self.templates is None:
            return
        named = _passed([a for a, _ in args], spec.template)
        if named is None or not isinstance(named.value, ir.Const) or \
                not isinstance(named.value.value, str):
            return
        name = named.value.value
        uses = self.templates.uses(name)
        if not uses:
            return
        roots = {u.root for u in uses}
        for key, value, node in self._context(frame, spec, args, roots, named):
            self._rendered(frame, value, [u for u in uses if u.root == key],
                           NodeRef(frame.path, node if node is not None else at.node), at,
                           name)

    def _context(self, frame: Frame, spec: RenderSpec, args: list[tuple[ir.Arg, Value]],
                 roots: set[str], template_arg: ir.Arg) -> list[tuple[str, Value, int | None]]:
        """(name, value, node of the expression) of each context entry the template uses;
        `template_arg` names the template."""
        out: list[tuple[str, Value, int | None]] = []
        if spec.context_keywords:
            for arg, value in args:
                if arg.keyword in roots and arg is not template_arg and not arg.star:
                    out.append((arg.keyword, value, getattr(arg.value, "node", None)))
                elif arg.star == "**":
                    out += self._dict_entries(frame, arg.value, roots)
        given = _passed([a for a, _ in args], spec.context) if spec.context else None
        if given is not None:
            out += self._dict_entries(frame, given.value, roots)
        return out

    def _dict_entries(self, frame: Frame, expr: ir.Expr, roots: set[str]
                      ) -> list[tuple[str, Value, int | None]]:
        """The entries of a dict the context is: a literal, or a local name assigned dict
        literals and items (`context = {...}`, `context["users"] = users`)."""
        items: list[tuple[str, ir.Expr]] = []
        if isinstance(expr, ir.Container):
            items = _literal_items(expr)
        elif isinstance(expr, ir.Name) and frame.fn is not None:
            for stmt in self.project.body(frame.fn):
                if not isinstance(stmt, ir.Assign):
                    continue
                for target in stmt.targets:
                    if isinstance(target, ir.NameT) and target.id == expr.id and \
                            isinstance(stmt.value, ir.Container):
                        items += _literal_items(stmt.value)
                    elif isinstance(target, ir.SubT) and isinstance(target.value, ir.Name) \
                            and target.value.id == expr.id and \
                            isinstance(target.key, ir.Const) and \
                            isinstance(target.key.value, str):
                        items.append((target.key.value, stmt.value))
        return [(key, self._eval(frame, value), getattr(value, "node", None))
                for key, value in items if key in roots]

    def _rendered(self, frame: Frame, value: Value, uses: list[Use], at: NodeRef,
                  call: NodeRef, name: str) -> None:
        """Report the serials the uses print of one context entry, `value` (the entry's
        expression at `at`, passed to the render call at `call`)."""
        if not any(kind in _RECORD_KINDS for kind, _ in value.types):
            return  # not known to hold records (or objects of the project) to print
        known = {t.origin for t in value.taints}
        seen: set[tuple[str, bool]] = set()
        for use in uses:
            printed = self._chain_value(frame, value, use, at)
            for t in sorted(printed.taints):
                if t.param is not None or kind_of(t.label) != "serial" or \
                        t.origin in known or (t.origin, use.in_url) in seen:
                    continue
                seen.add((t.origin, use.in_url))
                where = template_sink(use.template, use.line)
                steps = [*t.steps]
                if call != at:
                    steps.append(Step("call", call, f"passed to the template `{name}`"))
                steps.append(Step("transform", call, f"`{use.text}` is printed by {where}"
                                  + (" in a URL" if use.in_url else "")))
                shown = Taint(t.origin, t.label, t.confidence, t.how, tuple(steps), at,
                              t.in_url or use.in_url)
                self._sink(frame, Value(taints=frozenset({shown})), SinkSpec(where, None),
                           at.node)

    def _chain_value(self, frame: Frame, value: Value, use: Use, at: NodeRef) -> Value:
        """What `root.a.b` of a template is, for `root` holding `value`: each step evaluated
        like the code it stands for (an attribute read, `x['k']`, `x.m()`, an element)."""
        held = frame.env.get(_TEMP)
        try:
            for kind, name in use.steps:
                if not value:
                    return EMPTY
                if kind == "item":
                    value = self._element(frame, value)
                    continue
                frame.env[_TEMP] = value
                base = ir.Name(_TEMP, at.node)
                expr: ir.Expr
                if kind == "attr":
                    expr = ir.Attr(base, name, at.node)
                elif kind == "key":
                    expr = ir.Subscript(base, ir.Const(name, at.node), at.node)
                else:
                    expr = ir.Call(ir.Attr(base, name, at.node), (), at.node)
                value = self._eval(frame, expr)
            return value
        finally:
            if held is None:
                frame.env.pop(_TEMP, None)
            else:
                frame.env[_TEMP] = held

    # Defined by the layer above (calls.py).
    def _sink(self, frame: Frame, value: Value, sink: SinkSpec, node: int) -> None:
        raise NotImplementedError


def _literal_items(expr: ir.Container) -> list[tuple[str, ir.Expr]]:
    if expr.kind != "dict":
        return []
    return [(key.value, value) for key, value in expr.items
            if isinstance(key, ir.Const) and isinstance(key.value, str)]


def _calls_in(body: tuple[ir.Stmt, ...]) -> list[ir.Call]:
    """The calls of a body's statements (returned, assigned or on their own)."""
    out: list[ir.Call] = []
    todo: list[object] = []
    for stmt in body:
        if isinstance(stmt, (ir.Assign, ir.ExprStmt, ir.Return)):
            todo.append(stmt.value)
    while todo:
        expr = todo.pop()
        if isinstance(expr, ir.Call):
            out.append(expr)
            todo.extend(a.value for a in expr.args)
        elif isinstance(expr, ir.Union_):
            todo.extend(expr.parts)
    return out
