"""Derived figures' formulas: a tiny exact arithmetic evaluator (no eval) and the rounding rule."""
from __future__ import annotations

import ast
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext


# ---------------------------------------------------------------------------
# Derived figures: a tiny arithmetic evaluator (no eval)
# ---------------------------------------------------------------------------
class FormulaError(ValueError):
    pass


def evaluate_formula(formula: str) -> tuple[Decimal, list[Decimal]]:
    """Evaluate ``formula`` (numbers, + - * / and parentheses) exactly; return (result, operands)."""
    src = formula.translate(str.maketrans({"−": "-", "×": "*", "÷": "/", "–": "-"})).strip()
    if not src:
        raise FormulaError("the formula is empty")
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError:
        raise FormulaError("it cannot be parsed") from None
    operands: list[Decimal] = []

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if right == 0:
                raise FormulaError("it divides by zero")
            return left / right
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            d = Decimal(ast.get_source_segment(src, node))
            operands.append(d)
            return d
        raise FormulaError(f"{type(node).__name__} is not allowed")

    with localcontext() as ctx:
        ctx.prec = 40
        try:
            result = ev(tree)
        except (InvalidOperation, DivisionByZero):
            raise FormulaError("it cannot be evaluated") from None
    return result, operands


PERCENT_FACTOR = Decimal(100)


def rounds_to(result: Decimal, written: Decimal) -> bool:
    exp = written.as_tuple().exponent
    q = Decimal(1).scaleb(exp if isinstance(exp, int) and exp < 0 else 0)
    return any(result.quantize(q, rounding=r) == written for r in (ROUND_HALF_UP, ROUND_HALF_EVEN))
