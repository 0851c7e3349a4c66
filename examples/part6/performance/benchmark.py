"""Throughput of hello_server.py under wrk: one process, several processes, behind nginx."""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER = HERE / "hello_server.py"

NGINX_CONF = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;

    upstream tornado {{
{servers}
        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://tornado;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with code {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def start(command, log):
    # A new session, so that stop() can end a server and all its children.
    return subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tornado_command(port, processes):
    # --logging=warning: no access log line per request, as in production.
    return [sys.executable, str(SERVER), f"--port={port}", f"--processes={processes}", "--logging=warning"]


def start_mode(mode, args, tmp, log):
    """Start the servers of one mode; return (processes to stop, port to test)."""
    if mode == "one process":
        port = free_port()
        procs = [start(tornado_command(port, 1), log)]
    elif mode == "several processes":
        port = free_port()
        procs = [start(tornado_command(port, args.processes), log)]
    else:  # behind nginx: one single-process server per upstream entry
        ports = [free_port() for _ in range(args.processes)]
        procs = [start(tornado_command(p, 1), log) for p in ports]
        for p, proc in zip(ports, procs, strict=True):
            wait_for_port(p, proc)
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
        conf = tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, servers=servers))
        nginx = [args.nginx, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")]
        subprocess.run([*nginx, "-t", "-q"], check=True)
        procs.append(start([*nginx, "-g", "daemon off;"], log))
    wait_for_port(port, procs[-1])
    return procs, port


def parse_wrk(output):
    result = {
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
    }
    # wrk prints these two lines only when something went wrong.
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(map(int, errors.groups())) if errors else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non2xx[1]) if non2xx else 0
    return result


def run_wrk(args, port, seconds):
    command = [args.wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", f"http://127.0.0.1:{port}/"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    return parse_wrk(done.stdout)


def measure(args, port):
    """A warm-up run that is thrown away, then args.runs measured runs."""
    if args.warmup > 0:
        run_wrk(args, port, args.warmup)
    return [run_wrk(args, port, args.duration) for _ in range(args.runs)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per mode")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per mode, not measured")
    parser.add_argument("--connections", type=int, default=50, help="open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count(), help="Tornado processes in the multi-process modes"
    )
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    args = parser.parse_args()
    for tool, package in ((args.wrk, "wrk"), (args.nginx, "nginx")):
        if not os.access(tool, os.X_OK):
            parser.error(f"{tool} not found: install it (apt-get install {package}) or pass --{package}")

    modes = ["one process", "several processes", "behind nginx"]
    print(f"{'mode':<20}{'processes':>10}{'median/s':>10}{'min/s':>8}{'max/s':>8}{'non-2xx':>9}{'errors':>8}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for mode in modes:
            with open(tmp / "servers.log", "ab") as log:
                procs, port = start_mode(mode, args, tmp, log)
                try:
                    runs = measure(args, port)
                finally:
                    for proc in reversed(procs):
                        stop(proc)
            rates = [r["rps"] for r in runs]
            processes = 1 if mode == "one process" else args.processes
            print(
                f"{mode:<20}{processes:>10}{statistics.median(rates):>10.0f}{min(rates):>8.0f}"
                f"{max(rates):>8.0f}{sum(r['non_2xx'] for r in runs):>9}"
                f"{sum(r['socket_errors'] for r in runs):>8}",
                flush=True,
            )


if __name__ == "__main__":
    main()
