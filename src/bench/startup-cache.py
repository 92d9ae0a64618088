#!/usr/bin/env python3
"""Start-up to first answer of the packaged jar: compiled-rules cache off, first start (cold
cache), restart (warm cache), in alternating rounds so that a change in the machine's load hits
all three alike. Each run: java -jar in local mode (H2) in a scratch directory holding a copy of
rules/, POST /api/v1/triage with {} every 20 ms until a 200; prints wall time and the JVM's CPU
time up to that answer, and whether the log says the rules came from the cache.
Usage: src/bench/startup-cache.py [rounds=5]   (after ./mvnw -B -q -DskipTests package)
On a machine shared with other work, compare the CPU column: wall time follows the load."""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JAR = os.path.join(REPO, "target", "quarkus-app", "quarkus-run.jar")
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def run(work, mode):
    port = free_port()
    cache = os.path.join(work, "data", "compiled-rules")
    token_file = os.path.join(work, "data", "local-auth", "tokens", "triage-client.jwt")
    if mode in ("cold", "off"):
        shutil.rmtree(cache, ignore_errors=True)
    args = ["java", f"-Dquarkus.http.port={port}", "-Dtriage.rules.watch=false"]
    if mode == "off":
        args.append("-Dtriage.rules.compiled-cache.enabled=false")
    log_path = os.path.join(work, f"app-{mode}.log")
    env = dict(os.environ, TRIAGE_SECURITY_LOCAL="true")
    start = time.monotonic()
    with open(log_path, "w") as log:
        app = subprocess.Popen(args + ["-jar", JAR], cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    token = None
    while True:
        if app.poll() is not None:
            sys.exit(f"the app stopped; see {log_path}")
        if token is None and os.path.exists(token_file):
            token = open(token_file).read().strip()
        if token:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/triage", data=b"{}", method="POST",
                                             headers={"Authorization": "Bearer " + token,
                                                      "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass  # not listening or not ready yet
        time.sleep(0.02)
    wall = time.monotonic() - start
    cpu = cpu_seconds(app.pid)
    if mode == "cold":
        # The entry is written after the rules went live, off the start's path: wait for it.
        for _ in range(1000):
            if os.path.isdir(cache) and any(f.endswith(".rules-cache") for f in os.listdir(cache)):
                break
            time.sleep(0.02)
    app.terminate()
    app.wait(30)
    hit = "loaded from the compiled cache" in open(log_path).read()
    return wall, cpu, hit


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if not os.path.exists(JAR):
        sys.exit("package first: ./mvnw -B -q -DskipTests package")
    work = tempfile.mkdtemp(prefix="startup-cache-")
    shutil.copytree(os.path.join(REPO, "rules"), os.path.join(work, "rules"))
    run(work, "off")  # the very first start makes the key pair and the store: not measured
    results = {"off": [], "cold": [], "warm": []}
    for i in range(rounds):
        for mode in ("off", "cold", "warm"):
            wall, cpu, hit = run(work, mode)
            results[mode].append((wall, cpu))
            print(f"round {i} {mode:4s} wall {wall:5.2f} s cpu {cpu:5.2f} s from-cache {hit}", flush=True)
            if hit != (mode == "warm"):
                sys.exit(f"expected from-cache {mode == 'warm'} for {mode}; see {work}/app-{mode}.log")
    for mode, values in results.items():
        walls = sorted(v[0] for v in values)
        cpus = sorted(v[1] for v in values)
        print(f"{mode:4s} wall median {statistics.median(walls):.2f} s ({walls[0]:.2f} to {walls[-1]:.2f}),"
              f" cpu median {statistics.median(cpus):.2f} s ({cpus[0]:.2f} to {cpus[-1]:.2f})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
