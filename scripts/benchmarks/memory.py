"""Resident memory of the running processes, each counted with all its child processes."""
from __future__ import annotations

import psutil

MIB = 1024 * 1024


def tree_memory(pid: int) -> dict[str, float | int]:
    """RSS (and PSS, which counts shared pages once, where the OS reports it) of pid and its descendants, MiB."""
    root = psutil.Process(pid)
    processes = [root, *root.children(recursive=True)]
    rss = pss = 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return {"rss_mib": round(rss / MIB, 1), "pss_mib": round(pss / MIB, 1), "processes": len(processes)}


def stack_memory(pids: dict[str, int]) -> dict[str, dict[str, float | int]]:
    """Memory per named process tree, plus "total"."""
    per_process = {name: tree_memory(pid) for name, pid in sorted(pids.items())}
    per_process["total"] = {
        "rss_mib": round(sum(m["rss_mib"] for m in per_process.values()), 1),
        "pss_mib": round(sum(m["pss_mib"] for m in per_process.values()), 1),
        "processes": sum(int(m["processes"]) for m in per_process.values()),
    }
    return per_process
