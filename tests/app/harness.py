"""What every end-to-end test script in this folder needs: a failed check ends the test with one
line, and a command that fails ends it with the command line and what it wrote to stderr.

Imported by its neighbours (Python puts a script's own folder first on its path)."""
import json
import subprocess
import sys


def check(cond, what):
    if not cond:
        sys.exit(f"FAIL: {what}")


def run(args, ok=True, timeout=600, env=None):
    """Runs args (paths are turned into strings) and returns the CompletedProcess. ok: a non-zero
    exit fails the test. A command still running after `timeout` seconds fails it as a hang."""
    args = [str(a) for a in args]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        sys.exit(f"FAIL: {' '.join(args)} still running after {timeout} s")
    if ok:
        check(proc.returncode == 0, f"{' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def last_json(args, env=None):
    """The JSON report a command prints as its last line of stdout (`view --json`, `discover`)."""
    return json.loads(run(args, env=env).stdout.strip().splitlines()[-1])
