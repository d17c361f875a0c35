"""Kernel start -> first result, and a trivial cell's round trip: latentmotion's Java kernel beside
Debian's ipykernel, measured the same way in the same run, through Debian's jupyter_client.

  /usr/bin/python3 bench/kernel/bench_kernel.py [--kernels latentmotion python3] [--starts 3] [--trips 30] [--json out.json]

start -> first result: from launching the kernel process until the execute_result of the first
cell ("1 + 1") has arrived (includes JVM/JShell or Python start-up and the first compile).
round trip: execute_request of "1 + 1" until the kernel reports idle, median and p90 over
--trips cells on an already warm kernel.
empty round trip: the same for an empty cell, which no kernel compiles: the message path alone
(ZeroMQ, JSON, signing, request polling, the kernel's hand-off to its cell thread), so
round trip minus empty round trip is what evaluating "1 + 1" costs.
"""
import argparse
import json
import platform
import statistics
import time

from jupyter_client.manager import KernelManager

TRIVIAL = "1 + 1"


def run_cell(kc, code, timeout=120):
    msg_id = kc.execute(code)
    result = None
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            result = msg["content"]["data"].get("text/plain")
        elif msg["msg_type"] == "error":
            raise RuntimeError("cell failed: %s" % msg["content"].get("evalue"))
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return result


def measure(kernel_name, starts, trips):
    start_times, trip_times, empty_times = [], [], []
    for s in range(starts):
        t0 = time.perf_counter()
        km = KernelManager(kernel_name=kernel_name)
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=180)
            result = run_cell(kc, TRIVIAL)
            start_times.append(time.perf_counter() - t0)
            if result != "2":
                raise RuntimeError("%s answered %r to 1 + 1" % (kernel_name, result))
            if s == starts - 1:  # round trips on the last, warm kernel
                for _ in range(3):
                    run_cell(kc, TRIVIAL)
                for _ in range(trips):  # alternating, so both see the same load
                    t = time.perf_counter()
                    run_cell(kc, TRIVIAL)
                    trip_times.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    run_cell(kc, "")
                    empty_times.append(time.perf_counter() - t)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    trip_sorted = sorted(trip_times)
    empty_sorted = sorted(empty_times)
    return {
        "kernel": kernel_name,
        "starts": starts,
        "start_to_first_result_s": {"median": statistics.median(start_times), "min": min(start_times),
                                    "max": max(start_times), "all": start_times},
        "trips": trips,
        "round_trip_ms": {"median": 1000 * statistics.median(trip_times),
                          "p90": 1000 * trip_sorted[max(0, int(0.9 * len(trip_sorted)) - 1)],
                          "min": 1000 * trip_sorted[0]},
        "empty_round_trip_ms": {"median": 1000 * statistics.median(empty_times),
                                "p90": 1000 * empty_sorted[max(0, int(0.9 * len(empty_sorted)) - 1)],
                                "min": 1000 * empty_sorted[0]},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernels", nargs="+", default=["latentmotion", "python3"])
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--trips", type=int, default=30)
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    results = [measure(k, args.starts, args.trips) for k in args.kernels]
    print("%-14s %24s %22s %14s %22s" % ("kernel", "start->first result [s]", "round trip median [ms]", "p90 [ms]",
                                         "empty cell median [ms]"))
    for r in results:
        st, rt, et = r["start_to_first_result_s"], r["round_trip_ms"], r["empty_round_trip_ms"]
        print("%-14s %11.2f (%4.2f-%4.2f) %22.1f %14.1f %22.1f" % (r["kernel"], st["median"], st["min"], st["max"],
                                                                 rt["median"], rt["p90"], et["median"]))
    report = {"machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform()},
              "starts": args.starts, "trips": args.trips, "results": results}
    print(json.dumps(report))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
