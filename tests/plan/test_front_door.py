"""``jdmtrack.plan(...)`` is the front-door function although ``jdmtrack.plan`` is also a
subpackage: importing its modules does not rebind the name, and ``import jdmtrack`` stays
cheap (the function loads on first access)."""

from __future__ import annotations

import subprocess
import sys


def test_plan_is_the_function_after_importing_the_subpackage():
    import jdmtrack.plan.output
    import jdmtrack.plan.power
    from jdmtrack.plan import simon_designs
    from jdmtrack.plan.power import PowerResult

    assert callable(jdmtrack.plan) and jdmtrack.plan.__module__ == "jdmtrack.plan"
    assert jdmtrack.plan.__doc__
    assert "plan" in jdmtrack.__all__
    # the same exact design as the subpackage's own function: P(X >= 8 | 20, 0.2) = 0.0321
    assert jdmtrack.plan(design="binomial", n=20, p0=0.2, p1=0.5).critical == 8
    assert simon_designs(0.05, 0.25, 0.05, 0.2).optimal.n == 17   # Simon 1989, Table 1
    assert isinstance(jdmtrack.plan(test="fisher", n=[10], p1=0.8, p2=0.2), PowerResult)


def test_fresh_interpreter_plan_first_then_submodule():
    """In a new interpreter: nothing heavy at import; the function before and after a
    submodule import is the same object."""
    code = (
        "import sys, jdmtrack\n"
        "heavy = [m for m in ('pandas', 'scipy', 'matplotlib') if m in sys.modules]\n"
        "f = jdmtrack.plan\n"
        "import jdmtrack.plan.models\n"
        "print(heavy, f is jdmtrack.plan, type(jdmtrack.plan).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[] True function"
