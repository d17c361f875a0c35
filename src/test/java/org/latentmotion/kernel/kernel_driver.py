"""A real Jupyter client (jupyter_client, as notebooks and nbclient use it) driven by JSON lines.

Started by KernelClient.java: one request per stdin line, one JSON answer per stdout line.
Requests: {"op": "execute", "code": ..., "timeout": s, "interrupt_after": s or [s, ...] (optional)},
{"op": "complete", "code": ..., "cursor": n}, {"op": "inspect", "code": ..., "cursor": n, "detail_level": 0 or 1},
{"op": "is_complete", "code": ...},
{"op": "restart"} (what the notebook server does when a kernel dies), {"op": "shutdown"}.
An execute whose kernel dies answers with reply {"status": "dead"}. On start it launches the kernel named by argv[1] and answers
{"op": "started", "seconds": time to kernel_info reply}.
"""
import json
import sys
import time
import threading

from jupyter_client.manager import KernelManager


def send(obj):
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


def thread_dump(km):
    """The kernel JVM's threads (jcmd), so a cell that never goes idle says where it is stuck."""
    import subprocess
    try:
        pid = km.provisioner.pid
        out = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True, timeout=60)
        return out.stdout[-60000:]
    except Exception as e:  # the dump is a diagnosis aid; never the failure itself
        return "(no thread dump: %s)" % e


def collect(kc, msg_id, timeout, km=None):
    """All iopub messages of one request until the kernel goes idle, plus the shell reply."""
    import queue
    outputs = []
    deadline = time.time() + timeout
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            if km is not None:
                sys.stderr.write("kernel threads at the timeout:\n" + thread_dump(km) + "\n")
                sys.stderr.flush()
            raise TimeoutError("no idle status within %ss" % timeout)
        try:
            msg = kc.get_iopub_msg(timeout=min(remaining, 1.0))
        except queue.Empty:
            if km is not None and not km.is_alive():
                return outputs, {"status": "dead"}
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        if kind in ("stream", "display_data", "update_display_data", "execute_result", "error"):
            out = dict(msg["content"])
            out["msg_type"] = kind
            outputs.append(out)
    reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.time()))
    return outputs, reply["content"]


def main():
    kernel_name = sys.argv[1]
    t0 = time.time()
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    send({"op": "started", "seconds": time.time() - t0})
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            req = json.loads(line)
            op = req["op"]
            try:
                if op == "execute":
                    msg_id = kc.execute(req["code"], store_history=True)
                    t = time.time()
                    timers = []
                    after = req.get("interrupt_after")
                    for delay in (after if isinstance(after, list) else [after] if after else []):
                        timers.append(threading.Timer(delay, km.interrupt_kernel))
                        timers[-1].start()
                    try:
                        outputs, reply = collect(kc, msg_id, req.get("timeout", 120), km)
                    finally:
                        for timer in timers:  # an interrupt meant for this cell must not reach the next one
                            timer.cancel()
                            timer.join()
                    send({"op": op, "outputs": outputs, "reply": reply, "seconds": time.time() - t})
                elif op == "complete":
                    msg_id = kc.complete(req["code"], req["cursor"])
                    reply = kc.get_shell_msg(timeout=60)
                    send({"op": op, "reply": reply["content"]})
                elif op == "inspect":
                    msg_id = kc.inspect(req["code"], req["cursor"], req.get("detail_level", 0))
                    reply = kc.get_shell_msg(timeout=60)
                    send({"op": op, "reply": reply["content"]})
                elif op == "is_complete":
                    msg_id = kc.is_complete(req["code"])
                    reply = kc.get_shell_msg(timeout=60)
                    send({"op": op, "reply": reply["content"]})
                elif op == "restart":
                    kc.stop_channels()
                    km.restart_kernel(now=True)
                    kc = km.client()
                    kc.start_channels()
                    kc.wait_for_ready(timeout=120)
                    send({"op": op, "alive": km.is_alive()})
                elif op == "shutdown":
                    break
                else:
                    send({"op": op, "error": "unknown op"})
            except Exception as e:  # report, keep serving
                send({"op": op, "error": "%s: %s" % (type(e).__name__, e)})
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        send({"op": "shutdown"})


if __name__ == "__main__":
    main()
