#!/usr/bin/env python
"""
Fill in deploy/nginx.conf: with --certificate, the public site over TLS
(port 443, and 80 redirecting to it); without, over plain HTTP on --listen
(the benchmarks and tests on loopback). Either way purges go to a separate
plain-HTTP listener on loopback (--purge-listen).

    python deploy/nginx_conf.py --listen 127.0.0.1:18010 --purge-listen 127.0.0.1:18011 \\
        --upstream 127.0.0.1:18000 --static-root staticfiles --media-root media \\
        --state-dir /tmp/nginx > /tmp/nginx/nginx.conf
"""

from __future__ import annotations

import argparse
import getpass
import re
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
TEMPLATE = DEPLOY / "nginx.conf"
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")


def render(
    *,
    upstream: str,
    static_root: Path,
    media_root: Path,
    state_dir: Path,
    listen: str = "127.0.0.1:8080",
    server_name: str = "_",
    certificate: Path | None = None,
    certificate_key: Path | None = None,
    purge_listen: str = "127.0.0.1:8081",
    purge_allowed: tuple[str, ...] = ("127.0.0.1", "::1"),
    admin_path: str = "/admin/",
    access_log: str = "off",
    user: str | None = None,
    modules_dir: Path = Path("/usr/lib/nginx/modules"),
    mime_types: Path = Path("/etc/nginx/mime.types"),
) -> str:
    """Return the configuration, every path absolute."""
    indent = "\n        "
    if certificate:
        listen_lines = [
            "listen 443 ssl http2;",
            "listen [::]:443 ssl http2;",
        ]
        tls = indent.join(
            [
                f"ssl_certificate {Path(certificate).resolve()};",
                f"ssl_certificate_key {Path(certificate_key).resolve()};",
                "ssl_protocols TLSv1.2 TLSv1.3;",
                "ssl_session_cache shared:tls:10m;",
            ]
        )
        redirect = (
            "server {\n"
            "        listen 80;\n"
            "        listen [::]:80;\n"
            f"        server_name {server_name};\n"
            "        return 301 https://$host$request_uri;\n"
            "    }"
        )
    else:
        listen_lines = [f"listen {listen};"]
        tls = "# Plain HTTP: no certificate was given (loopback benchmarks and tests)."
        redirect = ""
    values = {
        "upstream": upstream,
        "static_root": str(Path(static_root).resolve()),
        "media_root": str(Path(media_root).resolve()),
        "state_dir": str(Path(state_dir).resolve()),
        "listen": indent.join(listen_lines),
        "server_name": server_name,
        "tls": tls,
        "redirect_to_https": redirect,
        "purge_listen": purge_listen,
        "purge_allow": indent.join(f"allow {source};" for source in purge_allowed),
        "admin_path": admin_path,
        "access_log": access_log,
        "user": user or getpass.getuser(),
        "modules_dir": str(modules_dir),
        "mime_types": str(mime_types),
        "proxy_headers": str(DEPLOY / "proxy_headers.conf"),
    }
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], TEMPLATE.read_text())


def prepare_state_dir(state_dir: Path) -> None:
    """Create the directories nginx writes to (the cache and its temporary files)."""
    for name in ("cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (state_dir / name).mkdir(parents=True, exist_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--upstream", default="127.0.0.1:8000", help="gunicorn's address"
    )
    parser.add_argument("--static-root", type=Path, required=True)
    parser.add_argument("--media-root", type=Path, required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--listen", default="127.0.0.1:8080")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--certificate", type=Path)
    parser.add_argument("--certificate-key", type=Path)
    parser.add_argument("--purge-listen", default="127.0.0.1:8081")
    parser.add_argument("--admin-path", default="/admin/", help="/ + ADMIN_URL")
    parser.add_argument("--user", help="the workers' user (default: whoever runs this)")
    args = parser.parse_args()
    if bool(args.certificate) != bool(args.certificate_key):
        parser.error("--certificate and --certificate-key go together")
    prepare_state_dir(args.state_dir)
    print(
        render(
            upstream=args.upstream,
            static_root=args.static_root,
            media_root=args.media_root,
            state_dir=args.state_dir,
            listen=args.listen,
            server_name=args.server_name,
            certificate=args.certificate,
            certificate_key=args.certificate_key,
            purge_listen=args.purge_listen,
            admin_path=args.admin_path,
            user=args.user,
        )
    )


if __name__ == "__main__":
    main()
