#!/usr/bin/env python3
"""Wrapper around the reference gen.py (unmodified) for truly small instances.

gen.py always creates ~46 departments with >=2 services each, so its smallest output is
~106 services. This wrapper keeps only K departments of gen.DEPARTMENTS (DSF, DSEC, DSEDJ, SS first)
(K from --depts, default max(4, services // 8)) and then runs gen.main unchanged, with
--check so the planted witness is verified.

    gen_small.py --depts K --seed S --services N --out DIR [--ramp]
"""
import os
import sys
sys.path.insert(0, os.environ.get("WAVEPLAN_TOOLS", "../shared/tools"))
import gen  # noqa: E402

argv = sys.argv[1:]
k = None
if "--depts" in argv:
    i = argv.index("--depts")
    k = int(argv[i + 1])
    del argv[i:i + 2]
if k is None:
    n = int(argv[argv.index("--services") + 1])
    k = max(4, n // 8)
# gen.calendar() samples 2-3 blackout departments from DSF/DSEC/DSEDJ/SS: keep those first
first = ("DSF", "DSEC", "DSEDJ", "SS")
deps = [d for d in gen.DEPARTMENTS if d[0] in first] + [d for d in gen.DEPARTMENTS if d[0] not in first]
gen.DEPARTMENTS = deps[:k]
sys.exit(gen.main(argv))
