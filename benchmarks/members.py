"""The member site: preference pages per second, against the same page served plainly.

``python -m benchmarks members [--requests N] [--concurrency C] [--workspace DIR]``
starts ``anshin members serve`` (uvicorn, one process) on a workspace (a
temporary one, built here, when none is given), makes one active member
with a few areas and asks for that member's preference page (GET with a
valid token: token check, database reads, template) ``N`` times from ``C``
concurrent keep-alive connections. The baseline, measured in the same run
with the same client: the very same HTML bytes served by a minimal Starlette
app on uvicorn (no token, no database, no template), the best a Python
server can do for this page. Issue 18 asks for ≥ 200 requests/s with the p99
latency in the closing note.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

from anshin_lab.app.imports import load_area_directory
from anshin_lab.app.member_site import member_key_file
from anshin_lab.app.workspace import init_workspace, open_workspace
from anshin_lab.cli.common import positive_int
from anshin_lab.delivery import subscriptions
from anshin_lab.delivery.member_tokens import MemberTokens, load_member_key
from anshin_lab.storage import store

PROJECT = Path(__file__).resolve().parents[1]
TARGET_REQUESTS_PER_S = 200.0
DESCRIPTION = ("会員のページ(配信内容の変更、有効なトークンでの GET)を1秒に何件返せるかを測り、同じ HTML を"
               "最小の Starlette アプリで返す場合と比べます(p50・p99 の応答時間も表示)。")

# The plain way: the same bytes from a minimal Starlette app on uvicorn.
BASELINE_APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    import uvicorn
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route
    page = Path(sys.argv[1]).read_bytes()
    async def preferences(request):
        return Response(page, media_type="text/html; charset=utf-8")
    app = Starlette(routes=[Route("/preferences", preferences), Route("/health", preferences)])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
""")


def add_arguments(parser) -> None:
    parser.add_argument("--requests", type=positive_int, default=3000, metavar="N",
                        help="測る要求の数(既定: 3,000。最初の 100 件は慣らしで数えません)")
    parser.add_argument("--concurrency", type=positive_int, default=8, metavar="C",
                        help="同時に開く接続の数(既定: 8)")
    parser.add_argument("--workspace", metavar="DIR",
                        help="使う作業領域(anshin init 済み。省略時は一時フォルダーに作ります)。会員が1人増えます")


def run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="anshin-bench-members-") as tmp:
        ws = open_workspace(args.workspace) if args.workspace else init_workspace(Path(tmp) / "ws")
        url = make_member_page(ws)
        port = free_port()
        site = start([sys.executable, "-m", "anshin_lab", "members", "serve", "--workspace", str(ws.root),
                      "--port", str(port), "--smtp", "127.0.0.1:9"], port)
        try:
            page_url = f"http://127.0.0.1:{port}{url}"
            page = httpx.get(page_url, timeout=30)
            assert page.status_code == 200 and "配信内容の変更" in page.text, page.status_code
            site_figures = measure(page_url, args.requests, args.concurrency)
        finally:
            stop(site)
        page_file = Path(tmp) / "page.html"
        page_file.write_bytes(page.content)
        base_port = free_port()
        baseline = start([sys.executable, "-c", BASELINE_APP, str(page_file), str(base_port)], base_port)
        try:
            base_figures = measure(f"http://127.0.0.1:{base_port}/preferences", args.requests, args.concurrency)
        finally:
            stop(baseline)
    print(f"会員のページ(配信内容の変更、{len(page.content):,} バイト)を {args.requests:,} 件、同時 {args.concurrency} 接続で")
    print(f"  anshin members serve: {site_figures['rps']:,.0f} 件/秒  p50 {site_figures['p50']:.2f} ms  "
          f"p99 {site_figures['p99']:.2f} ms")
    print(f"  同じ HTML を最小の Starlette アプリで: {base_figures['rps']:,.0f} 件/秒  p50 {base_figures['p50']:.2f} ms  "
          f"p99 {base_figures['p99']:.2f} ms")
    verdict = "達成" if site_figures["rps"] >= TARGET_REQUESTS_PER_S else "未達"
    print(f"  目標 {TARGET_REQUESTS_PER_S:.0f} 件/秒以上: {verdict}(最小アプリの {site_figures['rps'] / base_figures['rps']:.0%})")
    print(f"  マシンの負荷(1分平均): {os.getloadavg()[0]:.2f}")
    return {"requests_per_s": round(site_figures["rps"], 1), "p50_ms": round(site_figures["p50"], 2),
            "p99_ms": round(site_figures["p99"], 2), "baseline_requests_per_s": round(base_figures["rps"], 1),
            "baseline_p50_ms": round(base_figures["p50"], 2), "baseline_p99_ms": round(base_figures["p99"], 2),
            "requests": args.requests, "concurrency": args.concurrency, "page_bytes": len(page.content),
            "target_requests_per_s": TARGET_REQUESTS_PER_S}


def make_member_page(ws) -> str:
    """The path and query of a preference page: one active member with categories, a city, a station and 町丁目."""
    engine = store.connect(ws.database_url)
    try:
        address = f"bench-{time.time_ns()}@example.jp"
        member_id, _ = subscriptions.register_member(engine, load_area_directory(ws), email=address,
                                                     categories=["threat", "fraud"], areas=["鹿児島市", "鹿児島中央警察署"])
        subscriptions.activate_member(engine, member_id, from_status="pending")
        chosen = subscriptions.read_preferences(engine, member_id)
        chome = (("chome", "462010020", "鹿児島市緑ヶ丘町"), ("chome", "462010040", "鹿児島市下田町"))
        subscriptions.save_preferences(engine, member_id, subscriptions.Preferences(
            chosen.categories, chosen.areas + chome, "ja", "22:00", "07:00"))
        token = MemberTokens(load_member_key(member_key_file(ws)), engine).issue("preferences", member_id)
    finally:
        engine.dispose()
    return f"/preferences?t={token}"


def measure(url: str, requests: int, concurrency: int, warmup: int = 100) -> dict:
    """Requests per second and p50/p99 latency (ms) of ``requests`` GETs of ``url`` over ``concurrency`` connections."""

    async def main() -> tuple[list[float], float]:
        latencies: list[float] = []
        remaining = iter(range(requests))  # shared by the workers: each takes the next request
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=30) as client:
            async def worker():
                for _ in remaining:
                    began = time.perf_counter()
                    answer = await client.get(url)
                    if answer.status_code != 200:
                        raise RuntimeError(f"status {answer.status_code}")
                    latencies.append(time.perf_counter() - began)

            await asyncio.gather(*(client.get(url) for _ in range(warmup)))  # connections open, caches warm
            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return latencies, time.perf_counter() - started

    latencies, elapsed = asyncio.run(main())
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], port: int) -> subprocess.Popen:
    """Start a server and wait until it answers on ``port``."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=str(PROJECT))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server ended: {process.stderr.read().decode(errors='replace')[-500:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError("server did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
