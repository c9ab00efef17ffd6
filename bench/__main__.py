"""Run every bench/bench_*.py against a throwaway database under var/bench/
($OVI_VAR_DIR/bench/ when OVI_VAR_DIR is set).

Usage: python -m bench [name ...]
The national-scale search benchmark runs on its own: python -m bench.search_national
"""

import importlib
import os
import shutil
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def main(selected):
    var_dir = Path(os.environ.get("OVI_VAR_DIR") or ROOT / "var") / "bench"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    os.environ["OVI_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from bench.harness import write_results

    names = selected or sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(write_results(name, module.run()))


if __name__ == "__main__":
    main(sys.argv[1:])
