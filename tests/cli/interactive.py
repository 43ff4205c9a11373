#!/usr/bin/env python3
"""The interactive auk shell driven through a pseudo-terminal: prompts,
a multi-line statement, dot-commands, Ctrl-C at the prompt, history in
$HOME/.auk_history, Ctrl-D to leave.

usage: interactive.py AUK_BINARY DATA_CSV
Queries over a generated file run long enough to see the progress bar rise
(and nothing with `.progress off`), a query over tables in memory long
enough to see the elapsed-time spinner (the engine knows no fraction
there); each is stopped with Ctrl-C, its line erased. Statements that need SQL are checked only when `auk -c "SELECT 1"` works;
the rest always runs."""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

AUK, CSV = sys.argv[1], sys.argv[2]
failures = []
T0 = time.time()
passed = 0


def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
    else:
        failures.append(name)
        print(f"FAIL: {name}\n{detail}")


class Shell:
    def __init__(self, home):
        env = dict(os.environ, HOME=home, TERM="dumb", LC_ALL="C.UTF-8")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(AUK, [AUK], env)
        self.out = b""
        self.log = ""  # what was sent and received, with times, for failures

    def read_until(self, text, timeout=10.0):
        """Reads until `text` appears after what was consumed; returns all."""
        want = text.encode()
        end = time.time() + timeout
        while want not in self.out and time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
                self.log += f"[{time.time() - T0:.2f} recv] {chunk.decode(errors='replace')!r}\n"
        got = self.out
        i = got.find(want)
        if i >= 0:
            self.out = got[i + len(want):]
        return got.decode(errors="replace"), i >= 0

    def send(self, text):
        self.log += f"[{time.time() - T0:.2f} send] {text[:80]!r}\n"
        os.write(self.fd, text.encode())

    def wait(self, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            self.read_until("\x00", 0.1)  # keeps what it read (no match)
        os.kill(self.pid, 9)
        return None


sql_works = subprocess.run([AUK, "-c", "SELECT 1"], capture_output=True).returncode == 0
with tempfile.TemporaryDirectory() as home:
    sh = Shell(home)
    got, ok = sh.read_until("auk> ")
    check("first prompt", ok, got)
    sh.send(f".import {CSV} people\n")
    got, ok = sh.read_until("auk> ")
    check(".import", ok and "Error" not in got, got)
    sh.send(".tables\n")
    got, ok = sh.read_until("auk> ")
    check(".tables lists the table", ok and "people" in got, got)
    sh.send(".schema people\n")
    got, ok = sh.read_until("auk> ")
    check(".schema", ok and "CREATE TABLE people (" in got, got)
    # a statement over two lines: the continuation prompt, then Ctrl-C drops it
    sh.send("SELECT\n")
    got, ok = sh.read_until("   > ")
    check("continuation prompt", ok, got)
    time.sleep(0.2)
    sh.send("\x03")
    got, ok = sh.read_until("auk> ")
    check("Ctrl-C at the prompt gives a fresh prompt", ok, got)
    sh.send(".mode csv\n")
    got, ok = sh.read_until("auk> ")
    sh.send(".mode\n")
    got, ok = sh.read_until("auk> ")
    check(".mode csv", ok and "csv" in got, got)
    if sql_works:
        sh.send("SELECT count(*) AS n\n   FROM people;\n")
        got, ok = sh.read_until("auk> ")
        check("multi-line query in csv mode", ok and "n\r\n" in got, got)
        # Long queries over a generated file and over tables in memory, each
        # stopped with Ctrl-C once seen (none has to finish, so the test
        # takes about as long in a sanitizer build). Erasing at the end of
        # a statement is the same code for a result and for an error.
        big = os.path.join(home, "big.csv")
        with open(big, "w") as f:
            f.write("a,b\n")
            f.write("".join(f"{i},{i % 7 == 0}\n" for i in range(4_000_000)))
        parts = " UNION ALL ".join([f"SELECT b FROM '{big}'"] * 100)
        sh.send(f"CREATE VIEW big AS {parts};\n")
        got, ok = sh.read_until("auk> ", 60)
        check("CREATE VIEW big", ok and "Error" not in got, got[-300:])
        parts = " UNION ALL ".join(["SELECT b FROM big"] * 4)  # 400 scans, short lines
        sh.send(f"CREATE VIEW huge AS {parts};\n")
        got, ok = sh.read_until("auk> ", 60)
        check("CREATE VIEW huge", ok and "Error" not in got, got[-300:])
        sh.send(f"CREATE TABLE t AS SELECT a FROM '{big}';\n")
        got, ok = sh.read_until("auk> ", 120)
        check("CREATE TABLE in memory", ok and "Error" not in got, got[-300:])
        t4 = " UNION ALL ".join(["SELECT a FROM t"] * 4)
        t16 = " UNION ALL ".join(["SELECT a FROM t4"] * 4)
        sh.send(f"CREATE VIEW t4 AS {t4};\n")
        got, ok = sh.read_until("auk> ", 30)
        sh.send(f"CREATE VIEW t16 AS {t16};\n")
        got, ok = sh.read_until("auk> ", 30)
        # 256M rows: several seconds even on an idle machine (t16 alone took
        # 0.85 s there, under the spinner's one second)
        t64 = " UNION ALL ".join(["SELECT a FROM t16"] * 4)
        sh.send(f"CREATE VIEW t64 AS {t64};\n")
        got, ok = sh.read_until("auk> ", 30)
        check("CREATE VIEWs in memory", ok and "Error" not in got, got[-300:])

        def stop_and_check(what, drawn):
            """Ctrl-C: the query stops soon, its line is erased before the
            error, and the shell goes on."""
            sent = time.time()
            sh.send("\x03")
            got, ok = sh.read_until("auk> ", 60)
            err = got.find("Error:")
            check(f"{what}: Ctrl-C stops the query and the shell goes on",
                  ok and err >= 0 and "cancel" in got.lower(), got[-500:])
            check(f"{what}: the query stops soon after Ctrl-C", time.time() - sent < 10,
                  time.time() - sent)
            if drawn:
                check(f"{what}: the line is erased before the error",
                      0 <= (drawn + got).rfind("\r\x1b[K") and
                      got[:err].rfind("\r\x1b[K") >= got[:err].rfind("\r") >= 0,
                      repr(got[-300:]))

        # the bar: after a second, a percentage that only rises (sampled
        # over half a second or more)
        sh.send("SELECT count(*) FROM huge WHERE b;\n")
        drawn, ok = sh.read_until("% \u2595", 60)
        drawn = drawn[:drawn.find("% \u2595") + 3]  # up to the first bar (the rest is kept)
        more, _ = sh.read_until("\x00", 0.6)  # no match: what came in 0.6 s (and is kept)
        drawn += more
        pcts = [int(p) for p in re.findall(r"\r *(\d+)% \u2595", drawn)]
        check("progress bar with a percentage after a second", ok and len(pcts) >= 2,
              repr(drawn[-300:]))
        check("the percentage only rises and stays under 100",
              pcts == sorted(pcts) and all(0 <= p <= 99 for p in pcts), pcts)
        check("no spinner once the fraction is known (planning may show it before)",
              "running" not in more, repr(more[-300:]))
        stop_and_check("bar", drawn)
        # .progress off: nothing is drawn
        sh.send(".progress off\n")
        got, ok = sh.read_until("auk> ")
        sh.send("SELECT count(*) FROM huge WHERE b;\n")
        got, ok = sh.read_until("auk> ", 2.5)
        check(".progress off draws nothing", not ok and "%" not in got and "running" not in got,
              repr(got[-300:]))
        stop_and_check(".progress off", "")
        sh.send(".progress on\n")
        got, ok = sh.read_until("auk> ")
        sh.send(".progress\n")
        got, ok = sh.read_until("auk> ")
        check(".progress on", ok and "on\r\n" in got, got)
        # a filter over tables in memory feeding a join: the join does the
        # work and reports none, so the engine knows no fraction and the
        # elapsed-time spinner shows instead
        spin_sql = ("SELECT count(*) FROM t64 JOIN (SELECT 3 AS k) AS y ON t64.a % 7 = y.k "
                    "WHERE CAST(t64.a AS VARCHAR) LIKE '%99%';\n")
        sh.send(spin_sql)
        started = time.time()
        drawn, ok = sh.read_until("running", 60)
        if not ok:
            # seen once in about 20 runs on a loaded machine: nothing drawn.
            # Say what came, then try once more from a fresh prompt.
            print(f"spinner not seen after {time.time() - started:.1f} s, retrying: "
                  f"{drawn[-600:]!r}")
            sh.send("\x03")
            sh.read_until("auk> ", 60)
            sh.send(".progress on\n")
            sh.read_until("auk> ")
            sh.send(spin_sql)
            started = time.time()
            drawn, ok = sh.read_until("running", 60)
        check("elapsed-time spinner when the progress is unknown",
              ok and "% \u2595" not in drawn,
              f"after {time.time() - started:.1f} s: {drawn[-600:]!r}")
        stop_and_check("spinner", drawn)
    else:
        print("SKIP: queries (SQL is not on this branch yet)")
    sh.send(".bogus\n")
    got, ok = sh.read_until("auk> ")
    check("unknown dot-command reports and continues", ok and "Error: unknown dot-command" in got,
          got)
    time.sleep(0.2)  # let libedit set the terminal up before the key comes
    sh.send("\x04")  # Ctrl-D
    code = sh.wait()
    check("Ctrl-D exits with status 0", code == 0, f"exit code {code}, output {sh.out!r}")
    hist = os.path.join(home, ".auk_history")
    text = open(hist, encoding="utf-8", errors="replace").read() if os.path.exists(hist) else ""
    check("history saved in ~/.auk_history", ".tables" in text and ".bogus" in text, text)

print(f"{passed} passed, {len(failures)} failed")
if failures:
    print("--- the end of the session:\n" + sh.log[-6000:])
sys.exit(1 if failures else 0)
